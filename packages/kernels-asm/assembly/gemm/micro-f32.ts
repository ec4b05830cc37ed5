/**
 * The f32 GEMM micro-kernel: a 4×8 tile of C held in eight f32x4 registers while it streams one packed
 * A panel (4 values per step, each splatted) and one packed B panel (8 values per step, two vectors).
 * Eight independent accumulators cover the add latency; 4×8 keeps accumulators, two B vectors and the
 * A splat within the 16 vector registers V8 has on x64 (larger tiles spill).
 */

/**
 * a·b + c per lane: one fused f32x4.relaxed_madd in the relaxed-SIMD build (ASC_FEATURE_RELAXED_SIMD is
 * a compile-time constant, so each build contains only one of the two branches), mul + add otherwise.
 * relaxed_madd may or may not round the product, so results differ between builds by rounding only.
 * (Small enough that -O3 always inlines it: the build's .wat has no call to it.)
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Rows of the f32 micro-tile. */
export const MR_F32: i32 = 4;
/** Columns of the f32 micro-tile. */
export const NR_F32: i32 = 8;

/**
 * C[0:mr, 0:nr] = beta·C + Ap·Bp over `kc` steps (beta = 0 overwrites without reading C, so stale NaNs
 * in the output do not leak). C element (i,j) is at c + (i·rsc + j·csc)·4; `tmp` is 4·8 f32 of scratch
 * for partial or strided tiles.
 */
export function microF32(kc: i32, ap: usize, bp: usize, c: usize, rsc: isize, csc: isize, mr: i32, nr: i32, beta: f32, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (mr == 4 && nr == 8 && csc == 1) {
    const r = <usize>(rsc << 2);
    const c0 = c, c1 = c + r, c2 = c + 2 * r, c3 = c + 3 * r;
    if (beta != 0) {
      const bv = f32x4.splat(beta);
      c00 = madd(bv, v128.load(c0), c00);
      c01 = madd(bv, v128.load(c0, 16), c01);
      c10 = madd(bv, v128.load(c1), c10);
      c11 = madd(bv, v128.load(c1, 16), c11);
      c20 = madd(bv, v128.load(c2), c20);
      c21 = madd(bv, v128.load(c2, 16), c21);
      c30 = madd(bv, v128.load(c3), c30);
      c31 = madd(bv, v128.load(c3, 16), c31);
    }
    v128.store(c0, c00);
    v128.store(c0, c01, 16);
    v128.store(c1, c10);
    v128.store(c1, c11, 16);
    v128.store(c2, c20);
    v128.store(c2, c21, 16);
    v128.store(c3, c30);
    v128.store(c3, c31, 16);
    return;
  }
  v128.store(tmp, c00);
  v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32);
  v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64);
  v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96);
  v128.store(tmp, c31, 112);
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const at = c + <usize>((<isize>i * rsc + <isize>j * csc) << 2);
      const v = load<f32>(tmp + <usize>((i * 8 + j) << 2));
      store<f32>(at, beta == 0 ? v : v + beta * load<f32>(at));
    }
  }
}
