/** Indexing: basic slicing, take (gather), takeAlongAxis, oneHot and scatter-add. */
import { type ArrayLike, type NdArray, isTracer } from "../array.js";
import { type DType, checkDType } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";
import { array, asArray, axisOf, broadcastTo, checkIntegerIndices } from "./convert.js";

/**
 * One axis of a slice: an integer index (drops the axis), `null` or `":"` (everything), a
 * `[start, stop, step]` triple (entries may be null; negative values count from the end), or a
 * NumPy-style string such as `"1:5:2"` or `"::-1"`.
 */
export type SliceSpec = number | null | string | readonly [number | null, (number | null)?, (number | null)?];

function parseSpec(spec: SliceSpec): number | [number | null, number | null, number | null] {
  if (typeof spec === "number") return spec;
  if (spec === null) return [null, null, null];
  if (typeof spec === "string") {
    const parts = spec.split(":").map((p) => p.trim());
    if (parts.length > 3 || parts.some((p) => p !== "" && !/^-?\d+$/.test(p)) || (parts.length === 1 && parts[0] === "")) {
      throw new TypeError(`slice: cannot parse ${JSON.stringify(spec)}; use an integer or "start:stop:step" (e.g. "1:5", "::-1")`);
    }
    if (parts.length === 1) return Number(parts[0]);
    const n = (p: string | undefined) => (p === undefined || p === "" ? null : Number(p));
    return [n(parts[0]), n(parts[1]), n(parts[2])];
  }
  return [spec[0] ?? null, spec[1] ?? null, spec[2] ?? null];
}

/** Basic indexing `x[s0, s1, …]` with integers, ranges and steps (including negative steps). */
export function slice(x: ArrayLike, ...specs: SliceSpec[]): NdArray {
  const a = asArray(x);
  if (specs.length > a.ndim) throw new ShapeError(`slice: too many indices (${specs.length}) for ${a.aval.str()}`);
  const start: number[] = [];
  const limit: number[] = [];
  const strides: number[] = [];
  const flipAxes: number[] = [];
  const dropAxes: number[] = [];
  a.shape.forEach((n, axis) => {
    const s = axis < specs.length ? parseSpec(specs[axis]!) : ([null, null, null] as [null, null, null]);
    if (typeof s === "number") {
      if (!Number.isInteger(s)) throw new TypeError(`slice: index ${s} for axis ${axis} of ${a.aval.str()} must be an integer`);
      if (s < -n || s >= n) throw new RangeError(`slice: index ${s} is out of bounds for axis ${axis} of ${a.aval.str()} (size ${n})`);
      const i = s < 0 ? s + n : s;
      start.push(i);
      limit.push(i + 1);
      strides.push(1);
      dropAxes.push(axis);
      return;
    }
    const step = s[2] ?? 1;
    if (step === 0) throw new RangeError(`slice: step cannot be zero (axis ${axis} of ${a.aval.str()})`);
    if ([s[0], s[1], step].some((v) => v !== null && !Number.isInteger(v))) throw new TypeError(`slice: bounds and step for axis ${axis} of ${a.aval.str()} must be integers or null, got ${JSON.stringify(s)}`);
    const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    if (step > 0) {
      const lo = s[0] === null ? 0 : clampIdx(s[0], 0, n);
      const hi = s[1] === null ? n : clampIdx(s[1], 0, n);
      start.push(lo);
      limit.push(Math.max(lo, hi));
      strides.push(step);
    } else {
      // Negative step: slice the reversed axis. Index i of the original is n−1−i of the reversed one.
      const first = s[0] === null ? n - 1 : clampIdx(s[0], -1, n - 1);
      const last = s[1] === null ? -1 : clampIdx(s[1], -1, n - 1);
      const lo = n - 1 - first;
      const hi = Math.max(lo, n - 1 - last);
      start.push(lo);
      limit.push(hi);
      strides.push(-step);
      flipAxes.push(axis);
    }
  });
  const y = lax.slice(lax.rev(a, flipAxes), start, limit, strides);
  return dropAxes.length ? lax.reshape(y, y.shape.filter((_, i) => !dropAxes.includes(i))) : y;
}

function indicesArray(op: string, indices: ArrayLike | readonly number[]): NdArray {
  if (Array.isArray(indices) || typeof indices === "number") {
    const list: unknown[] = Array.isArray(indices) ? indices : [indices];
    const bad = list.find((v) => typeof v !== "number" || !Number.isInteger(v));
    if (bad !== undefined) throw new DTypeError(`${op}: indices must be integers, got ${JSON.stringify(bad)}`);
  }
  const idx = Array.isArray(indices) ? array(Int32Array.from(indices as number[])) : asArray(indices as ArrayLike, "int32");
  checkIntegerIndices(op, idx);
  return idx.dtype === "int32" ? idx : lax.convertElementType(idx, "int32");
}

