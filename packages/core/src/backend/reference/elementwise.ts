/** Reference kernels for elementwise primitives (operands already have equal shapes). */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { BinaryPrim, ComparePrim, UnaryPrim } from "../../primitives.js";
import { alloc, data, wrap } from "./util.js";
import { erf, erfInv, logistic, roundHalfEven } from "./scalar-math.js";

/** Scalar definition of each unary primitive (float64 arithmetic, rounded on store). */
export const UNARY_FNS: Record<UnaryPrim, (x: number) => number> = {
  neg: (x) => -x,
  sign: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  is_finite: (x) => (Number.isFinite(x) ? 1 : 0),
  not: (x) => (x ? 0 : 1),
  exp: Math.exp,
  log: Math.log,
  expm1: Math.expm1,
  log1p: Math.log1p,
  tanh: Math.tanh,
  logistic,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  abs: Math.abs,
  erf,
  erf_inv: erfInv,
};

/** Scalar definition of each binary primitive for float operands. */
export const BINARY_FNS: Record<BinaryPrim, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  rem: (a, b) => a % b,
  pow: cPow,
  // IEEE 754-2019 maximum/minimum (NaN-propagating, −0 below +0), as the wasm kernels' f32x4.max/min.
  max: Math.max,
  min: Math.min,
  atan2: Math.atan2,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
};

/** C's pow (as XLA): unlike Math.pow, 1^y = 1 and (−1)^±∞ = 1, even for y = NaN. */
function cPow(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** Integer overrides where float arithmetic would be wrong (exact products, truncating division). */
export const INT_OVERRIDES: Partial<Record<BinaryPrim, (a: number, b: number) => number>> = {
  mul: Math.imul,
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
  rem: (a, b) => (b === 0 ? 0 : a % b),
  pow: (a, b) => (b < 0 ? (a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0) : Math.pow(a, b)),
};

export const COMPARE_FNS: Record<ComparePrim, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

/** Kernel for unary primitive `prim`. */
export function unaryKernel(prim: UnaryPrim) {
  const f = UNARY_FNS[prim];
  return (inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray => {
    const x = data(inputs[0]!);
    const y = alloc(out);
    for (let i = 0; i < x.length; i++) y[i] = f(x[i]!);
    return wrap(y, out);
  };
}

/** Kernel for binary primitive `prim`. */
export function binaryKernel(prim: BinaryPrim) {
  const floatFn = BINARY_FNS[prim];
  const intFn = INT_OVERRIDES[prim] ?? floatFn;
  return (inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray => {
    const a = data(inputs[0]!);
    const b = data(inputs[1]!);
    const f = out.dtype === "float32" || out.dtype === "float64" ? floatFn : intFn;
    const y = alloc(out);
    for (let i = 0; i < y.length; i++) y[i] = f(a[i]!, b[i]!);
    return wrap(y, out);
  };
}

/** Kernel for comparison primitive `prim` (bool output). */
export function compareKernel(prim: ComparePrim) {
  const f = COMPARE_FNS[prim];
  return (inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray => {
    const a = data(inputs[0]!);
    const b = data(inputs[1]!);
    const y = alloc(out);
    for (let i = 0; i < y.length; i++) y[i] = f(a[i]!, b[i]!) ? 1 : 0;
    return wrap(y, out);
  };
}

/** `select_n(pred, onFalse, onTrue)`. */
export function selectNKernel(inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray {
  const p = data(inputs[0]!);
  const f = data(inputs[1]!);
  const t = data(inputs[2]!);
  const y = alloc(out);
  for (let i = 0; i < y.length; i++) y[i] = p[i] ? t[i]! : f[i]!;
  return wrap(y, out);
}

/** Integer range of each integer dtype, for saturating float→int casts. */
export const INT_RANGE: Partial<Record<string, readonly [number, number]>> = { int32: [-2147483648, 2147483647], uint32: [0, 4294967295] };

/**
 * Cast to `out.dtype`: anything→bool is `x ≠ 0`; float→int truncates toward zero, saturates at the
 * integer range and sends NaN to 0 (XLA's semantics; storing into an Int32Array would wrap instead);
 * int→int wraps (two's complement).
 */
export function convertKernel(inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray {
  const x = data(inputs[0]!);
  const y = alloc(out);
  const range = INT_RANGE[out.dtype];
  const fromFloat = inputs[0]!.dtype === "float32" || inputs[0]!.dtype === "float64";
  if (out.dtype === "bool") for (let i = 0; i < x.length; i++) y[i] = x[i] !== 0 ? 1 : 0;
  else if (range && fromFloat) {
    const [lo, hi] = range;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      y[i] = Number.isNaN(v) ? 0 : v <= lo ? lo : v >= hi ? hi : Math.trunc(v);
    }
  } else y.set(x);
  return wrap(y, out);
}

/** Identity (stop_gradient at evaluation time): returns the same immutable array. */
export function identityKernel(inputs: readonly ConcreteArray[]): ConcreteArray {
  return inputs[0]!;
}
