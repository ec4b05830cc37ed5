/**
 * `lax`: one thin function per primitive (JAX's `jax.lax`). Operands must already agree in shape and
 * dtype; the NumPy layer (`np`) does broadcasting and promotion on top of these.
 */
import { ConcreteArray, type NdArray } from "../array.js";
import { type DType, allocate, castScalar } from "../dtype.js";
import type { ConvDimensionNumbers, Padding, PrimParams } from "../primitives.js";
import { bind, bind1 } from "../trace.js";

const none = {} as Record<string, never>;

/** A concrete 0-d array holding `value` as `dtype`. */
export function scalar(value: number | boolean, dtype: DType): NdArray {
  const buf = allocate(dtype, 1);
  buf[0] = castScalar(Number(value), dtype);
  return new ConcreteArray(buf, [], dtype);
}

/** An array of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number | boolean, dtype: DType): NdArray {
  return broadcastInDim(scalar(value, dtype), shape, []);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: NdArray): NdArray {
  return full(x.shape, 0, x.dtype);
}

/** `x` as a 0-d array filled with `value` broadcast to x's shape, same dtype. */
export function fullLike(x: NdArray, value: number): NdArray {
  return full(x.shape, value, x.dtype);
}

/** -x */ export const neg = (x: NdArray) => bind1("neg", [x], none);
/** sign(x) */ export const sign = (x: NdArray) => bind1("sign", [x], none);
/** floor(x) */ export const floor = (x: NdArray) => bind1("floor", [x], none);
/** ceil(x) */ export const ceil = (x: NdArray) => bind1("ceil", [x], none);
/** round half to even */ export const round = (x: NdArray) => bind1("round", [x], none);
/** isfinite(x) */ export const isFinite = (x: NdArray) => bind1("is_finite", [x], none);
/** logical not of a bool array */ export const not = (x: NdArray) => bind1("not", [x], none);
/** e^x */ export const exp = (x: NdArray) => bind1("exp", [x], none);
/** ln x */ export const log = (x: NdArray) => bind1("log", [x], none);
/** e^x − 1 */ export const expm1 = (x: NdArray) => bind1("expm1", [x], none);
/** ln(1 + x) */ export const log1p = (x: NdArray) => bind1("log1p", [x], none);
/** tanh x */ export const tanh = (x: NdArray) => bind1("tanh", [x], none);
/** 1 / (1 + e^−x) */ export const logistic = (x: NdArray) => bind1("logistic", [x], none);
/** sin x */ export const sin = (x: NdArray) => bind1("sin", [x], none);
/** cos x */ export const cos = (x: NdArray) => bind1("cos", [x], none);
/** tan x */ export const tan = (x: NdArray) => bind1("tan", [x], none);
/** asin x */ export const asin = (x: NdArray) => bind1("asin", [x], none);
/** acos x */ export const acos = (x: NdArray) => bind1("acos", [x], none);
/** atan x */ export const atan = (x: NdArray) => bind1("atan", [x], none);
/** sinh x */ export const sinh = (x: NdArray) => bind1("sinh", [x], none);
/** cosh x */ export const cosh = (x: NdArray) => bind1("cosh", [x], none);
/** √x */ export const sqrt = (x: NdArray) => bind1("sqrt", [x], none);
/** 1/√x */ export const rsqrt = (x: NdArray) => bind1("rsqrt", [x], none);
/** |x| */ export const abs = (x: NdArray) => bind1("abs", [x], none);
/** erf x */ export const erf = (x: NdArray) => bind1("erf", [x], none);
/** erf⁻¹ x */ export const erfInv = (x: NdArray) => bind1("erf_inv", [x], none);

