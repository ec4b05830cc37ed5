/**
 * The f64 GEMM micro-kernel: a 4×4 tile of C in eight f64x2 registers, the f32 kernel's shape at half
 * the lane count (same register budget, same latency cover).
 */

/** Rows of the f64 micro-tile. */
export const MR_F64: i32 = 4;
/** Columns of the f64 micro-tile. */
export const NR_F64: i32 = 4;

/** C[0:mr, 0:nr] = beta·C + Ap·Bp over `kc` steps; as `microF32` with f64 elements and a 4·4 `tmp`. */
export function microF64(kc: i32, ap: usize, bp: usize, c: usize, rsc: isize, csc: isize, mr: i32, nr: i32, beta: f64, tmp: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    ap += 32;
    bp += 32;
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
      const at = c + <usize>((<isize>i * rsc + <isize>j * csc) << 3);
      const v = load<f64>(tmp + <usize>((i * 4 + j) << 3));
      store<f64>(at, beta == 0 ? v : v + beta * load<f64>(at));
    }
  }
}
