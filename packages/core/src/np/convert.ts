/** Turning JS values into arrays, and the weak-typing/promotion/broadcasting rules for operands. */
import { type ArrayLike, ConcreteArray, NdArray } from "../array.js";
import { type DType, type DataArray, allocate, checkDType, dtypeOfTypedArray, isFloat, promoteTypes } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { broadcastShapes, normalizeAxes, normalizeAxis } from "../shape.js";

/** Nested JS arrays of numbers/booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** Options for `array`. */
export type ArrayOptions = { dtype?: DType };

function inferShape(x: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0] as NestedArray;
  }
  return shape;
}

/** Fill `out` with the leaves of `x` (row-major); returns whether every leaf is a boolean. */
function fillFlat(x: NestedArray, shape: readonly number[], out: DataArray): boolean {
  let k = 0;
  let allBool = true;
  const rec = (v: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`array: ragged nested list: expected a scalar at depth ${depth} for shape [${shape.join(",")}]`);
      if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`array: elements must be numbers or booleans, got ${v === null ? "null" : typeof v}`);
      if (typeof v === "number") allBool = false;
      out[k++] = Number(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`array: ragged nested list: expected length ${shape[depth]} at depth ${depth}, got ${Array.isArray(v) ? v.length : "a scalar"}`);
    }
    for (const w of v) rec(w, depth + 1);
  };
  rec(x, 0);
  return allBool && k > 0;
}

/** Store `v` as `dtype` would (bool: any non-zero value, NaN included, is true, as NumPy's astype). */
const storeAs = (dtype: DType, v: number): number => (dtype === "bool" ? (v !== 0 ? 1 : 0) : v);

/**
 * Create an array from nested JS arrays, a typed array (1-D, dtype from its type) or another array.
 * JS numbers default to float32 (Fluxion's default dtype), booleans to bool.
 */
export function array(x: NestedArray | DataArray | NdArray, opts: ArrayOptions = {}): NdArray {
  const want = opts.dtype === undefined ? undefined : checkDType("array", opts.dtype);
  if (x instanceof NdArray) return want ? lax.convertElementType(x, want) : x;
  if (ArrayBuffer.isView(x)) {
    const src = x as DataArray;
    const own = dtypeOfTypedArray(src);
    const dtype = want ?? own;
    const buf = allocate(dtype, src.length);
    for (let i = 0; i < src.length; i++) buf[i] = storeAs(dtype, src[i]!);
    return new ConcreteArray(buf, [src.length], dtype);
  }
  const shape = inferShape(x as NestedArray);
  const n = shape.reduce((a, b) => a * b, 1);
  const tmp = new Float64Array(n);
  const allBool = fillFlat(x as NestedArray, shape, tmp);
  // Like NumPy, a list mixing booleans and numbers is numeric: [true, 2] is float32, not bool.
  const dtype = want ?? (allBool ? "bool" : "float32");
  const buf = allocate(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = storeAs(dtype, tmp[i]!);
  return new ConcreteArray(buf, shape, dtype);
}

/** Convert an operand to an array, giving a JS scalar the dtype `like` (weak typing). */
export function asArray(x: ArrayLike, like?: DType): NdArray {
  if (x instanceof NdArray) return x;
  if (typeof x === "boolean") return lax.scalar(x, "bool");
  if (typeof x === "number") return lax.scalar(x, like ?? "float32");
  throw new TypeError(`expected an NdArray, number or boolean, got ${x === null ? "null" : typeof x}`);
}

/** The dtype a JS scalar takes next to an array of dtype `d` (JAX's weak typing). */
function weakDtype(x: number | boolean, d: DType): DType {
  if (typeof x === "boolean") return d;
  if (d === "bool") return "float32";
  if (!isFloat(d) && !Number.isInteger(x)) return "float32";
  return d;
}

/** Result dtype of combining operands (arrays are strong, JS scalars weak). */
export function resultDtype(...xs: ArrayLike[]): DType {
  const strong = xs.filter((x): x is NdArray => x instanceof NdArray);
  let d: DType | undefined = strong.length ? strong.map((a) => a.dtype).reduce(promoteTypes) : undefined;
  for (const x of xs) {
    if (x instanceof NdArray) continue;
    if (typeof x !== "number" && typeof x !== "boolean") throw new TypeError(`expected an NdArray, number or boolean, got ${x === null ? "null" : typeof x}`);
    d = d === undefined ? (typeof x === "boolean" ? "bool" : "float32") : promoteTypes(d, weakDtype(x, d));
  }
  return d ?? "float32";
}

/** Promote operands to one dtype and broadcast them to one shape (NumPy semantics). */
export function promoteAndBroadcast(op: string, ...xs: ArrayLike[]): NdArray[] {
  const dtype = resultDtype(...xs);
  const arrs = xs.map((x) => lax.convertElementType(asArray(x, dtype), dtype));
  const shape = broadcastAvals(op, arrs);
  return arrs.map((a) => broadcastTo(a, shape, op));
}

/** The broadcast shape of `arrs`; the ShapeError names the operands' shapes and dtypes (`f32[3] and f32[4]`). */
export function broadcastAvals(op: string, arrs: readonly NdArray[]): number[] {
  try {
    return broadcastShapes(op, ...arrs.map((a) => a.shape));
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const detail = /\(dimension[^)]*\)/.exec(e.message)?.[0] ?? "";
    throw new ShapeError(
      `${op}: operands ${arrs.map((a) => a.aval.str()).join(" and ")} cannot be broadcast together ${detail}; ` +
        "reshape or expandDims one operand so trailing dimensions match or are 1",
    );
  }
}

