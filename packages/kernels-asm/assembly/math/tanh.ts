/** tanh and the logistic sigmoid on f32x4, built on exp. */
import { Bits } from "./bits";
import { Exp } from "./exp";

// Constant table (see bits.ts): Cephes' tanhf polynomial, its range, 1, 2, and where tanh rounds to ±1.
const P0 = 0, SMALL = 5, ONE = 6, TWO = 7, SATURATE = 8;
const C: usize = memory.data<f32>([
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1,
  // 2|x| = 20: 1 − 2/(e^20 + 1) = 1 − 4e-9 already rounds to 1 in f32.
  0.625, 1, 2, 20,
]);
const ONE_F64: usize = memory.data<f64>([1]);

/** tanh and the logistic function, inlined into each kernel loop. */
export class Tanh {
  /**
   * tanh(x) lane-wise: Cephes' odd polynomial below |x| = 0.625, 1 − 2/(e^(2|x|) + 1) above (at and
   * beyond 0.625 the subtraction loses under a bit; measured 1.16 ulp, better than t/(t + 2) with
   * t = expm1(2|x|) at 1.48, and cheaper).
   */
  @inline static tanh(x: v128): v128 {
    const ax = f32x4.abs(x);
    const z = f32x4.mul(x, x);
    let p = Bits.splat(C, P0);
    p = f32x4.add(f32x4.mul(p, z), Bits.splat(C, P0 + 1));
    p = f32x4.add(f32x4.mul(p, z), Bits.splat(C, P0 + 2));
    p = f32x4.add(f32x4.mul(p, z), Bits.splat(C, P0 + 3));
    p = f32x4.add(f32x4.mul(p, z), Bits.splat(C, P0 + 4));
    const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
    // Capping 2|x| at 20 keeps e^(2|x|) in exp's one-multiply range (pmin keeps a NaN, its first operand).
    const e = Exp.expInRange(f32x4.pmin(f32x4.add(ax, ax), Bits.splat(C, SATURATE)));
    const one = Bits.splat(C, ONE);
    // 1 − 2/(e + 1) ≥ 0 as e ≥ 1, so xor with x ^ |x| (x's sign bit alone) gives it x's sign.
    const large = v128.xor(f32x4.sub(one, f32x4.div(Bits.splat(C, TWO), f32x4.add(e, one))), v128.xor(x, ax));
    return Bits.pick(f32x4.lt(ax, Bits.splat(C, SMALL)), small, large);
  }

  /**
   * 1/(1 + e^−x) lane-wise, as e^−|x| / (1 + e^−|x|) for negative x so no lane overflows. The quotient
   * is formed in f64 and rounded once, so only exp's error (< 1 ulp) and that rounding remain.
   */
  @inline static logistic(x: v128): v128 {
    const e = Exp.exp(f32x4.neg(f32x4.abs(x)));
    const num = Bits.pick(f32x4.lt(x, f32x4.splat(0)), e, Bits.splat(C, ONE));
    const one = v128.load64_splat(ONE_F64);
    const lo = f64x2.div(f64x2.promote_low_f32x4(num), f64x2.add(one, f64x2.promote_low_f32x4(e)));
    const hi = f64x2.div(
      f64x2.promote_low_f32x4(v128.shuffle<f32>(num, num, 2, 3, 0, 1)),
      f64x2.add(one, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1))),
    );
    return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
  }
}
