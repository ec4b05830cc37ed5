/**
 * The Winograd filter gradient of the convs conv-winograd.ts runs forward. The forward is linear in
 * each filter g: Y_t = Aᵀ[(G g Gᵀ) ⊙ V_t]A per tile t, so its adjoint is dg = Σ_t Gᵀ[(A e_t Aᵀ) ⊙ V_t]G
 * for the 2×2 blocks e_t of dy. Summed over every tile of every image, that is one GEMM per element ξ
 * of the 4×4 transformed tile, M_ξ[O × C] = Σ_t Z_ξ[o, t] · V_ξ[c, t] with Z = A e Aᵀ, contracting
 * over the tiles (K = tiles per block, accumulated across blocks), then dw = Gᵀ M G per filter: 16
 * multiply-adds per tile and channel pair instead of the direct pass's 36.
 * A = [1 0; 1 1; 1 −1; 0 −1]; B and G as in the forward. Non-finite results send the caller to the
 * direct pass, as the forward does.
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { microF32 } from "../gemm/micro-f32";
import { STATUS_OK, STATUS_OUT_OF_MEMORY } from "../status";
import { align64 } from "./conv-direct";
import { WINOGRAD_NONFINITE, blockTiles, tileCols, tileEdge, tileOutput, tileRows, transformTile, xiStride } from "./conv-winograd";
import { ConvGeom, field } from "./geometry";

/** Columns 0 and 1 of A: Z's columns are A·[e00, e10] (P) and A·[e01, e11] (Q) combined. */
const A0 = f32x4(1, 1, 1, 0);
const A1 = f32x4(0, 1, -1, -1);

// The three strides of one block: ξ to ξ of Z (A panels of 4 filters, tiles as K), of V (B panels of 8
// channels, tiles as K) and of M ([O rounded to 4] × [C rounded to 8], accumulated over all blocks).
@inline function zStride(O: i32, tb: i32): usize {
  return xiStride(<usize>((O + 3) >> 2) * <usize>tb * 16);
}
@inline function vStride(C: i32, tb: i32): usize {
  return xiStride(<usize>((C + 7) >> 3) * <usize>tb * 32);
}
@inline function mStride(O: i32, C: i32): usize {
  return xiStride(<usize>((O + 3) & ~3) * <usize>((C + 7) & ~7) * 4);
}

/** Arena bytes the Winograd filter gradient allocates: one block's Z and V, the accumulated M, one micro-tile. */
export function winogradFilterScratch(g: usize): usize {
  const C = field(g, ConvGeom.C), O = field(g, ConvGeom.O);
  const tb = blockTiles(C, O, max(1, field(g, ConvGeom.N) * tileRows(g) * tileCols(g)));
  return 16 * (zStride(O, tb) + vStride(C, tb) + mStride(O, C)) + align64(128);
}

/**
 * Z = A e Aᵀ of one tile's 2×2 block of dy for every output channel, lane-stored into Z's A panels:
 * channel o at z + (o / 4)·panel + (o % 4)·4 + ξ·xi. `d0` addresses dy[n, 0, 2·th, 2·tw]; `edge` bit 0:
 * the block's second column is past OW, bit 1: its second row past OH (those entries count as 0).
 */