/** Wrap negative indices of axis `axis` of `x`, and check bounds when the indices are concrete. */
function normalizeIndices(op: string, idx: NdArray, x: NdArray, axis: number): NdArray {
  const n = x.shape[axis]!;
  if (!isTracer(idx)) {
    const data = idx.toTypedArray();
    for (const v of data) {
      if (v < -n || v >= n) throw new RangeError(`${op}: index ${v} is out of bounds for axis ${axis} of ${x.aval.str()} (size ${n}; valid: ${-n}..${n - 1})`);
    }
    if (!data.some((v) => v < 0)) return idx;
  }
  const neg = lax.lt(idx, lax.zerosLike(idx));
  return lax.selectN(neg, idx, lax.add(idx, lax.fullLike(idx, n)));
}

/** Take elements along `axis` at `indices` (any shape): embedding lookup. Without `axis`, the array is flattened. */
export function take(x: ArrayLike, indices: ArrayLike | readonly number[], axis?: number): NdArray {
  let a = asArray(x);
  if (axis === undefined) a = lax.reshape(a, [a.size]);
  const ax = axisOf("take", axis ?? 0, a);
  const idx = normalizeIndices("take", indicesArray("take", indices), a, ax);
  return lax.gather(a, idx, ax);
}

/** `out[…, j, …] = x[…, indices[…, j, …], …]` along `axis` (indices broadcast against x's other axes). */
export function takeAlongAxis(x: ArrayLike, indices: ArrayLike, axis: number): NdArray {
  const a = asArray(x);
  const idx0 = indicesArray("takeAlongAxis", indices);
  if (idx0.ndim !== a.ndim) throw new ShapeError(`takeAlongAxis: indices ${idx0.aval.str()} must have the rank of x ${a.aval.str()}`);
  const ax = axisOf("takeAlongAxis", axis, a);
  const n = a.shape[ax]!;
  const idx1 = normalizeIndices("takeAlongAxis", idx0, a, ax);
  let other: number[];
  try {
    other = broadcastShapes("takeAlongAxis", a.shape.map((d, i) => (i === ax ? 1 : d)), idx1.shape.map((d, i) => (i === ax ? 1 : d)));
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(`takeAlongAxis: indices ${idx1.aval.str()} do not broadcast against x ${a.aval.str()} outside axis ${ax}`);
  }
  const xShape = other.map((d, i) => (i === ax ? n : d));
  const outShape = other.map((d, i) => (i === ax ? idx1.shape[ax]! : d));
  const xb = broadcastTo(a, xShape, "takeAlongAxis");
  const ib = broadcastTo(idx1, outShape, "takeAlongAxis");
  // Flat index into xb: Σ coord_d · stride_d with the axis coordinate taken from the indices.
  let flat: NdArray | null = null;
  let stride = 1;
  for (let d = xShape.length - 1; d >= 0; d--) {
    const coord = d === ax ? ib : lax.iota("int32", outShape, d);
    const term = lax.mul(coord, lax.full(outShape, stride, "int32"));
    flat = flat ? lax.add(flat, term) : term;
    stride *= xShape[d]!;
  }
  const flatIdx = flat ?? lax.full(outShape, 0, "int32");
  return lax.gather(lax.reshape(xb, [xb.size]), flatIdx, 0);
}

/** One-hot encoding: `labels[..., None] == arange(numClasses)` as `dtype` (float32 by default). */
export function oneHot(labels: ArrayLike, numClasses: number, opts: { dtype?: DType } = {}): NdArray {
  const l = asArray(labels, "int32");
  if (!Number.isInteger(numClasses) || numClasses < 0) throw new RangeError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
  const shape = [...l.shape, numClasses];
  // Compare in the labels' own type (as JAX): a float label 1.5 matches no class, -1 or ≥ numClasses gives a zero row.
  const cmp = l.dtype === "bool" || l.dtype === "uint32" ? "int32" : l.dtype;
  const li = l.dtype === cmp ? l : lax.convertElementType(l, cmp);
  const hit = lax.eq(lax.broadcastInDim(li, shape, l.shape.map((_, i) => i)), lax.iota(cmp, shape, l.ndim));
  return lax.convertElementType(hit, opts.dtype === undefined ? "float32" : checkDType("oneHot", opts.dtype));
}

/** `x` with `updates` added at `indices` along `axis` (repeated indices accumulate): `x.at[idx].add(u)`. */
export function scatterAdd(x: ArrayLike, indices: ArrayLike | readonly number[], updates: ArrayLike, axis = 0): NdArray {
  const a = asArray(x);
  const ax = axisOf("scatterAdd", axis, a);
  const idx = normalizeIndices("scatterAdd", indicesArray("scatterAdd", indices), a, ax);
  const want = [...a.shape.slice(0, ax), ...idx.shape, ...a.shape.slice(ax + 1)];
  const u = broadcastTo(lax.convertElementType(asArray(updates, a.dtype), a.dtype), want, "scatterAdd");
  return lax.scatterAdd(a, idx, u, ax);
}

/** Rows `x[i]` as a reshape-free alias of `take(x, i, 0)` for scalars: `x[i]` drops axis 0. */
export function index(x: ArrayLike, i: number): NdArray {
  return slice(x, i);
}

