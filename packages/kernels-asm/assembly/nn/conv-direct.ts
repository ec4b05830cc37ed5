/**
 * What the direct (implicit-GEMM) conv passes share: the micro-tile's shape, SIMD helpers generic over
 * f32 (4 lanes) and f64 (2 lanes), and the geometry of the zero-padded image the passes read windows
 * from, in which every window tap is a constant byte offset (its shift) from the window's origin.
 */
import { MR_F32, NR_F32, madd } from "../gemm/micro-f32";
import { NR_F64 } from "../gemm/micro-f64";
import { ConvGeom, field } from "./geometry";

/** Rows of the direct passes' micro-tile (filters in the forward, taps in the filter gradient): the GEMM micro-kernel's, 4 for f32 and f64 alike. */
export const MR: i32 = MR_F32;

/** Columns of the direct passes' micro-tile: the GEMM micro-kernel's, two vectors of T (8 f32 or 4 f64). */
@inline export function nrOf<T>(): i32 {
  return sizeof<T>() == 4 ? NR_F32 : NR_F64;
}

/** The value at p in every lane. */
@inline export function splatAt<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p);
  return v128.load64_splat(p);
}

/** a·b + c per lane (f32: the GEMM micro-kernel's madd, fused in the relaxed-SIMD build). */
@inline export function fma<T>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<T>() == 4) return madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** Round `n` bytes up to the arena's 64-byte alignment (what one arena_alloc takes). */
export function align64(n: usize): usize {
  return (n + 63) & ~<usize>63;
}

/** Window taps per group: C/G·KH·KW (the contraction of the forward, the rows of the filter gradient). */
export function tapsOf(g: usize): i32 {
  return field(g, ConvGeom.C) / field(g, ConvGeom.GROUPS) * field(g, ConvGeom.KH) * field(g, ConvGeom.KW);
}

/**
 * shifts[k] = byte offset of tap k = (c, kh, kw) in a padded image of cg planes ps elements apart and
 * rows wp elements long: where the tap reads relative to the window's origin.
 */
export function fillShifts<T>(g: usize, cg: i32, ps: i32, wp: i32, shifts: usize): void {
  const KH = field(g, ConvGeom.KH), KW = field(g, ConvGeom.KW);
  const dh = field(g, ConvGeom.DIL_H), dw = field(g, ConvGeom.DIL_W);
  let k = 0;
  for (let c = 0; c < cg; c++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++, k++) {
    store<i32>(shifts + (<usize>k << 2), (c * ps + kh * dh * wp + kw * dw) * sizeof<T>());
  }
}

// The direct passes' padded image: (OH−1)·sh + (KH−1)·dh + 1 rows, columns likewise — exactly the
// extent the windows read, with the padding as zeros.
export function paddedRows(g: usize): i32 {
  return (field(g, ConvGeom.OH) - 1) * field(g, ConvGeom.STRIDE_H) + (field(g, ConvGeom.KH) - 1) * field(g, ConvGeom.DIL_H) + 1;
}
export function paddedCols(g: usize): i32 {
  return (field(g, ConvGeom.OW) - 1) * field(g, ConvGeom.STRIDE_W) + (field(g, ConvGeom.KW) - 1) * field(g, ConvGeom.DIL_W) + 1;
}
