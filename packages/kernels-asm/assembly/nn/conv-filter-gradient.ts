/**
 * The direct conv filter gradient: dw = ∂conv2d/∂w applied to dy as one product per group, summed over
 * every image and output position in registers, for any strides and dilations.
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { STATUS_OK, STATUS_OUT_OF_MEMORY } from "../status";
import { MR, align64, fillShifts, fma, nrOf, paddedCols, paddedRows, splatAt, tapsOf } from "./conv-direct";
import { ConvGeom, field } from "./geometry";
import { packOutputPanels, padImages } from "./im2col";

/**
 * Output positions per block of the direct filter gradient: the block's dy panel (positions × 8 f32)
 * stays in L1 while every tap stream runs against it, and the accumulators are loaded and stored
 * once per block, which is rare at this length.
 */
const FILTER_BLOCK: i32 = 512;

// How the filter gradient blocks its sum over (image, output row, column): small images go several
// to a block (all their rows); a large one alone, split into bands of rows.
function blockImages(g: usize): i32 {
  const P = field(g, ConvGeom.OH) * field(g, ConvGeom.OW);
  return P * 2 <= FILTER_BLOCK ? max(1, min(field(g, ConvGeom.N), FILTER_BLOCK / P)) : 1;
}
function blockRows(g: usize): i32 {
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW);
  return OH * OW * 2 <= FILTER_BLOCK ? OH : max(1, min(OH, FILTER_BLOCK / OW));
}

/** True when the direct filter gradient applies: no negative padding, a non-empty window. */
export function filterDirectApplies(g: usize): bool {
  return field(g, ConvGeom.PAD_H) >= 0 && field(g, ConvGeom.PAD_W) >= 0 && tapsOf(g) > 0;
}

/** Arena bytes the direct filter gradient allocates: a block of padded images, its dy panels, the [K, O] sums, row offsets and tap shifts. */
export function filterScratch(g: usize, sz: usize): usize {
  const G = field(g, ConvGeom.GROUPS), K = <usize>tapsOf(g);
  const Og = field(g, ConvGeom.O) / G, Cg = <usize>(field(g, ConvGeom.C) / G);
  const nr = 32 / <i32>sz;
  const ldc = <usize>((Og + nr - 1) / nr * nr);
  const rows = <usize>blockImages(g) * <usize>blockRows(g);
  const len = rows * <usize>field(g, ConvGeom.OW);
  return align64(<usize>blockImages(g) * Cg * <usize>paddedRows(g) * <usize>paddedCols(g) * sz) + align64(ldc * len * sz) +
    align64((K + MR - 1) / MR * MR * ldc * sz) + align64(rows << 2) + align64(K << 2);
}

/**
 * One MR × nr tile of the filter gradient, accumulated into c (row stride ldc elements): row i gains
 * Σ over the block's positions of tap stream i × the dy panel bp ([position][nr]). The positions are
 * `rows` runs of OW, run r starting rowOffs[r] bytes into each stream and stepping `step` bytes.
 */
function filterTile<T>(rows: i32, OW: i32, rowOffs: usize, step: usize, s0: usize, s1: usize, s2: usize, s3: usize, bp: usize, c: usize, ldc: isize): void {
  const r = <usize>(ldc * sizeof<T>());
  let c00 = v128.load(c), c01 = v128.load(c, 16);
  let c10 = v128.load(c + r), c11 = v128.load(c + r, 16);
  let c20 = v128.load(c + 2 * r), c21 = v128.load(c + 2 * r, 16);
  let c30 = v128.load(c + 3 * r), c31 = v128.load(c + 3 * r, 16);
  for (let row = 0; row < rows; row++) {
    const off = <usize>load<i32>(rowOffs + (<usize>row << 2));
    let p0 = s0 + off, p1 = s1 + off, p2 = s2 + off, p3 = s3 + off;
    for (let ow = 0; ow < OW; ow++) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      let a = splatAt<T>(p0);
      c00 = fma<T>(a, b0, c00);
      c01 = fma<T>(a, b1, c01);
      a = splatAt<T>(p1);
      c10 = fma<T>(a, b0, c10);
      c11 = fma<T>(a, b1, c11);
      a = splatAt<T>(p2);
      c20 = fma<T>(a, b0, c20);
      c21 = fma<T>(a, b1, c21);
      a = splatAt<T>(p3);
      c30 = fma<T>(a, b0, c30);
      c31 = fma<T>(a, b1, c31);
      p0 += step;
      p1 += step;
      p2 += step;
      p3 += step;
      bp += 32;
    }
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + r, c10);
  v128.store(c + r, c11, 16);
  v128.store(c + 2 * r, c20);
  v128.store(c + 2 * r, c21, 16);
  v128.store(c + 3 * r, c30);
  v128.store(c + 3 * r, c31, 16);
}

