/** Turning JS values into arrays, and the weak-typing/promotion/broadcasting rules for operands. */
import { type ArrayLike, ConcreteArray, NdArray } from "../array.js";
import { type DType, type DataArray, allocate, checkDType, dtypeOfTypedArray, isFloat, promoteTypes } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";

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

function fillFlat(x: NestedArray, shape: readonly number[], out: DataArray): void {
  let k = 0;
  const rec = (v: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`array: ragged nested list: expected a scalar at depth ${depth} for shape [${shape.join(",")}]`);
      if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`array: elements must be numbers or booleans, got ${typeof v}`);
      out[k++] = Number(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`array: ragged nested list: expected length ${shape[depth]} at depth ${depth}, got ${Array.isArray(v) ? v.length : "a scalar"}`);
    }
    for (const w of v) rec(w, depth + 1);
  };
  rec(x, 0);
}

function firstScalar(x: NestedArray): number | boolean | undefined {
  let cur: NestedArray = x;
  while (Array.isArray(cur)) {
    if (cur.length === 0) return undefined;
    cur = cur[0] as NestedArray;
  }
  return cur as number | boolean;
}

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
    for (let i = 0; i < src.length; i++) buf[i] = src[i]!;
    return new ConcreteArray(buf, [src.length], dtype);
  }
  const shape = inferShape(x as NestedArray);
  const first = firstScalar(x as NestedArray);
  const dtype = want ?? (typeof first === "boolean" ? "bool" : "float32");
  const n = shape.reduce((a, b) => a * b, 1);
  const buf = allocate(dtype, n);
  const tmp = new Float64Array(n);
  fillFlat(x as NestedArray, shape, tmp);
  for (let i = 0; i < n; i++) buf[i] = dtype === "bool" ? (tmp[i] ? 1 : 0) : tmp[i]!;
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
  const shape = broadcastShapes(op, ...arrs.map((a) => a.shape));
  return arrs.map((a) => broadcastTo(a, shape));
}

/** Broadcast `x` to `shape` by NumPy rules (no promotion). */
export function broadcastTo(x: NdArray, shape: readonly number[], op = "broadcastTo"): NdArray {
  const out = broadcastShapes(op, x.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: cannot broadcast ${x.aval.str()} to [${shape.join(",")}]`);
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