/** x + y */ export const add = (x: NdArray, y: NdArray) => bind1("add", [x, y], none);
/** x − y */ export const sub = (x: NdArray, y: NdArray) => bind1("sub", [x, y], none);
/** x · y */ export const mul = (x: NdArray, y: NdArray) => bind1("mul", [x, y], none);
/** x / y (truncating for integers) */ export const div = (x: NdArray, y: NdArray) => bind1("div", [x, y], none);
/** x mod y with the sign of x (C fmod) */ export const rem = (x: NdArray, y: NdArray) => bind1("rem", [x, y], none);
/** x^y */ export const pow = (x: NdArray, y: NdArray) => bind1("pow", [x, y], none);
/** elementwise max (NaN-propagating) */ export const max = (x: NdArray, y: NdArray) => bind1("max", [x, y], none);
/** elementwise min (NaN-propagating) */ export const min = (x: NdArray, y: NdArray) => bind1("min", [x, y], none);
/** atan2(x, y) */ export const atan2 = (x: NdArray, y: NdArray) => bind1("atan2", [x, y], none);
/** bitwise/logical and */ export const and = (x: NdArray, y: NdArray) => bind1("and", [x, y], none);
/** bitwise/logical or */ export const or = (x: NdArray, y: NdArray) => bind1("or", [x, y], none);
/** bitwise/logical xor */ export const xor = (x: NdArray, y: NdArray) => bind1("xor", [x, y], none);
/** x == y */ export const eq = (x: NdArray, y: NdArray) => bind1("eq", [x, y], none);
/** x != y */ export const ne = (x: NdArray, y: NdArray) => bind1("ne", [x, y], none);
/** x < y */ export const lt = (x: NdArray, y: NdArray) => bind1("lt", [x, y], none);
/** x <= y */ export const le = (x: NdArray, y: NdArray) => bind1("le", [x, y], none);
/** x > y */ export const gt = (x: NdArray, y: NdArray) => bind1("gt", [x, y], none);
/** x >= y */ export const ge = (x: NdArray, y: NdArray) => bind1("ge", [x, y], none);

/** `pred ? onTrue : onFalse` elementwise (JAX's `select_n(pred, onFalse, onTrue)`). */
export const selectN = (pred: NdArray, onFalse: NdArray, onTrue: NdArray) => bind1("select_n", [pred, onFalse, onTrue], none);
/** Cast to `newDtype`. */
export const convertElementType = (x: NdArray, newDtype: DType) =>
  x.dtype === newDtype ? x : bind1("convert_element_type", [x], { newDtype });
/** Identity whose derivative is zero. */
export const stopGradient = (x: NdArray) => bind1("stop_gradient", [x], none);

/** Sum over `axes`. */ export const reduceSum = (x: NdArray, axes: readonly number[]) => (axes.length ? bind1("reduce_sum", [x], { axes }) : x);
/** Max over `axes`. */ export const reduceMax = (x: NdArray, axes: readonly number[]) => (axes.length ? bind1("reduce_max", [x], { axes }) : x);
/** Min over `axes`. */ export const reduceMin = (x: NdArray, axes: readonly number[]) => (axes.length ? bind1("reduce_min", [x], { axes }) : x);
/** Product over `axes`. */ export const reduceProd = (x: NdArray, axes: readonly number[]) => (axes.length ? bind1("reduce_prod", [x], { axes }) : x);
/** Index of the max along `axis`. */
export const argmax = (x: NdArray, axis: number, indexDtype: DType = "int32") => bind1("argmax", [x], { axis, indexDtype });
/** Index of the min along `axis`. */
export const argmin = (x: NdArray, axis: number, indexDtype: DType = "int32") => bind1("argmin", [x], { axis, indexDtype });
/** Inclusive cumulative sum along `axis`. */
export const cumsum = (x: NdArray, axis: number, reverse = false) => bind1("cumsum", [x], { axis, reverse });

/** Indices 0..n−1 along `dimension` of `shape`. */
export const iota = (dtype: DType, shape: readonly number[], dimension: number) => bind1("iota", [], { dtype, shape, dimension });
/** Broadcast `x` into `shape`, operand dim i going to output dim `broadcastDimensions[i]`. */
export function broadcastInDim(x: NdArray, shape: readonly number[], broadcastDimensions: readonly number[]): NdArray {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i]) && broadcastDimensions.every((d, i) => d === i)) return x;
  return bind1("broadcast_in_dim", [x], { shape: [...shape], broadcastDimensions: [...broadcastDimensions] });
}
/** Reshape (row-major). */
export function reshape(x: NdArray, newSizes: readonly number[]): NdArray {
  if (x.ndim === newSizes.length && x.shape.every((d, i) => d === newSizes[i])) return x;
  return bind1("reshape", [x], { newSizes: [...newSizes] });
}
/** Permute axes. */
export function transpose(x: NdArray, permutation: readonly number[]): NdArray {
  if (permutation.every((p, i) => p === i)) return x;
  return bind1("transpose", [x], { permutation: [...permutation] });
}
/** Reverse the given dimensions. */
export const rev = (x: NdArray, dimensions: readonly number[]) => (dimensions.length ? bind1("rev", [x], { dimensions: [...dimensions] }) : x);
/** Pad with `padValue` (0-d, same dtype): `[low, high, interior]` per dimension; low/high may be negative. */
export const pad = (x: NdArray, padValue: NdArray, config: readonly (readonly [number, number, number])[]) =>
  config.every(([l, h, i]) => l === 0 && h === 0 && i === 0) ? x : bind1("pad", [x, padValue], { config: config.map((c) => [...c] as const) });
