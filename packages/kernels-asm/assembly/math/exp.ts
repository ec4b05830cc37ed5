/**
 * exp and expm1 on f32x4: x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite two-part ln2, so r is exact to
 * f32 precision), e^r − 1 = r + r²·P(r), then scaled by 2^k. P is a degree-4 weighted-minimax fit
 * (scripts/fit_exp.py; 0.06 ulp of approximation error, one degree below Cephes' expf, whose
 * accuracy f32 cannot use).
 */
import { Bits } from "./bits";

// Constant table (see bits.ts): the clamp range, log2 e, the rounder, ln2 in two parts, P (highest
// degree first), 1, and the largest |x| of the one-multiply scaling.
const LO = 0, HI = 1, LOG2E = 2, ROUNDER = 3, LN2_HI = 4, LN2_LO = 5, P0 = 6, ONE = 11, FAST = 12;
const C: usize = memory.data<f32>([
  // Beyond [−104, 89] exp is 0 or ∞ in f32, and clamping keeps k within scaleByPow2's range.
  -104, 89,
  1.44269504,
  // 1.5·2^23: adding it rounds to an integer held in the low mantissa bits (no float→int conversion).
  12582912.0,
  0.693359375, -2.12194440e-4,
  1.38146000e-3, 8.36871006e-3, 4.16683890e-2, 1.66665211e-1, 4.99999940e-1,
  1,
  // |x| ≤ 87 gives |k| ≤ 126: 2^k is a normal f32, so one multiply scales and rounds once.
  87,
]);
// Integer table: the rounder's bits minus the f32 exponent bias (t's bits minus this are k + 127,
// 2^k's exponent field), and the mask that clears the sign bit.
const BIASED_ROUNDER = 0, ABS = 1;
const K: usize = memory.data<i32>([0x4b400000 - 127, 0x7fffffff]);

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
    return f32x4.add(f32x4.mul(f32x4.mul(r, r), p), r);
  }

  /**
   * e^x lane-wise for |x| ≤ 87 or NaN, the caller's promise: 2^k is then one normal f32, so scaling is
   * one multiply instead of `scaleByPow2`'s two. (A NaN lane stays NaN whatever bits its 2^k gets.)
   */
  @inline static expInRange(x: v128): v128 {
    const t = Exp.rounded(x);
    const e = f32x4.add(Exp.expm1Reduced(x, f32x4.sub(t, Bits.splat(C, ROUNDER))), Bits.splat(C, ONE));
    return f32x4.mul(e, i32x4.shl(i32x4.sub(t, Bits.splat(K, BIASED_ROUNDER)), 23));
  }

  /** The lanes of `x` outside `expInRange`'s domain (|x| > 87; a NaN lane counts as inside), as a mask. */
  @inline static outOfRange(x: v128): v128 {
    return f32x4.gt(f32x4.abs(x), Bits.splat(C, FAST));
  }

  /** True when every lane of the four vectors is in `expInRange`'s domain (NaN lanes make it false). */
  @inline static inRange4(a: v128, b: v128, c: v128, d: v128): bool {
    // On |x|'s bits, integer order is float order and NaNs rank above every finite value.
    const mask = Bits.splat(K, ABS);
    const m = i32x4.max_s(i32x4.max_s(v128.and(a, mask), v128.and(b, mask)), i32x4.max_s(v128.and(c, mask), v128.and(d, mask)));
    return !v128.any_true(i32x4.gt_s(m, Bits.splat(C, FAST)));
  }

  /** e^x lane-wise (≤ 1 ulp measured; NaN → NaN, −∞ → 0, subnormal results rounded once). */
  @inline static exp(x: v128): v128 {
    // Vectors with every lane in the one-multiply range (nearly all of them in practice) skip the clamp
    // and the two-step scaling (exp of 10^6 floats: 0.84 → 0.73 ms with the degree-4 polynomial).
    if (!v128.any_true(Exp.outOfRange(x))) return Exp.expInRange(x);
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
