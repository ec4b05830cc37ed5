/**
 * log and log1p on f32x4: x = 2^e·m with m in [√½, √2), log(m) = f − f²/2 + f³·P(f) for f = m − 1
 * with Cephes' logf polynomial, plus e·ln2 in two parts.
 */
import { Bits } from "./bits";

// Constant table (see bits.ts).
const MIN_NORMAL = 0, TWO23 = 1, SQRT_HALF = 2, ONE = 3, HALF = 4, LN2_HI = 5, LN2_LO = 6, INF = 7, NEG_INF = 8, QNAN = 9, P0 = 10;
const C: usize = memory.data<f32>([
  1.17549435e-38, 8388608.0, 0.70710678, 1, 0.5, 0.693359375, -2.12194440e-4, Infinity, -Infinity, NaN,
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
]);
// Integer constants: the exponent bias less one (frexp convention), −23, the mantissa mask, 0.5's exponent.
const BIAS = 0, MINUS23 = 1, MANT = 2, HALF_EXP = 3;
const I: usize = memory.data<i32>([126, -23, 0x007fffff, 0x3f000000]);

/** log and log1p, inlined into each kernel loop. */
export class Log {
  /** log(x) lane-wise (≤ 1 ulp measured; 0 → −∞, negative → NaN, +∞ → +∞, subnormals exact in the exponent). */
  @inline static log(x: v128): v128 {
    // Subnormals are scaled by 2^23 first so the exponent field holds their true binade.
    const sub = f32x4.lt(x, Bits.splat(C, MIN_NORMAL));
    const bits = Bits.pick(sub, f32x4.mul(x, Bits.splat(C, TWO23)), x);
    let e = i32x4.sub(i32x4.shr_u(bits, 23), Bits.splat(I, BIAS));
    e = i32x4.add(e, v128.and(sub, Bits.splat(I, MINUS23)));
    // m in [0.5, 1); below √½ it is doubled (and e decremented) so that f = m − 1 is small.
    let m = v128.or(v128.and(bits, Bits.splat(I, MANT)), Bits.splat(I, HALF_EXP));
    const low = f32x4.lt(m, Bits.splat(C, SQRT_HALF));
    e = i32x4.add(e, low); // the mask is −1 in the lanes to decrement
    m = Bits.pick(low, f32x4.add(m, m), m);
    const f = f32x4.sub(m, Bits.splat(C, ONE));
    const fe = f32x4.convert_i32x4_s(e);
    const z = f32x4.mul(f, f);
    let p = Bits.splat(C, P0);
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 1));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 2));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 3));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 4));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 5));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 6));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 7));
    p = f32x4.add(f32x4.mul(p, f), Bits.splat(C, P0 + 8));
    let y = f32x4.mul(f32x4.mul(p, f), z);
    y = f32x4.add(y, f32x4.mul(fe, Bits.splat(C, LN2_LO)));
    y = f32x4.sub(y, f32x4.mul(z, Bits.splat(C, HALF)));
    let r = f32x4.add(f, y);
    r = f32x4.add(r, f32x4.mul(fe, Bits.splat(C, LN2_HI)));
    // Special inputs, last to first: NaN and +∞ map to themselves, 0 to −∞, negatives to NaN.
    const passThrough = v128.or(f32x4.ne(x, x), f32x4.eq(x, Bits.splat(C, INF)));
    r = Bits.pick(passThrough, x, r);
    r = Bits.pick(f32x4.eq(x, f32x4.splat(0)), Bits.splat(C, NEG_INF), r);
    return Bits.pick(f32x4.lt(x, f32x4.splat(0)), Bits.splat(C, QNAN), r);
  }

  /** log(1 + x) lane-wise, accurate for small x where 1 + x rounds. */
  @inline static log1p(x: v128): v128 {
    const one = Bits.splat(C, ONE);
    const u = f32x4.add(x, one);
    // log1p(x) = log(u) + (x − (u − 1))/u corrects for the rounding of u to first order.
    let c = f32x4.div(f32x4.sub(x, f32x4.sub(u, one)), u);
    // u = 0 or ∞ makes the correction 0/0 or ∞ − ∞; there it is 0.
    c = Bits.pick(f32x4.ne(c, c), f32x4.splat(0), c);
    return f32x4.add(Log.log(u), c);
  }
}
