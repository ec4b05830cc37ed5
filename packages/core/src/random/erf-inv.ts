/** erf⁻¹ for float32 exactly as XLA evaluates it, so normal draws round like JAX's. */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";

/** Giles' single-precision erfinv coefficients, as in XLA's ErfInv32 (for w < 5 and w ≥ 5). */
const SMALL_W = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941];
const LARGE_W = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682];

/**
 * erf⁻¹(x) in float32 through the same polynomial, evaluation order and edge cases as XLA (JAX lowers
 * `lax.erf_inv` to it), rather than Fluxion's correctly rounded `erf_inv` kernel: JAX's published
 * normal draws only match this way (e.g. −1.173234 where the exact erf⁻¹ gives −1.173233).
 * float64 uses the accurate kernel.
 */
export function erfInv(x: NdArray): NdArray {
  if (x.dtype !== "float32") return lax.erfInv(x);
  const c = (v: number) => lax.fullLike(x, v);
  const w0 = lax.neg(lax.log1p(lax.mul(x, lax.neg(x))));
  const small = lax.lt(w0, c(5));
  const w = lax.selectN(small, lax.sub(lax.sqrt(w0), c(3)), lax.sub(w0, c(2.5)));
  const coef = (i: number) => lax.selectN(small, c(LARGE_W[i]!), c(SMALL_W[i]!));
  let p = coef(0);
  for (let i = 1; i < SMALL_W.length; i++) p = lax.add(coef(i), lax.mul(p, w));
  const atOne = lax.eq(lax.abs(x), c(1));
  return lax.selectN(atOne, lax.mul(p, x), lax.mul(x, c(Infinity)));
}