/** Concatenate along `dimension`. */
export const concatenate = (xs: readonly NdArray[], dimension: number) => (xs.length === 1 ? xs[0]! : bind1("concatenate", xs, { dimension }));
/** Static slice `[start, limit)` with `strides`. */
export function slice(x: NdArray, start: readonly number[], limit: readonly number[], strides?: readonly number[]): NdArray {
  const st = strides ?? start.map(() => 1);
  if (start.every((s, i) => s === 0 && limit[i] === x.shape[i] && st[i] === 1)) return x;
  return bind1("slice", [x], { start: [...start], limit: [...limit], strides: [...st] });
}
/** Take `indices` (int32, any shape) along `axis`: out shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export const gather = (x: NdArray, indices: NdArray, axis: number) => bind1("gather", [x, indices], { axis });
/** Add `updates` into `operand` at `indices` along `axis` (the transpose of gather). */
export const scatterAdd = (operand: NdArray, indices: NdArray, updates: NdArray, axis: number) =>
  bind1("scatter_add", [operand, indices, updates], { axis });
/** General tensor contraction: output is batch dims, lhs free dims, rhs free dims. */
export const dotGeneral = (lhs: NdArray, rhs: NdArray, contracting: PrimParams["dot_general"]["contracting"], batch: PrimParams["dot_general"]["batch"] = [[], []]) =>
  bind1("dot_general", [lhs, rhs], { contracting, batch });

/** Options of `convGeneralDilated` beyond strides and padding. */
export type ConvOptions = {
  lhsDilation?: readonly number[];
  rhsDilation?: readonly number[];
  dimensionNumbers?: ConvDimensionNumbers;
  featureGroupCount?: number;
  batchGroupCount?: number;
};
/** N-d cross-correlation with strides, explicit padding, dilations and groups (default layout NCHW/OIHW). */
export function convGeneralDilated(lhs: NdArray, rhs: NdArray, windowStrides: readonly number[], padding: Padding, opts: ConvOptions = {}): NdArray {
  const nSpatial = lhs.ndim - 2;
  const iota = (k: number) => Array.from({ length: k }, (_, i) => i);
  const defaultDn: ConvDimensionNumbers = { lhs: iota(nSpatial + 2), rhs: iota(nSpatial + 2), out: iota(nSpatial + 2) };
  return bind1("conv_general_dilated", [lhs, rhs], {
    windowStrides: [...windowStrides],
    padding: padding.map((p) => [p[0], p[1]] as const),
    lhsDilation: opts.lhsDilation ?? new Array<number>(nSpatial).fill(1),
    rhsDilation: opts.rhsDilation ?? new Array<number>(nSpatial).fill(1),
    dimensionNumbers: opts.dimensionNumbers ?? defaultDn,
    featureGroupCount: opts.featureGroupCount ?? 1,
    batchGroupCount: opts.batchGroupCount ?? 1,
  });
}
/** Reduce windows of `x` by sum/max/min with strides and explicit padding (pad value is op's identity). */
export const reduceWindow = (x: NdArray, op: "sum" | "max" | "min", windowDimensions: readonly number[], windowStrides: readonly number[], padding: Padding) =>
  bind1("reduce_window", [x], { op, windowDimensions: [...windowDimensions], windowStrides: [...windowStrides], padding: padding.map((p) => [p[0], p[1]] as const) });
/** For each window of `operand`, the `tangent` value at its argmax/argmin (the jvp of max pooling). */
export const selectAndGatherAdd = (tangent: NdArray, operand: NdArray, params: PrimParams["select_and_gather_add"]) =>
  bind1("select_and_gather_add", [tangent, operand], params);
/** Scatter `source` (one value per window) to each window's argmax/argmin in `operand`'s shape. */
export const selectAndScatterAdd = (source: NdArray, operand: NdArray, params: PrimParams["select_and_scatter_add"]) =>
  bind1("select_and_scatter_add", [source, operand], params);

/** Apply a multi-output primitive (re-exported for interpreters that replay equations). */
export { bind };
