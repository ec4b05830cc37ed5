/** Array creation: zeros, ones, full, arange, linspace, eye, diag, tri masks, *Like. */
import type { ArrayLike, NdArray } from "../array.js";
import { type DType, checkDType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { checkShape } from "../shape.js";
import { asArray } from "./convert.js";

/** Options naming a dtype. */
export type DTypeOptions = { dtype?: DType };

const dt = (op: string, o: DTypeOptions | undefined, fallback: DType = "float32"): DType => (o?.dtype === undefined ? fallback : checkDType(op, o.dtype));

/** An array of zeros. */
export function zeros(shape: readonly number[], opts?: DTypeOptions): NdArray {
  return lax.full(checkShape("zeros", shape), 0, dt("zeros", opts));
}

/** An array of ones. */
export function ones(shape: readonly number[], opts?: DTypeOptions): NdArray {
  return lax.full(checkShape("ones", shape), 1, dt("ones", opts));
}

/** An array filled with `value`. */
export function full(shape: readonly number[], value: number | boolean, opts?: DTypeOptions): NdArray {
  return lax.full(checkShape("full", shape), value, dt("full", opts, typeof value === "boolean" ? "bool" : "float32"));
}

/** Zeros shaped like `x` (its dtype unless given). */
export function zerosLike(x: ArrayLike, opts?: DTypeOptions): NdArray {
  const a = asArray(x);
  return lax.full(a.shape, 0, dt("zerosLike", opts, a.dtype));
}

/** Ones shaped like `x`. */
export function onesLike(x: ArrayLike, opts?: DTypeOptions): NdArray {
  const a = asArray(x);
  return lax.full(a.shape, 1, dt("onesLike", opts, a.dtype));
}

/** `value` shaped like `x`. */
export function fullLike(x: ArrayLike, value: number | boolean, opts?: DTypeOptions): NdArray {
  const a = asArray(x);
  return lax.full(a.shape, value, dt("fullLike", opts, a.dtype));
}

/** `start, start+step, …` below `stop`; `arange(n)` counts 0..n−1. Integer arguments give int32 (as JAX). */
export function arange(start: number, stop?: number, step = 1, opts?: DTypeOptions): NdArray {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const allInt = [lo, hi, step].every(Number.isInteger);
  const dtype = dt("arange", opts, allInt ? "int32" : "float32");
  const work: DType = dtype === "float64" ? "float64" : allInt && dtype !== "float32" ? dtype : "float32";
  const i = lax.iota(work, [n], 0);
  const y = lax.add(lax.mul(i, lax.full([n], step, work)), lax.full([n], lo, work));
  return lax.convertElementType(y, dtype);
}

/** `num` evenly spaced values from `start` to `stop` (inclusive unless `endpoint: false`). */
export function linspace(start: number, stop: number, num = 50, opts: DTypeOptions & { endpoint?: boolean } = {}): NdArray {
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const dtype = dt("linspace", opts);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const i = lax.iota("float64", [num], 0);
  let y = lax.add(lax.mul(i, lax.full([num], step, "float64")), lax.full([num], start, "float64"));
  if (endpoint && num > 1) y = lax.selectN(lax.eq(i, lax.full([num], num - 1, "float64")), y, lax.full([num], stop, "float64"));
  return lax.convertElementType(y, dtype);
}

/** The n×m identity (ones on diagonal `k`). */
export function eye(n: number, m?: number, opts: DTypeOptions & { k?: number } = {}): NdArray {
  const cols = m ?? n;
  checkShape("eye", [n, cols]);
  const k = opts.k ?? 0;
  const r = lax.iota("int32", [n, cols], 0);
  const c = lax.iota("int32", [n, cols], 1);
  return lax.convertElementType(lax.eq(lax.add(r, lax.full([n, cols], k, "int32")), c), dt("eye", opts));
}

/** The n×n identity `I_n`. */
export function identity(n: number, opts?: DTypeOptions): NdArray {
  return eye(n, n, opts);
}

/** Lower-triangular mask/values: `x` with entries above diagonal `k` zeroed. */
export function tril(x: ArrayLike, k = 0): NdArray {
  return triMask(asArray(x), k, true);
}

/** Upper-triangular: `x` with entries below diagonal `k` zeroed. */
export function triu(x: ArrayLike, k = 0): NdArray {
  return triMask(asArray(x), k, false);
}

function triMask(a: NdArray, k: number, lower: boolean): NdArray {
  if (a.ndim < 2) throw new ShapeError(`${lower ? "tril" : "triu"}: needs an array of rank ≥ 2, got ${a.aval.str()}`);
  const r = lax.iota("int32", a.shape, a.ndim - 2);
  const c = lax.iota("int32", a.shape, a.ndim - 1);
  const rk = lax.add(r, lax.full(a.shape, k, "int32"));
  const keep = lower ? lax.le(c, rk) : lax.ge(c, rk);
  return lax.selectN(keep, lax.zerosLike(a), a);
}

/** `diag(v)`: a square matrix with `v` on diagonal `k`; `diag(A)`: the diagonal of a matrix. */
export function diag(x: ArrayLike, k = 0): NdArray {
  const a = asArray(x);
  if (a.ndim === 1) {
    const n = a.shape[0]! + Math.abs(k);
    const mask = eye(n, n, { k, dtype: "bool" });
    const rowVals = lax.broadcastInDim(padTo(a, n, k), [n, n], [k >= 0 ? 0 : 1]);
    return lax.selectN(mask, lax.zerosLike(rowVals), rowVals);
  }
  if (a.ndim === 2) return diagonal(a, k);
  throw new ShapeError(`diag: expects a 1-D or 2-D array, got ${a.aval.str()}`);
}

function padTo(v: NdArray, n: number, k: number): NdArray {
  const extra = n - v.shape[0]!;
  return lax.pad(v, lax.scalar(0, v.dtype), [k >= 0 ? [0, extra, 0] : [0, extra, 0]]);
}

/** The diagonal `k` of the last two axes. */
export function diagonal(x: ArrayLike, k = 0): NdArray {
  const a = asArray(x);
  if (a.ndim < 2) throw new ShapeError(`diagonal: needs an array of rank ≥ 2, got ${a.aval.str()}`);
  const [n, m] = [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
  const len = Math.max(0, Math.min(n, m - k, n + k, m));
  const rowStart = k >= 0 ? 0 : -k;
  const colStart = k >= 0 ? k : 0;
  const count = Math.max(0, Math.min(n - rowStart, m - colStart, len));
  // Flatten the matrix axes and take every (m+1)-th element from the diagonal's start.
  const lead = a.shape.slice(0, -2);
  const flat = lax.reshape(a, [...lead, n * m]);
  const start = rowStart * m + colStart;
  if (count === 0) return lax.full([...lead, 0], 0, a.dtype);
  return lax.slice(flat, [...lead.map(() => 0), start], [...lead, start + (count - 1) * (m + 1) + 1], [...lead.map(() => 1), m + 1]);
}
