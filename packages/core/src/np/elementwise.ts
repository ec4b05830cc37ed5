/** NumPy-style elementwise functions with broadcasting and weak typing, built on lax primitives. */
import type { ArrayLike, NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import * as lax from "../lax/index.js";
import { asArray, broadcastAvals, broadcastTo, promoteAndBroadcast, resultDtype, toFloat } from "./convert.js";

type Binary = (x: ArrayLike, y: ArrayLike) => NdArray;
type Unary = (x: ArrayLike) => NdArray;

function binary(op: string, f: (a: NdArray, b: NdArray) => NdArray): Binary {
  return (x, y) => {
    const [a, b] = promoteAndBroadcast(op, x, y);
    return f(a!, b!);
  };
}

function floatBinary(op: string, f: (a: NdArray, b: NdArray) => NdArray): Binary {
  return (x, y) => {
    const [a, b] = promoteAndBroadcast(op, x, y);
    return f(toFloat(a!), toFloat(b!));
  };
}

const unary = (f: (a: NdArray) => NdArray): Unary => (x) => f(asArray(x));
const floatUnary = (f: (a: NdArray) => NdArray): Unary => (x) => f(toFloat(asArray(x)));
const c = (x: NdArray, v: number) => lax.fullLike(x, v);

/** x + y */ export const add = binary("add", lax.add);
/** x − y */ export const subtract = binary("subtract", lax.sub);
/** x ⊙ y (Hadamard product) */ export const multiply = binary("multiply", lax.mul);
/** x ⊘ y (true division: integers are promoted to float32) */ export const divide = floatBinary("divide", lax.div);
/** Integer division rounding toward −∞ (floats: floor(x / y)). */
export const floorDivide: Binary = (x, y) => {
  const [a, b] = promoteAndBroadcast("floorDivide", x, y);
  if (isFloat(a!.dtype)) return lax.floor(lax.div(a!, b!));
  const q = lax.div(a!, b!);
  // Truncation differs from floor when the signs differ and the division is inexact.
  const fix = lax.and(lax.ne(lax.rem(a!, b!), c(a!, 0)), lax.ne(lax.lt(a!, c(a!, 0)), lax.lt(b!, c(b!, 0))));
  return lax.selectN(fix, q, lax.sub(q, c(q, 1)));
};
/** Remainder with the sign of the divisor (NumPy's `mod`). */
export const mod: Binary = (x, y) => {
  const [a, b] = promoteAndBroadcast("mod", x, y);
  const r = lax.rem(a!, b!);
  const fix = lax.and(lax.ne(r, c(r, 0)), lax.ne(lax.lt(r, c(r, 0)), lax.lt(b!, c(b!, 0))));
  return lax.selectN(fix, r, lax.add(r, b!));
};
/** x^y (float) */ export const power = floatBinary("power", lax.pow);
/** Elementwise maximum (NaN-propagating) */ export const maximum = binary("maximum", lax.max);
/** Elementwise minimum (NaN-propagating) */ export const minimum = binary("minimum", lax.min);
/** atan2(y, x) */ export const arctan2 = floatBinary("arctan2", lax.atan2);
/** x == y */ export const equal = binary("equal", lax.eq);
/** x != y */ export const notEqual = binary("notEqual", lax.ne);
/** x < y */ export const less = binary("less", lax.lt);
/** x <= y */ export const lessEqual = binary("lessEqual", lax.le);
/** x > y */ export const greater = binary("greater", lax.gt);
/** x >= y */ export const greaterEqual = binary("greaterEqual", lax.ge);
/** Logical and of truth values. */
export const logicalAnd: Binary = (x, y) => lax.and(...(promoteAndBroadcast("logicalAnd", toBool(x), toBool(y)) as [NdArray, NdArray]));
/** Logical or of truth values. */
export const logicalOr: Binary = (x, y) => lax.or(...(promoteAndBroadcast("logicalOr", toBool(x), toBool(y)) as [NdArray, NdArray]));
/** Logical xor of truth values. */
export const logicalXor: Binary = (x, y) => lax.xor(...(promoteAndBroadcast("logicalXor", toBool(x), toBool(y)) as [NdArray, NdArray]));
/** Logical not. */
export const logicalNot: Unary = (x) => lax.not(toBool(x));

function toBool(x: ArrayLike): NdArray {
  const a = asArray(x);
  return a.dtype === "bool" ? a : lax.ne(a, c(a, 0));
}

/** −x */ export const negative = unary(lax.neg);
/** sign(x) ∈ {−1, 0, 1} */ export const sign = unary(lax.sign);
/** |x| */ export const abs = unary(lax.abs);
/** Integer and bool inputs are already whole: returned unchanged (as NumPy 2 and JAX do), floats rounded by `f`. */
const rounding = (f: (a: NdArray) => NdArray): Unary => (x) => {
  const a = asArray(x);
  return isFloat(a.dtype) ? f(a) : a;
};
/** floor(x) */ export const floor = rounding(lax.floor);
/** ceil(x) */ export const ceil = rounding(lax.ceil);
/** Round half to even. */ export const round = rounding(lax.round);
/** e^x */ export const exp = floatUnary(lax.exp);
/** 2^x */ export const exp2 = floatUnary((a) => lax.exp(lax.mul(a, c(a, Math.LN2))));
/** ln x */ export const log = floatUnary(lax.log);
/** log₂ x */ export const log2 = floatUnary((a) => lax.div(lax.log(a), c(a, Math.LN2)));
/** log₁₀ x */ export const log10 = floatUnary((a) => lax.div(lax.log(a), c(a, Math.LN10)));
/** e^x − 1, accurate near 0 */ export const expm1 = floatUnary(lax.expm1);
/** ln(1 + x), accurate near 0 */ export const log1p = floatUnary(lax.log1p);
/** √x */ export const sqrt = floatUnary(lax.sqrt);
/** 1/√x */ export const rsqrt = floatUnary(lax.rsqrt);
/** ∛x */ export const cbrt = floatUnary((a) => lax.mul(lax.sign(a), lax.pow(lax.abs(a), c(a, 1 / 3))));
/** x² */ export const square = unary((a) => lax.mul(a, a));
/** 1/x */ export const reciprocal = floatUnary((a) => lax.div(c(a, 1), a));
/** sin x */ export const sin = floatUnary(lax.sin);
/** cos x */ export const cos = floatUnary(lax.cos);
/** tan x */ export const tan = floatUnary(lax.tan);
/** arcsin x */ export const arcsin = floatUnary(lax.asin);
/** arccos x */ export const arccos = floatUnary(lax.acos);
/** arctan x */ export const arctan = floatUnary(lax.atan);
/** sinh x */ export const sinh = floatUnary(lax.sinh);
/** cosh x */ export const cosh = floatUnary(lax.cosh);
/** tanh x */ export const tanh = floatUnary(lax.tanh);
/** erf x (Gaussian CDF is (1 + erf(x/√2))/2) */ export const erf = floatUnary(lax.erf);
/** erf⁻¹ x (inverse-CDF sampling) */ export const erfinv = floatUnary(lax.erfInv);
/** 1/(1 + e^−x) */ export const sigmoid = floatUnary(lax.logistic);
/** ln(1 + e^x), computed stably as max(x, 0) + log1p(e^−|x|). */
export const softplus = floatUnary((a) => lax.add(lax.max(a, c(a, 0)), lax.log1p(lax.exp(lax.neg(lax.abs(a))))));
/** ln(e^x + e^y), computed stably. */
export const logaddexp: Binary = (x, y) => {
  const [a, b] = promoteAndBroadcast("logaddexp", x, y).map(toFloat) as [NdArray, NdArray];
  const m = lax.max(a, b);
  const safeM = lax.selectN(lax.isFinite(m), lax.zerosLike(m), lax.stopGradient(m));
  return lax.add(safeM, lax.log(lax.add(lax.exp(lax.sub(a, safeM)), lax.exp(lax.sub(b, safeM)))));
};
/** Whether each element is finite. */ export const isfinite = floatUnary(lax.isFinite);
/** Whether each element is NaN. */ export const isnan = floatUnary((a) => lax.ne(a, a));
/** Whether each element is ±∞. */
export const isinf = floatUnary((a) => lax.and(lax.eq(a, a), lax.not(lax.isFinite(a))));

/** Elementwise `cond ? x : y` with broadcasting. */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NdArray {
  const dtype = resultDtype(x, y);
  const p = toBool(cond);
  const a = lax.convertElementType(asArray(x, dtype), dtype);
  const b = lax.convertElementType(asArray(y, dtype), dtype);
  const shape = broadcastAvals("where", [p, a, b]);
  return lax.selectN(broadcastTo(p, shape, "where"), broadcastTo(b, shape, "where"), broadcastTo(a, shape, "where"));
}

/** Clip values to [lo, hi] (either bound may be null). */
export function clip(x: ArrayLike, lo: ArrayLike | null, hi: ArrayLike | null): NdArray {
  let y = asArray(x);
  if (lo !== null) y = maximum(y, lo);
  if (hi !== null) y = minimum(y, hi);
  return y;
}

/** Cast to `dtype`. */
export function astype(x: ArrayLike, dtype: NdArray["dtype"]): NdArray {
  return lax.convertElementType(asArray(x), dtype);
}