/**
 * dw = ∂conv2d/∂w applied to dy as one product per group, dwᵀ[K, Og] = cols[K, N·OH·OW] · dyᵀ, summed
 * over every image and position in registers (blocked by blockImages/blockRows) instead of one small GEMM per
 * image: the taps of a padded block of images are read as four scalar streams (any stride and
 * dilation), dy's channels as nr-wide panels. The sum lands in a [K, Og] scratch, then in dw.
 */
export function filterDirect<T>(g: usize, x: usize, dy: usize, dw: usize): i32 {
  const sz = <isize>sizeof<T>();
  const N = field(g, ConvGeom.N), O = field(g, ConvGeom.O), G = field(g, ConvGeom.GROUPS);
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW);
  const sh = field(g, ConvGeom.STRIDE_H), sw = field(g, ConvGeom.STRIDE_W);
  const xsN = <isize>field(g, ConvGeom.XS_N), ysN = <isize>field(g, ConvGeom.YS_N);
  const Cg = field(g, ConvGeom.C) / G, Og = O / G, K = tapsOf(g), nr = nrOf<T>();
  if (N == 0 || OH * OW == 0) {
    // No output positions: the filter gradient is an empty sum.
    memory.fill(dw, 0, <usize>(<isize>O * <isize>K * sz));
    return STATUS_OK;
  }
  if (O == 0) return STATUS_OK;
  const hp = paddedRows(g), wp = paddedCols(g), ps = hp * wp;
  const nb = blockImages(g), bandRows = blockRows(g);
  const oPanels = (Og + nr - 1) / nr, kPanels = (K + MR - 1) / MR;
  const ldc = oPanels * nr;
  const mark = arena_mark();
  const xp = arena_alloc(<usize>(<isize>nb * <isize>Cg * <isize>ps * sz));
  const bp = arena_alloc(<usize>(<isize>ldc * <isize>nb * <isize>bandRows * <isize>OW * sz));
  const ct = arena_alloc(<usize>(<isize>kPanels * MR * <isize>ldc * sz));
  const rowOffs = arena_alloc(<usize>(nb * bandRows) << 2);
  const shifts = arena_alloc(<usize>K << 2);
  if (xp == 0 || bp == 0 || ct == 0 || rowOffs == 0 || shifts == 0) {
    arena_reset(mark);
    return STATUS_OUT_OF_MEMORY;
  }
  fillShifts<T>(g, Cg, ps, wp, shifts);
  const step = <usize>(<isize>sw * sz);
  for (let grp = 0; grp < G; grp++) {
    memory.fill(ct, 0, <usize>(<isize>kPanels * MR * <isize>ldc * sz));
    for (let n0 = 0; n0 < N; n0 += nb) {
      const nImgs = min(nb, N - n0);
      padImages<T>(g, x + <usize>(<isize>n0 * xsN * sz), nImgs, grp * Cg, Cg, hp, wp, ps, xp);
      for (let oh0 = 0; oh0 < OH; oh0 += bandRows) {
        const rows = min(bandRows, OH - oh0);
        const len = <isize>nImgs * <isize>rows * <isize>OW;
        packOutputPanels<T>(g, dy + <usize>(<isize>n0 * ysN * sz), nImgs, oh0, rows, grp * Og, Og, nr, bp);
        // Where each run of OW positions starts in the padded block: its image and its first input row.
        let r = 0;
        for (let i = 0; i < nImgs; i++) {
          for (let oh = oh0; oh < oh0 + rows; oh++, r++) store<i32>(rowOffs + (<usize>r << 2), <i32>((<isize>i * Cg * ps + <isize>oh * sh * wp) * sz));
        }
        for (let op = 0; op < oPanels; op++) {
          const panel = bp + <usize>(<isize>op * len * <isize>nr * sz);
          for (let kp = 0; kp < kPanels; kp++) {
            // A partial last panel repeats its last tap; those rows of ct are never read.
            const k0 = kp * MR;
            const s0 = xp + <usize>load<i32>(shifts + (<usize>k0 << 2));
            const s1 = xp + <usize>load<i32>(shifts + (<usize>min(k0 + 1, K - 1) << 2));
            const s2 = xp + <usize>load<i32>(shifts + (<usize>min(k0 + 2, K - 1) << 2));
            const s3 = xp + <usize>load<i32>(shifts + (<usize>min(k0 + 3, K - 1) << 2));
            const c = ct + <usize>((<isize>k0 * <isize>ldc + <isize>op * nr) * sz);
            filterTile<T>(nImgs * rows, OW, rowOffs, step, s0, s1, s2, s3, panel, c, ldc);
          }
        }
      }
    }
    // dw[grp·Og + o, k] = ct[k, o]
    const dwg = dw + <usize>(<isize>grp * <isize>Og * <isize>K * sz);
    for (let o = 0; o < Og; o++) {
      for (let k = 0; k < K; k++) {
        store<T>(dwg + <usize>((<isize>o * <isize>K + k) * sz), load<T>(ct + <usize>((<isize>k * <isize>ldc + o) * sz)));
      }
    }
  }
  arena_reset(mark);
  return STATUS_OK;
}