/** Rethrow a RangeError/TypeError from an axis check with the operand's shape and dtype appended. */
function withOperand<T>(x: NdArray, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${e.message}; the operand is ${x.aval.str()}`);
    if (e instanceof TypeError) throw new TypeError(`${e.message}; the operand is ${x.aval.str()}`);
    throw e;
  }
}

/** Normalise one (possibly negative) axis of `x` (of an array of `rank` when given, e.g. ndim + 1 for expandDims). */
export function axisOf(op: string, axis: number, x: NdArray, rank = x.ndim): number {
  return withOperand(x, () => normalizeAxis(op, axis, rank));
}

/** Normalise an axis argument of `x` (number, list, or null/undefined for all axes) to sorted unique axes. */
export function axesOf(op: string, axis: number | readonly number[] | null | undefined, x: NdArray): number[] {
  return withOperand(x, () => normalizeAxes(op, axis, x.ndim));
}

/** Broadcast `x` to `shape` by NumPy rules (no promotion). */
export function broadcastTo(x: NdArray, shape: readonly number[], op = "broadcastTo"): NdArray {
  let out: number[];
  try {
    out = broadcastShapes(op, x.shape, shape);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    out = [];
  }
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: cannot broadcast ${x.aval.str()} to shape [${shape.join(",")}]; trailing dimensions must match or be 1, and the target needs at least as many dimensions`);
  }
  const lead = shape.length - x.ndim;
  const squeezed = x.shape.map((d, i) => [d, i] as const).filter(([d, i]) => !(d === 1 && shape[i + lead] !== 1));
  const y = squeezed.length === x.ndim ? x : lax.reshape(x, squeezed.map(([d]) => d));
  return lax.broadcastInDim(y, shape, squeezed.map(([, i]) => i + lead));
}

/** Require a floating dtype for `op`, promoting integers and bools to float32 (as NumPy's true division does). */
export function toFloat(x: NdArray): NdArray {
  return isFloat(x.dtype) ? x : lax.convertElementType(x, "float32");
}

/** Check `x` is an NdArray (for functions that do not accept scalars). */
export function checkArray(op: string, x: unknown, name = "x"): NdArray {
  if (x instanceof NdArray) return x;
  if (typeof x === "number" || typeof x === "boolean") return asArray(x);
  throw new TypeError(`${op}: ${name} must be an NdArray, got ${x === null ? "null" : typeof x}`);
}

/** Raise a DTypeError unless `x` has an integer dtype. */
export function checkIntegerIndices(op: string, x: NdArray): void {
  if (x.dtype !== "int32" && x.dtype !== "uint32") {
    throw new DTypeError(`${op}: indices must be integers, got ${x.aval.str()}; pass int32 indices (np.array(…, { dtype: "int32" }))`);
  }
}