function transformGradient(d0: usize, O: i32, ysC: usize, rs: usize, cs: usize, edge: i32, z: usize, panel: usize, xi: usize): void {
  for (let o = 0; o < O; o++, d0 += ysC) {
    const e00 = load<f32>(d0);
    const e01 = edge & 1 ? <f32>0 : load<f32>(d0 + cs);
    const e10 = edge & 2 ? <f32>0 : load<f32>(d0 + rs);
    const e11 = edge & 3 ? <f32>0 : load<f32>(d0 + rs + cs);
    // P[i] = (A e)[i, 0], Q[i] = (A e)[i, 1]; row i of Z is [P, P + Q, P − Q, −Q][i].
    const p = f32x4.add(f32x4.mul(f32x4.splat(e00), A0), f32x4.mul(f32x4.splat(e10), A1));
    const q = f32x4.add(f32x4.mul(f32x4.splat(e01), A0), f32x4.mul(f32x4.splat(e11), A1));
    const z1 = f32x4.add(p, q), z2 = f32x4.sub(p, q), z3 = f32x4.neg(q);
    const zo = z + <usize>(o >> 2) * panel + (<usize>(o & 3) << 2);
    // ξ = 4i + j holds lane i of column j.
    v128.store32_lane(zo, p, 0); v128.store32_lane(zo + xi, z1, 0); v128.store32_lane(zo + 2 * xi, z2, 0); v128.store32_lane(zo + 3 * xi, z3, 0);
    let r = zo + 4 * xi;
    v128.store32_lane(r, p, 1); v128.store32_lane(r + xi, z1, 1); v128.store32_lane(r + 2 * xi, z2, 1); v128.store32_lane(r + 3 * xi, z3, 1);
    r += 4 * xi;
    v128.store32_lane(r, p, 2); v128.store32_lane(r + xi, z1, 2); v128.store32_lane(r + 2 * xi, z2, 2); v128.store32_lane(r + 3 * xi, z3, 2);
    r += 4 * xi;
    v128.store32_lane(r, p, 3); v128.store32_lane(r + xi, z1, 3); v128.store32_lane(r + 2 * xi, z2, 3); v128.store32_lane(r + 3 * xi, z3, 3);
  }
}

// Row r of Gᵀ applied to a column (a, b, c, d) of M: a + (b+c)/2, (b−c)/2, (b+c)/2 + d.
@inline function gt0(a: f64, b: f64, c: f64): f64 { return a + (b + c) * 0.5; }
@inline function gt1(b: f64, c: f64): f64 { return (b - c) * 0.5; }
@inline function gt2(b: f64, c: f64, d: f64): f64 { return (b + c) * 0.5 + d; }

/**
 * dw[o, c] = Gᵀ M_(o,c) G (3×3, in f64, rounded once) for every filter, into contiguous [O, C, 3, 3].
 * Returns Σ (dw − dw): 0, or NaN if any is not finite.
 */
function outputFilters(m: usize, xi: usize, O: i32, C: i32, dw: usize): f64 {
  const ld = <usize>((C + 7) & ~7) << 2;
  let check: f64 = 0;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const p = m + <usize>o * ld + (<usize>c << 2);
      // r_ij = row i of Gᵀ M (i < 3, j < 4); then dw row i = Gᵀ applied along j.
      const m00 = <f64>load<f32>(p), m01 = <f64>load<f32>(p + xi), m02 = <f64>load<f32>(p + 2 * xi), m03 = <f64>load<f32>(p + 3 * xi);
      const m10 = <f64>load<f32>(p + 4 * xi), m11 = <f64>load<f32>(p + 5 * xi), m12 = <f64>load<f32>(p + 6 * xi), m13 = <f64>load<f32>(p + 7 * xi);
      const m20 = <f64>load<f32>(p + 8 * xi), m21 = <f64>load<f32>(p + 9 * xi), m22 = <f64>load<f32>(p + 10 * xi), m23 = <f64>load<f32>(p + 11 * xi);
      const m30 = <f64>load<f32>(p + 12 * xi), m31 = <f64>load<f32>(p + 13 * xi), m32 = <f64>load<f32>(p + 14 * xi), m33 = <f64>load<f32>(p + 15 * xi);
      const r00 = gt0(m00, m10, m20), r01 = gt0(m01, m11, m21), r02 = gt0(m02, m12, m22), r03 = gt0(m03, m13, m23);
      const r10 = gt1(m10, m20), r11 = gt1(m11, m21), r12 = gt1(m12, m22), r13 = gt1(m13, m23);
      const r20 = gt2(m10, m20, m30), r21 = gt2(m11, m21, m31), r22 = gt2(m12, m22, m32), r23 = gt2(m13, m23, m33);
      const q = dw + <usize>((o * C + c) * 9) * 4;
      const w0 = <f32>gt0(r00, r01, r02), w1 = <f32>gt1(r01, r02), w2 = <f32>gt2(r01, r02, r03);
      const w3 = <f32>gt0(r10, r11, r12), w4 = <f32>gt1(r11, r12), w5 = <f32>gt2(r11, r12, r13);
      const w6 = <f32>gt0(r20, r21, r22), w7 = <f32>gt1(r21, r22), w8 = <f32>gt2(r21, r22, r23);
      store<f32>(q, w0); store<f32>(q, w1, 4); store<f32>(q, w2, 8);
      store<f32>(q, w3, 12); store<f32>(q, w4, 16); store<f32>(q, w5, 20);
      store<f32>(q, w6, 24); store<f32>(q, w7, 28); store<f32>(q, w8, 32);
      check += <f64>((w0 - w0) + (w1 - w1) + (w2 - w2) + (w3 - w3) + (w4 - w4) + (w5 - w5) + (w6 - w6) + (w7 - w7) + (w8 - w8));
    }
  }
  return check;
}

