/**
 * Small f32x4 helpers shared by the transcendental kernels, and the constant-table convention they
 * use: V8 (x64) builds every v128.const from three scalar instructions at each use and does not hoist
 * them out of loops, so the kernels keep their constants in static memory and splat-load them, one
 * instruction each (measured: exp over 10^6 floats went from 2.1 ms to 1.0 ms).
 */

// Integer constants of the helpers below, splat-loaded like the others.
const ABS_MASK = 0, SIGN_MASK = 1, BIAS = 2;
const K: usize = memory.data<i32>([0x7fffffff, <i32>0x80000000, 127]);

/** Lane helpers, inlined at every use (a call per vector would cost more than the helper). */
export class Bits {
  /** Entry `i` of the 32-bit constant table at `table`, in all four lanes. */
  @inline static splat(table: usize, i: i32): v128 {
    return v128.load32_splat(table + (<usize>i << 2));
  }

  /** Lanes of `a` where `mask` is set, else lanes of `b`. */
  @inline static pick(mask: v128, a: v128, b: v128): v128 {
    return v128.bitselect(a, b, mask);
  }

  /** |t| with the sign of `s`, lane-wise. */
  @inline static copysign(t: v128, s: v128): v128 {
    return v128.or(v128.and(t, Bits.splat(K, ABS_MASK)), v128.and(s, Bits.splat(K, SIGN_MASK)));
  }

  /** e·2^k for integer lanes k in [−150, 128], as the product of two normal powers so no lane over- or underflows alone. */
  @inline static scaleByPow2(e: v128, k: v128): v128 {
    const k1 = i32x4.shr_s(k, 1);
    const k2 = i32x4.sub(k, k1);
    const bias = Bits.splat(K, BIAS);
    const s1 = i32x4.shl(i32x4.add(k1, bias), 23);
    const s2 = i32x4.shl(i32x4.add(k2, bias), 23);
    // e·s1 is exact (normal range); the single rounding happens in ·s2, also for subnormal results.
    return f32x4.mul(f32x4.mul(e, s1), s2);
  }
}
