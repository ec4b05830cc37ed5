/** The adjacent float toward ±∞ (JAX's `lax.nextafter` with an infinite second operand). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { bitcastConvertType } from "./prims.js";

/**
 * The next representable float after `x` toward +∞ (`up`) or −∞. float32 is exact, stepping the bit
 * pattern as XLA does (±0 steps to the smallest subnormal, ±∞ toward itself stays, NaN stays).
 * float64 has no 64-bit integer to bitcast to, so it steps by |x|·2⁻⁵² (at least the smallest
 * subnormal): one or two ulps, strictly past x, which is what clamping to an open interval needs.
 */
export function nextAfter(x: NdArray, up: boolean): NdArray {
  const c = (v: number, like: NdArray = x) => lax.fullLike(like, v);
  const stays = lax.or(lax.ne(x, x), lax.eq(x, c(up ? Infinity : -Infinity)));
  if (x.dtype === "float64") {
    const step = lax.max(lax.mul(lax.abs(x), c(2 ** -52)), c(2 ** -1074));
    return lax.selectN(stays, up ? lax.add(x, step) : lax.sub(x, step), x);
  }
  const i = bitcastConvertType(x, "int32");
  const one = c(1, i);
  // Away from zero the magnitude grows by one ulp: bits + 1 for the sign of the direction, − 1 otherwise.
  const growing = up ? lax.gt(x, c(0)) : lax.lt(x, c(0));
  const stepped = lax.selectN(growing, lax.sub(i, one), lax.add(i, one));
  const fromZero = c(up ? 1 : -0x7fffffff, i);
  const bitsOut = lax.selectN(lax.eq(x, c(0)), stepped, fromZero);
  return lax.selectN(stays, bitcastConvertType(bitsOut, "float32"), x);
}
