/**
 * erf on f32x4 with coefficients fitted by scripts/fit_erf.py: erf(x) = x + x·S(x²) below |x| = T,
 * 1 − e^(−x²)·Q(1/|x|) above (Q = erfc·e^(x²) is smooth there); erf rounds to ±1 beyond |x| = 4.
 */
import { Bits } from "./bits";
import { Exp } from "./exp";

// Constant table (see bits.ts): T, the clamp, 1, S (highest degree first), Q (highest degree first).
const T = 0, CLAMP = 1, ONE = 2, S0 = 3, Q0 = 9;
const C: usize = memory.data<f32>([
  0.921875, 4, 1,
  -0.000599099206738174, 0.004993212874978781, -0.026766644790768623, 0.1128181740641594,
  -0.37612494826316833, 0.12837915122509003,
  0.020192764699459076, -0.12223992496728897, 0.30213743448257446, -0.35383322834968567,
  0.08429987728595734, 0.3142997622489929, -0.4054286479949951, 0.02702995017170906,
  0.5609613656997681, 0.00016424547357019037,
]);

/** erf, inlined into each kernel loop. */
export class Erf {
  /** erf(x) lane-wise (≤ 1.5 ulp measured; NaN → NaN, ±∞ → ±1). */
  @inline static erf(x: v128): v128 {
    const z = f32x4.mul(x, x);
    let s = Bits.splat(C, S0);
    s = f32x4.add(f32x4.mul(s, z), Bits.splat(C, S0 + 1));
    s = f32x4.add(f32x4.mul(s, z), Bits.splat(C, S0 + 2));
    s = f32x4.add(f32x4.mul(s, z), Bits.splat(C, S0 + 3));
    s = f32x4.add(f32x4.mul(s, z), Bits.splat(C, S0 + 4));
    s = f32x4.add(f32x4.mul(s, z), Bits.splat(C, S0 + 5));
    const small = f32x4.add(x, f32x4.mul(x, s));
    // Clamping at 4 (where 1 − erfc rounds to 1) keeps 1/x and e^(−x²) finite and maps ±∞ to ±1;
    // pmin keeps a NaN (its first operand).
    const ax = f32x4.pmin(f32x4.abs(x), Bits.splat(C, CLAMP));
    const one = Bits.splat(C, ONE);
    const u = f32x4.div(one, ax);
    let q = Bits.splat(C, Q0);
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 1));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 2));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 3));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 4));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 5));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 6));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 7));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 8));
    q = f32x4.add(f32x4.mul(q, u), Bits.splat(C, Q0 + 9));
    // |x| ≤ 4 after the clamp: −x² is within exp's one-multiply range.
    const e = Exp.expInRange(f32x4.neg(f32x4.mul(ax, ax)));
    const large = Bits.copysign(f32x4.sub(one, f32x4.mul(e, q)), x);
    return Bits.pick(f32x4.lt(f32x4.abs(x), Bits.splat(C, T)), small, large);
  }
}
