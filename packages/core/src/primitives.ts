/** The primitive set: each primitive's name (JAX's snake_case) mapped to its typed params. */
import type { DType } from "./dtype.js";
import type { ClosedJaxpr, Jaxpr } from "./interpreters/jaxpr-types.js";
import type { NdArray } from "./array.js";

/** Names of the unary elementwise primitives (same-shape in, same-shape out). */
export type UnaryPrim =
  | "neg" | "sign" | "floor" | "ceil" | "round" | "is_finite" | "not"
  | "exp" | "log" | "expm1" | "log1p" | "tanh" | "logistic"
  | "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh"
  | "sqrt" | "rsqrt" | "abs" | "erf" | "erf_inv";

/** Names of the binary elementwise primitives (operands of equal shape and dtype). */
export type BinaryPrim =
  | "add" | "sub" | "mul" | "div" | "rem" | "pow" | "max" | "min" | "atan2"
  | "and" | "or" | "xor";

/** Comparison primitives (equal shapes and dtypes in, bool out). */
export type ComparePrim = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

/** Reductions over a set of axes. */
export type ReducePrim = "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod";

/** Padding of a convolution or window: one `[low, high]` pair per spatial dimension. */
export type Padding = readonly (readonly [number, number])[];

/** Dimension numbers of `conv_general_dilated`: which axis is batch/feature/spatial in each operand. */
export type ConvDimensionNumbers = {
  /** lhs layout: [batch, feature, ...spatial] axis indices. */
  readonly lhs: readonly number[];
  /** rhs layout: [outFeature, inFeature, ...spatial] axis indices. */
  readonly rhs: readonly number[];
  /** out layout: [batch, feature, ...spatial] axis indices. */
  readonly out: readonly number[];
};

/** A jvp rule supplied by `customJvp`: (primals, tangents) → [primalOuts, tangentOuts]. */
export type CustomJvpRule = (primals: NdArray[], tangents: NdArray[]) => [NdArray[], NdArray[]];
/** A forward pass supplied by `customVjp`: primals → [outs, residuals]. */
export type CustomFwd = (primals: NdArray[]) => [NdArray[], NdArray[]];
/** A backward pass supplied by `customVjp`: (residuals, cotangents) → input cotangents. */
export type CustomBwd = (residuals: NdArray[], cts: NdArray[]) => NdArray[];

/** Params of every primitive; a primitive's name is a key of this map. */
export type PrimParams = { [P in UnaryPrim | BinaryPrim | ComparePrim]: Record<string, never> } & {
  [P in ReducePrim]: { axes: readonly number[] };
} & {
  select_n: Record<string, never>;
  convert_element_type: { newDtype: DType };
  stop_gradient: Record<string, never>;
  argmax: { axis: number; indexDtype: DType };
  argmin: { axis: number; indexDtype: DType };
  cumsum: { axis: number; reverse: boolean };
  iota: { dtype: DType; shape: readonly number[]; dimension: number };
  broadcast_in_dim: { shape: readonly number[]; broadcastDimensions: readonly number[] };
  reshape: { newSizes: readonly number[] };
  transpose: { permutation: readonly number[] };
  rev: { dimensions: readonly number[] };
  pad: { config: readonly (readonly [number, number, number])[] };
  concatenate: { dimension: number };
  slice: { start: readonly number[]; limit: readonly number[]; strides: readonly number[] };
  gather: { axis: number };
  scatter_add: { axis: number };
  dot_general: {
    contracting: readonly [readonly number[], readonly number[]];
    batch: readonly [readonly number[], readonly number[]];
  };
  conv_general_dilated: {
    windowStrides: readonly number[];
    padding: Padding;
    lhsDilation: readonly number[];
    rhsDilation: readonly number[];
    dimensionNumbers: ConvDimensionNumbers;
    featureGroupCount: number;
    batchGroupCount: number;
  };
  reduce_window: {
    op: "sum" | "max" | "min";
    windowDimensions: readonly number[];
    windowStrides: readonly number[];
    padding: Padding;
  };
  select_and_gather_add: {
    op: "max" | "min";
    windowDimensions: readonly number[];
    windowStrides: readonly number[];
    padding: Padding;
  };
  select_and_scatter_add: {
    op: "max" | "min";
    windowDimensions: readonly number[];
    windowStrides: readonly number[];
    padding: Padding;
  };
  pjit: { jaxpr: Jaxpr; numConsts: number; name: string };
  remat: { jaxpr: Jaxpr; numConsts: number; name: string; policy?: (prim: PrimName, params: unknown) => boolean };
  scan: { jaxpr: Jaxpr; numConsts: number; numCarry: number; length: number; reverse: boolean };
  while: { condJaxpr: Jaxpr; condNumConsts: number; bodyJaxpr: Jaxpr; bodyNumConsts: number };
  cond: { branches: readonly Jaxpr[] };
  shift_left: Record<string, never>;
  shift_right_logical: Record<string, never>;
  bitcast_convert_type: { newDtype: DType };
  threefry2x32: Record<string, never>;
  cholesky: Record<string, never>;
  triangular_solve: { leftSide: boolean; lower: boolean; transposeA: boolean; unitDiagonal: boolean };
  lu: Record<string, never>;
  qr: { fullMatrices: boolean };
  eigh: Record<string, never>;
  svd: { fullMatrices: boolean; computeUv: boolean };
  custom_jvp_call: { call: ClosedJaxpr; jvp: CustomJvpRule; symbolicZeros: false };
  custom_vjp_call: { call: ClosedJaxpr; fwd: CustomFwd; bwd: CustomBwd; numOuts: number };
  custom_lin: { bwd: CustomBwd; numResiduals: number; outAvals: readonly { shape: readonly number[]; dtype: DType }[] };
};

/** Every primitive name. */
export type PrimName = keyof PrimParams;
