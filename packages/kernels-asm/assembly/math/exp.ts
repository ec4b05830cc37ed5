/**
 * exp and expm1 on f32x4: x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite two-part ln2, so r is exact to
 * f32 precision), e^r − 1 = r + r²·P(r) with Cephes' expf polynomial, then scaled by 2^k.
 */
import { Bits } from "./bits";

// Constant table (see bits.ts): the clamp range, log2 e, the rounder, ln2 in two parts, P, and 1.
const LO = 0, HI = 1, LOG2E = 2, ROUNDER = 3, LN2_HI = 4, LN2_LO = 5, P0 = 6, ONE = 12;
const C: usize = memory.data<f32>([
  // Beyond [−104, 89] exp is 0 or ∞ in f32, and clamping keeps k within scaleByPow2's range.
  -104, 89,
  1.44269504,
  // 1.5·2^23: adding it rounds to an integer held in the low mantissa bits (no float→int conversion).
  12582912.0,
  0.693359375, -2.12194440e-4,
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
  1,
]);

/** exp and expm1, inlined into each kernel loop. */
export class Exp {
  /** ROUNDER + k with k = round(x·log2 e) for x clamped; k as a float is this − ROUNDER, as an integer its bits − ROUNDER's. */
  @inline static rounded(x: v128): v128 {
    return f32x4.add(f32x4.mul(x, Bits.splat(C, LOG2E)), Bits.splat(C, ROUNDER));
  }

  /** x clamped to [−104, 89], NaN kept (pmax/pmin return their first operand when it is NaN, in one instruction). */
  @inline static clamp(x: v128): v128 {
    return f32x4.pmin(f32x4.pmax(x, Bits.splat(C, LO)), Bits.splat(C, HI));
  }

  /** e^r − 1 for r = x − k·ln2 (two steps so that k·LN2_HI is exact): r + r²·P(r). */
  @inline static expm1Reduced(x: v128, kf: v128): v128 {
    let r = f32x4.sub(x, f32x4.mul(kf, Bits.splat(C, LN2_HI)));
    r = f32x4.sub(r, f32x4.mul(kf, Bits.splat(C, LN2_LO)));
    let p = Bits.splat(C, P0);
    p = f32x4.add(f32x4.mul(p, r), Bits.splat(C, P0 + 1));
    p = f32x4.add(f32x4.mul(p, r), Bits.splat(C, P0 + 2));
    p = f32x4.add(f32x4.mul(p, r), Bits.splat(C, P0 + 3));
    p = f32x4.add(f32x4.mul(p, r), Bits.splat(C, P0 + 4));
    p = f32x4.add(f32x4.mul(p, r), Bits.splat(C, P0 + 5));
    return f32x4.add(f32x4.mul(f32x4.mul(r, r), p), r);
  }

  /** e^x lane-wise (≤ 1 ulp measured; NaN → NaN, −∞ → 0, subnormal results rounded once). */
  @inline static exp(x: v128): v128 {
    x = Exp.clamp(x);
    const t = Exp.rounded(x);
    const rounder = Bits.splat(C, ROUNDER);
    const e = f32x4.add(Exp.expm1Reduced(x, f32x4.sub(t, rounder)), Bits.splat(C, ONE));
    return Bits.scaleByPow2(e, i32x4.sub(t, rounder));
  }

  /** e^x − 1 lane-wise, accurate near 0 where exp(x) − 1 cancels. */
  @inline static expm1(x: v128): v128 {
    x = Exp.clamp(x);
    const t = Exp.rounded(x);
    const rounder = Bits.splat(C, ROUNDER);
    const ki = i32x4.sub(t, rounder);
    const em = Exp.expm1Reduced(x, f32x4.sub(t, rounder));
    const one = Bits.splat(C, ONE);
    // Small k: 2^k·(e^r − 1) + (2^k − 1), both terms exact-ish so nothing cancels. Large k: 2^k is not
    // representable near the overflow threshold, while the −1 no longer matters to the rounding.
    const two = Bits.scaleByPow2(one, ki);
    const small = f32x4.add(f32x4.mul(two, em), f32x4.sub(two, one));
    const large = f32x4.sub(Bits.scaleByPow2(f32x4.add(em, one), ki), one);
    return Bits.pick(i32x4.gt_s(ki, i32x4.splat(24)), large, small);
  }
}
