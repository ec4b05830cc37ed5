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

/** x + y */ export const add = binary("add", (a, b) => lax.add(a, b));
/** x − y */ export const subtract = binary("subtract", (a, b) => lax.sub(a, b));
/** x ⊙ y (Hadamard product) */ export const multiply = binary("multiply", (a, b) => lax.mul(a, b));
/** x ⊘ y (true division: integers are promoted to float32) */ export const divide = floatBinary("divide", (a, b) => lax.div(a, b));
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
const generalPower = floatBinary("power", (a, b) => lax.pow(a, b));

/** x^n for a JS integer n by repeated squaring: exact, and differentiable for negative x (as JAX's integer_pow). */
function integerPower(x: NdArray, n: number): NdArray {
  if (n === 0) return lax.fullLike(x, 1);
  let result: NdArray | null = null;
  let base = x;
  for (let k = Math.abs(n); k > 0; k >>= 1) {
    if (k & 1) result = result ? lax.mul(result, base) : base;
    if (k > 1) base = lax.mul(base, base);
  }
  return n < 0 ? lax.div(lax.fullLike(result!, 1), result!) : result!;
}

/** x^y; a JS integer exponent (|y| ≤ 64) multiplies instead, so negative bases keep finite derivatives. */
export const power: Binary = (x, y) => {
  if (typeof y === "number" && Number.isInteger(y) && Math.abs(y) <= 64) return integerPower(toFloat(asArray(x)), y);
  return generalPower(x, y);
};
/** Elementwise maximum (NaN-propagating) */ export const maximum = binary("maximum", (a, b) => lax.max(a, b));
/** Elementwise minimum (NaN-propagating) */ export const minimum = binary("minimum", (a, b) => lax.min(a, b));
/** atan2(y, x) */ export const arctan2 = floatBinary("arctan2", (a, b) => lax.atan2(a, b));
/** x == y */ export const equal = binary("equal", (a, b) => lax.eq(a, b));
/** x != y */ export const notEqual = binary("notEqual", (a, b) => lax.ne(a, b));
/** x < y */ export const less = binary("less", (a, b) => lax.lt(a, b));
/** x <= y */ export const lessEqual = binary("lessEqual", (a, b) => lax.le(a, b));
/** x > y */ export const greater = binary("greater", (a, b) => lax.gt(a, b));
/** x >= y */ export const greaterEqual = binary("greaterEqual", (a, b) => lax.ge(a, b));
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

/** −x */ export const negative = unary((a) => lax.neg(a));
/** sign(x) ∈ {−1, 0, 1} */ export const sign = unary((a) => lax.sign(a));
/** |x| */ export const abs = unary((a) => lax.abs(a));
/** Integer and bool inputs are already whole: returned unchanged (as NumPy 2 and JAX do), floats rounded by `f`. */
const rounding = (f: (a: NdArray) => NdArray): Unary => (x) => {
  const a = asArray(x);
  return isFloat(a.dtype) ? f(a) : a;
};
/** floor(x) */ export const floor = rounding((a) => lax.floor(a));
/** ceil(x) */ export const ceil = rounding((a) => lax.ceil(a));
/** Round half to even. */ export const round = rounding((a) => lax.round(a));
/** e^x */ export const exp = floatUnary((a) => lax.exp(a));
/** 2^x */ export const exp2 = floatUnary((a) => lax.exp(lax.mul(a, c(a, Math.LN2))));
/** ln x */ export const log = floatUnary((a) => lax.log(a));
/** log₂ x */ export const log2 = floatUnary((a) => lax.div(lax.log(a), c(a, Math.LN2)));
/** log₁₀ x */ export const log10 = floatUnary((a) => lax.div(lax.log(a), c(a, Math.LN10)));
/** e^x − 1, accurate near 0 */ export const expm1 = floatUnary((a) => lax.expm1(a));
/** ln(1 + x), accurate near 0 */ export const log1p = floatUnary((a) => lax.log1p(a));
/** √x */ export const sqrt = floatUnary((a) => lax.sqrt(a));
/** 1/√x */ export const rsqrt = floatUnary((a) => lax.rsqrt(a));
/** ∛x */ export const cbrt = floatUnary((a) => lax.mul(lax.sign(a), lax.pow(lax.abs(a), c(a, 1 / 3))));
/** x² */ export const square = unary((a) => lax.mul(a, a));
/** 1/x */ export const reciprocal = floatUnary((a) => lax.div(c(a, 1), a));
/** sin x */ export const sin = floatUnary((a) => lax.sin(a));
/** cos x */ export const cos = floatUnary((a) => lax.cos(a));
/** tan x */ export const tan = floatUnary((a) => lax.tan(a));
/** arcsin x */ export const arcsin = floatUnary((a) => lax.asin(a));
/** arccos x */ export const arccos = floatUnary((a) => lax.acos(a));
/** arctan x */ export const arctan = floatUnary((a) => lax.atan(a));
/** sinh x */ export const sinh = floatUnary((a) => lax.sinh(a));
/** cosh x */ export const cosh = floatUnary((a) => lax.cosh(a));
/** tanh x */ export const tanh = floatUnary((a) => lax.tanh(a));
/** erf x (Gaussian CDF is (1 + erf(x/√2))/2) */ export const erf = floatUnary((a) => lax.erf(a));
/** erf⁻¹ x (inverse-CDF sampling) */ export const erfinv = floatUnary((a) => lax.erfInv(a));
/** 1/(1 + e^−x) */ export const sigmoid = floatUnary((a) => lax.logistic(a));
/** ln(1 + e^x), computed stably as max(x, 0) + log1p(e^−|x|). */
export const softplus = floatUnary((a) => lax.add(lax.max(a, c(a, 0)), lax.log1p(lax.exp(lax.neg(lax.abs(a))))));
/** ln(e^x + e^y), computed stably. */
export const logaddexp: Binary = (x, y) => {
  const [a, b] = promoteAndBroadcast("logaddexp", x, y).map(toFloat) as [NdArray, NdArray];
  const m = lax.max(a, b);
  const safeM = lax.selectN(lax.isFinite(m), lax.zerosLike(m), lax.stopGradient(m));
  return lax.add(safeM, lax.log(lax.add(lax.exp(lax.sub(a, safeM)), lax.exp(lax.sub(b, safeM)))));
};
/** Whether each element is finite. */ export const isfinite = floatUnary((a) => lax.isFinite(a));
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