/**
 * Rows o0 … o1−1 of dw = ∂conv2d/∂w applied to dy by Winograd, for a geometry `winogradApplies`
 * accepts; dw is contiguous [O, C, 3, 3] and those rows are overwritten. o0 must be a multiple of 4 (a
 * micro-kernel panel): every row then comes out bit for bit as in the whole pass (same tiles per block
 * from the whole O, same panels, same order of sums), so threads can split a pass by output channels.
 * Returns STATUS_OK, STATUS_OUT_OF_MEMORY, or WINOGRAD_NONFINITE when a result is NaN or ±Inf (the
 * caller then runs the direct pass).
 */
export function winogradFilter(g: usize, x: usize, dy: usize, dw: usize, o0: i32, o1: i32): i32 {
  const N = field(g, ConvGeom.N), C = field(g, ConvGeom.C), O = field(g, ConvGeom.O), rows = o1 - o0;
  const ysC = <usize>field(g, ConvGeom.YS_C) << 2, ysH = <usize>field(g, ConvGeom.YS_H) << 2, ysW = <usize>field(g, ConvGeom.YS_W) << 2;
  const tH = tileRows(g), tW = tileCols(g), tiles = N * tH * tW;
  const dwPart = dw + (<usize>(o0 * C * 9) << 2);
  if (tiles == 0 || rows <= 0) {
    // No output positions: an empty sum.
    if (rows > 0) memory.fill(dwPart, 0, <usize>(rows * C * 9) << 2);
    return STATUS_OK;
  }
  const tb = blockTiles(C, O, tiles), op = (rows + 3) >> 2, cp = (C + 7) >> 3, ldm = cp * 8;
  const zXi = zStride(rows, tb), vXi = vStride(C, tb), mXi = mStride(rows, C);
  const mark = arena_mark();
  const z = arena_alloc(16 * zXi), v = arena_alloc(16 * vXi), m = arena_alloc(16 * mXi), tmp = arena_alloc(128);
  if (z == 0 || v == 0 || m == 0 || tmp == 0) {
    arena_reset(mark);
    return STATUS_OUT_OF_MEMORY;
  }
  // Lanes of filters past o1 and channels past C are never written: zero, so M's padding stays finite.
  memory.fill(z, 0, 16 * zXi);
  memory.fill(v, 0, 16 * vXi);
  const dy0 = dy + <usize>o0 * ysC;
  let n = 0, th = 0, tw = 0;
  for (let t0 = 0; t0 < tiles; t0 += tb) {
    const nt = min(tb, tiles - t0);
    for (let t = 0; t < nt; t++) {
      transformTile(g, x, n, th, tw, v + (<usize>t << 5), <usize>tb << 5, 4, vXi);
      transformGradient(dy0 + <usize>tileOutput(g, n, th, tw), rows, ysC, ysH, ysW, tileEdge(g, th, tw), z + (<usize>t << 4), <usize>tb << 4, zXi);
      if (++tw == tW) {
        tw = 0;
        if (++th == tH) { th = 0; n++; }
      }
    }
    const beta: f32 = t0 == 0 ? 0 : 1;
    for (let xi = 0; xi < 16; xi++) {
      for (let b = 0; b < cp; b++) {
        const bp = v + <usize>xi * vXi + <usize>(b * tb) * 32;
        for (let a = 0; a < op; a++) {
          microF32(nt, z + <usize>xi * zXi + <usize>(a * tb) * 16, bp, m + <usize>xi * mXi + <usize>(a * 4 * ldm + b * 8) * 4, ldm, 1, 4, 8, beta, tmp);
        }
      }
    }
  }
  const check = outputFilters(m, mXi, rows, C, dwPart);
  arena_reset(mark);
  return check == 0 ? STATUS_OK : WINOGRAD_NONFINITE;
}
