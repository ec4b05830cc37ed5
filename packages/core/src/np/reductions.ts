/** NumPy-style reductions with `axis` and `keepdims`. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { asArray, axesOf, axisOf, toFloat } from "./convert.js";

/** Axis argument of reductions: one axis, several, or all (undefined/null). */
export type Axis = number | readonly number[] | null | undefined;
/** Options of reductions. */
export type ReduceOptions = { keepdims?: boolean };

function keep(y: NdArray, x: NdArray, axes: readonly number[], keepdims: boolean | undefined): NdArray {
  if (!keepdims) return y;
  return lax.reshape(y, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

function nonEmpty(op: string, x: NdArray, axes: readonly number[]): void {
  if (axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(`${op}: zero-size reduction over an empty axis of ${x.aval.str()}; it has no identity. Use a non-empty array or pass an initial value`);
  }
}

/** Sum over `axis` (bools are counted as int32). */
export function sum(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  let a = asArray(x);
  if (a.dtype === "bool") a = lax.convertElementType(a, "int32");
  const axes = axesOf("sum", axis, a);
  return keep(lax.reduceSum(a, axes), a, axes, opts.keepdims);
}

/** Product over `axis`. */
export function prod(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  let a = asArray(x);
  if (a.dtype === "bool") a = lax.convertElementType(a, "int32");
  const axes = axesOf("prod", axis, a);
  return keep(lax.reduceProd(a, axes), a, axes, opts.keepdims);
}

/** Maximum over `axis`. */
export function max(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  const a = asArray(x);
  const axes = axesOf("max", axis, a);
  nonEmpty("max", a, axes);
  return keep(lax.reduceMax(a, axes), a, axes, opts.keepdims);
}

/** Minimum over `axis`. */
export function min(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  const a = asArray(x);
  const axes = axesOf("min", axis, a);
  nonEmpty("min", a, axes);
  return keep(lax.reduceMin(a, axes), a, axes, opts.keepdims);
}

/** Arithmetic mean over `axis` (integers are averaged in float32). */
export function mean(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  const a = toFloat(asArray(x));
  const axes = axesOf("mean", axis, a);
  const n = axes.reduce((k, ax) => k * a.shape[ax]!, 1);
  const s = lax.reduceSum(a, axes);
  return keep(lax.div(s, lax.fullLike(s, n)), a, axes, opts.keepdims);
}

/** Options of `var`/`std`: `ddof` is subtracted from the count (0: population, 1: sample). */
export type VarOptions = ReduceOptions & { ddof?: number };

/** Variance over `axis`: mean(|x − mean(x)|²)·n/(n − ddof). */
export function variance(x: ArrayLike, axis?: Axis, opts: VarOptions = {}): NdArray {
  const a = toFloat(asArray(x));
  const axes = axesOf("var", axis, a);
  const n = axes.reduce((k, ax) => k * a.shape[ax]!, 1);
  const m = mean(a, axes, { keepdims: true });
  const d = lax.sub(a, lax.broadcastInDim(lax.reshape(m, m.shape.filter((_, i) => !axes.includes(i))), a.shape, a.shape.map((_, i) => i).filter((i) => !axes.includes(i))));
  const ss = lax.reduceSum(lax.mul(d, d), axes);
  return keep(lax.div(ss, lax.fullLike(ss, n - (opts.ddof ?? 0))), a, axes, opts.keepdims);
}

/** Standard deviation over `axis`. */
export function std(x: ArrayLike, axis?: Axis, opts: VarOptions = {}): NdArray {
  return lax.sqrt(variance(x, axis, opts));
}

function argReduce(op: "argmax" | "argmin", x: ArrayLike, axis: number | undefined, opts: ReduceOptions): NdArray {
  let a = asArray(x);
  let ax: number;
  if (axis === undefined) {
    a = lax.reshape(a, [a.size]);
    ax = 0;
  } else ax = axisOf(op, axis, a);
  nonEmpty(op, a, [ax]);
  const y = op === "argmax" ? lax.argmax(a, ax) : lax.argmin(a, ax);
  if (!opts.keepdims) return y;
  // Without an axis the result stands for the whole (flattened) array: keepdims gives all-ones dims.
  const x0 = asArray(x);
  return axis === undefined ? lax.reshape(y, x0.shape.map(() => 1)) : keep(y, a, [ax], true);
}

/** Index of the maximum along `axis` (over the flattened array when omitted); int32. */
export function argmax(x: ArrayLike, axis?: number, opts: ReduceOptions = {}): NdArray {
  return argReduce("argmax", x, axis, opts);
}

/** Index of the minimum along `axis` (over the flattened array when omitted); int32. */
export function argmin(x: ArrayLike, axis?: number, opts: ReduceOptions = {}): NdArray {
  return argReduce("argmin", x, axis, opts);
}

/** log Σ e^x over `axis`, computed stably by subtracting the (gradient-stopped) maximum. */
export function logsumexp(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  const a = toFloat(asArray(x));
  const axes = axesOf("logsumexp", axis, a);
  nonEmpty("logsumexp", a, axes);
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const m = lax.stopGradient(lax.reduceMax(a, axes));
  // An all −∞ (or +∞/NaN) slice would give ∞ − ∞; shift by 0 there instead.
  const safeM = lax.selectN(lax.isFinite(m), lax.zerosLike(m), m);
  const shifted = lax.sub(a, lax.broadcastInDim(safeM, a.shape, kept));
  const y = lax.add(lax.log(lax.reduceSum(lax.exp(shifted), axes)), safeM);
  return keep(y, a, axes, opts.keepdims);
}

/** Cumulative sum along `axis` (over the flattened array when omitted). */
export function cumsum(x: ArrayLike, axis?: number, opts: { reverse?: boolean } = {}): NdArray {
  let a = asArray(x);
  if (a.dtype === "bool") a = lax.convertElementType(a, "int32");
  if (axis === undefined) return lax.cumsum(lax.reshape(a, [a.size]), 0, opts.reverse ?? false);
  return lax.cumsum(a, axisOf("cumsum", axis, a), opts.reverse ?? false);
}

/** Whether every element along `axis` is truthy. */
export function all(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  const a = asArray(x);
  const b = a.dtype === "bool" ? a : lax.ne(a, lax.zerosLike(a));
  const axes = axesOf("all", axis, a);
  return keep(lax.reduceMin(b, axes), a, axes, opts.keepdims);
}

/** Whether any element along `axis` is truthy. */
export function any(x: ArrayLike, axis?: Axis, opts: ReduceOptions = {}): NdArray {
  const a = asArray(x);
  const b = a.dtype === "bool" ? a : lax.ne(a, lax.zerosLike(a));
  const axes = axesOf("any", axis, a);
  return keep(lax.reduceMax(b, axes), a, axes, opts.keepdims);
}

