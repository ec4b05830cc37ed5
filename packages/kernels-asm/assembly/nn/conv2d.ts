/**
 * 2-d convolution (cross-correlation, as every DL library) forward and both backward passes.
 * Activations are addressed through the strides in the geometry record (NCHW, NHWC or any view); the
 * filter is contiguous [O, C/groups, KH, KW]. The output's spatial positions must be one stride apart
 * (YS_H = OW·YS_W, true of NCHW and NHWC).
 *
 * The forward and the filter gradient run direct (implicit GEMM) from a zero-padded copy of the input,
 * in which every window tap is a constant offset from its window's origin:
 *  - forward: each run of 8 output positions is packed straight from the padded image into one B panel
 *    for the GEMM micro-kernel, which multiplies it with every filter panel (packed once per call);
 *  - filter gradient: dwᵀ[taps, O] sums over all images and output positions at once, the taps read as
 *    four scalar streams through the padded images and dy packed as channel panels.
 * Convs with negative padding and the input gradient run im2col + GEMM per image, group and band of
 * output rows (the band path).
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { gemm, gemm_scratch_bytes } from "../gemm/gemm";
import { MR_F32, NR_F32, madd, microF32 } from "../gemm/micro-f32";
import { NR_F64, microF64 } from "../gemm/micro-f64";
import { packA } from "../gemm/pack";
import { STATUS_BAD_GEOMETRY, STATUS_OK, STATUS_OUT_OF_MEMORY } from "../status";
import { ConvGeom, field } from "./geometry";
import { col2im, copy, im2col, packOutputPanels, padImages, zero } from "./im2col";

/** Largest column matrix per band (elements): 4 MiB of f32, so the packed GEMM blocks stay cache-sized. */
const BAND_ELEMENTS: i32 = 1 << 20;

/**
 * Output positions per block of the direct filter gradient: the block's dy panel (positions × 8 f32)
 * stays in L1 while every tap stream runs against it, and the accumulators are loaded and stored
 * once per block, which is rare at this length.
 */
const FILTER_BLOCK: i32 = 512;

/** Rows of the direct passes' micro-tile (filters in the forward, taps in the filter gradient): the GEMM micro-kernel's, 4 for f32 and f64 alike. */
const MR: i32 = MR_F32;

/** Which of the three products a pass computes. */
const enum Pass { FORWARD, BACKWARD_INPUT, BACKWARD_FILTER }

// Zero an [N, C, H, W] view with the geometry's input strides (the backward-input pass accumulates into it).
function zeroInput<T>(g: usize, dx: usize): void {
  const sz = <isize>sizeof<T>();
  const N = field(g, ConvGeom.N), C = field(g, ConvGeom.C), H = field(g, ConvGeom.H), W = field(g, ConvGeom.W);
  const sN = <isize>field(g, ConvGeom.XS_N), sC = <isize>field(g, ConvGeom.XS_C);
  const sH = <isize>field(g, ConvGeom.XS_H), sW = <isize>field(g, ConvGeom.XS_W);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) {
    let p = dx + <usize>((<isize>n * sN + <isize>c * sC + <isize>h * sH) * sz);
    for (let w = 0; w < W; w++, p += <usize>(sW * sz)) store<T>(p, <T>0);
  }
}

// Output rows per band: as many as keep the column matrix within BAND_ELEMENTS (at least one).
function bandRowsOf(K: i32, OH: i32, OW: i32): i32 {
  return max(1, min(OH, BAND_ELEMENTS / max(1, K * OW)));
}

// im2col + GEMM per image, group and band of output rows: the general path, taken for negative padding
// (which the padded images cannot express) and for the input gradient (whose col2im scatter has no
// direct counterpart here; core runs input gradients as forward convs anyway).
function bandConv<T>(pass: Pass, g: usize, x: usize, w: usize, y: usize): i32 {
  const sz = <isize>sizeof<T>();
  const N = field(g, ConvGeom.N), C = field(g, ConvGeom.C), O = field(g, ConvGeom.O);
  const KH = field(g, ConvGeom.KH), KW = field(g, ConvGeom.KW);
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW), G = field(g, ConvGeom.GROUPS);
  const xsN = <isize>field(g, ConvGeom.XS_N);
  const ysN = <isize>field(g, ConvGeom.YS_N), ysC = <isize>field(g, ConvGeom.YS_C);
  const ysH = <isize>field(g, ConvGeom.YS_H), ysW = <isize>field(g, ConvGeom.YS_W);
  if (G <= 0 || C % G != 0 || O % G != 0 || (OH > 1 && ysH != <isize>OW * ysW)) return STATUS_BAD_GEOMETRY;
  if (pass == Pass.BACKWARD_INPUT) zeroInput<T>(g, x);
  const Cg = C / G, Og = O / G, K = Cg * KH * KW;
  if (pass == Pass.BACKWARD_FILTER && (N == 0 || OH * OW == 0)) {
    // No output positions: the filter gradient is an empty sum.
    memory.fill(w, 0, <usize>(<isize>O * <isize>K * sz));
    return STATUS_OK;
  }
  if (N == 0 || OH * OW == 0 || O == 0) return STATUS_OK;
  const bandRows = bandRowsOf(K, OH, OW);
  const mark = arena_mark();
  const cols = arena_alloc(<usize>(<isize>K * <isize>bandRows * <isize>OW * sz));
  if (cols == 0) return STATUS_OUT_OF_MEMORY;
  let st = STATUS_OK;
  for (let n = 0; n < N && st == STATUS_OK; n++) {
    const xn = x + <usize>(<isize>n * xsN * sz);
    const yn = y + <usize>(<isize>n * ysN * sz);
    for (let grp = 0; grp < G && st == STATUS_OK; grp++) {
      const wg = w + <usize>(<isize>grp * <isize>Og * <isize>K * sz);
      const yg = yn + <usize>(<isize>grp * <isize>Og * ysC * sz);
      for (let oh0 = 0; oh0 < OH && st == STATUS_OK; oh0 += bandRows) {
        const rows = min(bandRows, OH - oh0);
        const P = rows * OW;
        const yb = yg + <usize>(<isize>oh0 * ysH * sz);
        if (pass == Pass.FORWARD) {
          // y[Og, P] = w[Og, K] · cols[K, P]
          im2col<T>(g, xn, grp * Cg, Cg, oh0, rows, cols);
          st = gemm<T>(Og, P, K, wg, K, 1, cols, P, 1, <T>0, yb, ysC, ysW);
        } else if (pass == Pass.BACKWARD_FILTER) {
          // dw[Og, K] (+)= dy[Og, P] · cols[K, P]ᵀ, accumulated over images and bands.
          im2col<T>(g, xn, grp * Cg, Cg, oh0, rows, cols);
          const first = n == 0 && oh0 == 0;
          st = gemm<T>(Og, K, P, yb, ysC, ysW, cols, 1, P, first ? <T>0 : <T>1, wg, K, 1);
        } else {
          // cols[K, P] = w[Og, K]ᵀ · dy[Og, P], then scattered back onto the input positions.
          st = gemm<T>(K, P, Og, wg, 1, K, yb, ysC, ysW, <T>0, cols, P, 1);
          col2im<T>(g, cols, grp * Cg, Cg, oh0, rows, xn);
        }
      }
    }
  }
  arena_reset(mark);
  return st;
}

// ---- SIMD helpers of the direct passes, generic over f32 (4 lanes) and f64 (2 lanes) ----

/** Columns of the direct passes' micro-tile: the GEMM micro-kernel's, two vectors of T (8 f32 or 4 f64). */
@inline function nrOf<T>(): i32 {
  return sizeof<T>() == 4 ? NR_F32 : NR_F64;
}

/** The value at p in every lane. */
@inline function splatAt<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p);
  return v128.load64_splat(p);
}

/** a·b + c per lane (f32: the GEMM micro-kernel's madd, fused in the relaxed-SIMD build). */
@inline function fma<T>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<T>() == 4) return madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** Round `n` bytes up to the arena's 64-byte alignment (what one arena_alloc takes). */
function align64(n: usize): usize {
  return (n + 63) & ~<usize>63;
}

/** True for a geometry whose groups divide the channels. */
function groupsValid(g: usize): bool {
  const C = field(g, ConvGeom.C), O = field(g, ConvGeom.O), G = field(g, ConvGeom.GROUPS);
  return G > 0 && C % G == 0 && O % G == 0;
}

/** True when output rows follow each other one row-length apart (YS_H = OW·YS_W), as every pass requires. */
function rowsContiguous(g: usize): bool {
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW);
  return OH <= 1 || <isize>field(g, ConvGeom.YS_H) == <isize>OW * <isize>field(g, ConvGeom.YS_W);
}

/** Window taps per group: C/G·KH·KW (the contraction of the forward, the rows of the filter gradient). */
function tapsOf(g: usize): i32 {
  return field(g, ConvGeom.C) / field(g, ConvGeom.GROUPS) * field(g, ConvGeom.KH) * field(g, ConvGeom.KW);
}

/**
 * shifts[k] = byte offset of tap k = (c, kh, kw) in a padded image of cg planes ps elements apart and
 * rows wp elements long: where the tap reads relative to the window's origin.
 */
function fillShifts<T>(g: usize, cg: i32, ps: i32, wp: i32, shifts: usize): void {
  const KH = field(g, ConvGeom.KH), KW = field(g, ConvGeom.KW);
  const dh = field(g, ConvGeom.DIL_H), dw = field(g, ConvGeom.DIL_W);
  let k = 0;
  for (let c = 0; c < cg; c++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++, k++) {
    store<i32>(shifts + (<usize>k << 2), (c * ps + kh * dh * wp + kw * dw) * sizeof<T>());
  }
}

// The direct passes' padded image: (OH−1)·sh + (KH−1)·dh + 1 rows, columns likewise — exactly the
// extent the windows read, with the padding as zeros.
function paddedRows(g: usize): i32 {
  return (field(g, ConvGeom.OH) - 1) * field(g, ConvGeom.STRIDE_H) + (field(g, ConvGeom.KH) - 1) * field(g, ConvGeom.DIL_H) + 1;
}
function paddedCols(g: usize): i32 {
  return (field(g, ConvGeom.OW) - 1) * field(g, ConvGeom.STRIDE_W) + (field(g, ConvGeom.KW) - 1) * field(g, ConvGeom.DIL_W) + 1;
}

// ---- direct forward ----

/** True when the direct forward applies: no negative padding, a non-empty window. */
function forwardDirectApplies(g: usize): bool {
  return field(g, ConvGeom.PAD_H) >= 0 && field(g, ConvGeom.PAD_W) >= 0 && tapsOf(g) > 0;
}

/** Arena bytes the direct forward allocates: packed filters of one group, tap shifts, one padded image, one B panel, one tile. */
function forwardScratch(g: usize, sz: usize): usize {
  const G = field(g, ConvGeom.GROUPS), K = <usize>tapsOf(g);
  const Og = field(g, ConvGeom.O) / G, Cg = <usize>(field(g, ConvGeom.C) / G);
  const nr = <usize>(32 / sz);
  const panels = <usize>((Og + MR - 1) / MR);
  return align64(panels * <usize>MR * K * sz) + align64(K << 2) +
    align64(Cg * <usize>paddedRows(g) * <usize>paddedCols(g) * sz) + align64(K * nr * sz) + align64(<usize>MR * nr * sz);
}

/**
 * Pack output positions p0 … p0+nr−1 (p = oh·OW + ow, the order of y's positions) of every tap into
 * the micro-kernel's B panel: dst[k·nr + j] = the padded-image element tap k reads for position p0 + j,
 * 0 past the last position. A panel row is 32 bytes (two vectors) for f32 and f64 alike. Positions
 * sharing an output row read one run of a padded row (contiguous at unit stride): a whole panel in one
 * row is two vector copies per tap, one split over two rows two vector blends.
 */
function packPositions<T>(g: usize, xp: usize, wp: i32, shifts: usize, K: i32, p0: i32, nr: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW);
  const sh = field(g, ConvGeom.STRIDE_H), sw = field(g, ConvGeom.STRIDE_W);
  const oh = p0 / OW, ow = p0 - oh * OW;
  const run = min(nr, OW - ow);
  const full = OH * OW - p0 >= nr;
  const src = xp + <usize>((<isize>oh * sh * wp + <isize>ow) * sz);
  if (sw == 1 && full && run == nr) {
    packOneRun(src, shifts, K, dst);
  } else if (sw == 1 && full && nr - run <= OW) {
    // The rest of the panel starts row oh + 1; loaded from `run` elements before it so lanes line up.
    const next = xp + <usize>((<isize>(oh + 1) * sh * wp - run) * sz);
    packTwoRuns(src, next, <i32>(run * sz), shifts, K, dst);
  } else {
    packRuns<T>(g, xp, wp, shifts, K, p0, nr, dst);
  }
}

// Every tap's 32 bytes from src + shift[k].
function packOneRun(src: usize, shifts: usize, K: i32, dst: usize): void {
  const end = shifts + (<usize>K << 2);
  for (let s = shifts; s < end; s += 4, dst += 32) {
    const at = src + <usize>load<i32>(s);
    v128.store(dst, v128.load(at));
    v128.store(dst, v128.load(at, 16), 16);
  }
}

// Every tap's 32 bytes: the first `split` bytes from a + shift[k], the rest from b + shift[k] (same offsets).
function packTwoRuns(a: usize, b: usize, split: i32, shifts: usize, K: i32, dst: usize): void {
  const at = v128.splat<i8>(<i8>split);
  const m0 = i8x16.lt_u(v128(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), at);
  const m1 = i8x16.lt_u(v128(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31), at);
  const end = shifts + (<usize>K << 2);
  for (let s = shifts; s < end; s += 4, dst += 32) {
    const sh = <usize>load<i32>(s);
    const pa = a + sh, pb = b + sh;
    v128.store(dst, v128.bitselect(v128.load(pa), v128.load(pb), m0));
    v128.store(dst, v128.bitselect(v128.load(pa, 16), v128.load(pb, 16), m1), 16);
  }
}

// The general case (strided columns, the last panel, rows shorter than a panel): run by run, element
// runs copied per tap, and zeros past the last position.
function packRuns<T>(g: usize, xp: usize, wp: i32, shifts: usize, K: i32, p0: i32, nr: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW);
  const sh = field(g, ConvGeom.STRIDE_H), sw = field(g, ConvGeom.STRIDE_W);
  const last = min(nr, OH * OW - p0);
  if (last < nr) {
    for (let k = 0; k < K; k++) zero<T>(dst + <usize>(<isize>(k * nr + last) * sz), nr - last);
  }
  let oh = p0 / OW, ow = p0 - oh * OW;
  for (let j = 0; j < last; ) {
    const run = min(last - j, OW - ow);
    const src = xp + <usize>((<isize>oh * sh * wp + <isize>ow * sw) * sz);
    let d = dst + <usize>(<isize>j * sz);
    for (let k = 0; k < K; k++, d += <usize>(<isize>nr * sz)) {
      const s = src + <usize>load<i32>(shifts + (<usize>k << 2));
      if (sw == 1) {
        copy<T>(d, s, run);
      } else {
        for (let e = 0; e < run; e++) store<T>(d + <usize>(<isize>e * sz), load<T>(s + <usize>(<isize>e * sw * sz)));
      }
    }
    j += run;
    ow = 0;
    oh++;
  }
}

/**
 * y = conv2d(x, w) as an implicit GEMM: per group the filters are packed once into MR-row panels
 * (the GEMM's A panels), per image the group's channels are copied into a zero-padded image, and each
 * run of nr output positions is packed straight from it into one B panel (K × nr, kept in L1) that
 * every filter panel then multiplies with the GEMM's micro-kernel, storing into y. Unlike im2col + GEMM
 * there is no column matrix, no repacking of the filters per image and no depth blocking of K.
 */
function forwardDirect<T>(g: usize, x: usize, w: usize, y: usize): i32 {
  const sz = <isize>sizeof<T>();
  const N = field(g, ConvGeom.N), O = field(g, ConvGeom.O), G = field(g, ConvGeom.GROUPS);
  const OH = field(g, ConvGeom.OH), OW = field(g, ConvGeom.OW);
  const xsN = <isize>field(g, ConvGeom.XS_N);
  const ysN = <isize>field(g, ConvGeom.YS_N), ysC = <isize>field(g, ConvGeom.YS_C), ysW = <isize>field(g, ConvGeom.YS_W);
  if (N == 0 || OH * OW == 0 || O == 0) return STATUS_OK;
  const Cg = field(g, ConvGeom.C) / G, Og = O / G, K = tapsOf(g), nr = nrOf<T>();
  const hp = paddedRows(g), wp = paddedCols(g), ps = hp * wp;
  const P = OH * OW;
  const panels = (Og + MR - 1) / MR;
  const mark = arena_mark();
  const wpk = arena_alloc(<usize>(<isize>panels * MR * <isize>K * sz));
  const shifts = arena_alloc(<usize>K << 2);
  const xp = arena_alloc(<usize>(<isize>Cg * <isize>ps * sz));
  const bp = arena_alloc(<usize>(<isize>K * nr * sz));
  const tmp = arena_alloc(<usize>(MR * nr * sz));
  if (wpk == 0 || shifts == 0 || xp == 0 || bp == 0 || tmp == 0) {
    arena_reset(mark);
    return STATUS_OUT_OF_MEMORY;
  }
  fillShifts<T>(g, Cg, ps, wp, shifts);
  for (let grp = 0; grp < G; grp++) {
    packA<T>(w + <usize>(<isize>grp * <isize>Og * <isize>K * sz), K, 1, Og, K, MR, wpk);
    for (let n = 0; n < N; n++) {
      padImages<T>(g, x + <usize>(<isize>n * xsN * sz), 1, grp * Cg, Cg, hp, wp, ps, xp);
      const yg = y + <usize>((<isize>n * ysN + <isize>grp * <isize>Og * ysC) * sz);
      for (let p0 = 0; p0 < P; p0 += nr) {
        packPositions<T>(g, xp, wp, shifts, K, p0, nr, bp);
        const cols = min(nr, P - p0);
        for (let p = 0; p < panels; p++) {
          const mr = min(MR, Og - p * MR);
          const ap = wpk + <usize>(<isize>p * MR * <isize>K * sz);
          // Positions are one ysW apart across rows too (rowsContiguous).
          const c = yg + <usize>((<isize>p * MR * ysC + <isize>p0 * ysW) * sz);
          if (sizeof<T>() == 4) microF32(K, ap, bp, c, ysC, ysW, mr, cols, 0, tmp);
          else microF64(K, ap, bp, c, ysC, ysW, mr, cols, 0, tmp);
        }
      }
    }
  }
  arena_reset(mark);
  return STATUS_OK;
}

// ---- direct filter gradient (any strides) ----

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
function filterDirectApplies(g: usize): bool {
  return field(g, ConvGeom.PAD_H) >= 0 && field(g, ConvGeom.PAD_W) >= 0 && tapsOf(g) > 0;
}

/** Arena bytes the direct filter gradient allocates: a block of padded images, its dy panels, the [K, O] sums, row offsets and tap shifts. */
function filterScratch(g: usize, sz: usize): usize {
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
function filterDirect<T>(g: usize, x: usize, dy: usize, dw: usize): i32 {
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

// ---- the passes ----

// Validate the geometry, then run the direct pass where it applies and the band path otherwise.
function conv<T>(pass: Pass, g: usize, x: usize, w: usize, y: usize): i32 {
  if (!groupsValid(g) || !rowsContiguous(g)) return STATUS_BAD_GEOMETRY;
  if (pass == Pass.FORWARD && forwardDirectApplies(g)) return forwardDirect<T>(g, x, w, y);
  if (pass == Pass.BACKWARD_FILTER && filterDirectApplies(g)) return filterDirect<T>(g, x, y, w);
  return bandConv<T>(pass, g, x, w, y);
}

/** y = conv2d(x, w) in f32: x [N, C, H, W] and y [N, O, OH, OW] through the geometry's strides, w contiguous [O, C/G, KH, KW]. */
export function conv2d_forward_f32(geom: usize, x: usize, w: usize, y: usize): i32 {
  return conv<f32>(Pass.FORWARD, geom, x, w, y);
}

/** dx = ∂conv2d/∂x applied to dy (f32): dx has x's strides and is overwritten. */
export function conv2d_backward_input_f32(geom: usize, dy: usize, w: usize, dx: usize): i32 {
  return conv<f32>(Pass.BACKWARD_INPUT, geom, dx, w, dy);
}

/** dw = ∂conv2d/∂w applied to dy (f32): dw is contiguous [O, C/G, KH, KW] and overwritten. */
export function conv2d_backward_filter_f32(geom: usize, x: usize, dy: usize, dw: usize): i32 {
  return conv<f32>(Pass.BACKWARD_FILTER, geom, x, dw, dy);
}

/** As `conv2d_forward_f32` for f64. */
export function conv2d_forward_f64(geom: usize, x: usize, w: usize, y: usize): i32 {
  return conv<f64>(Pass.FORWARD, geom, x, w, y);
}

/** As `conv2d_backward_input_f32` for f64. */
export function conv2d_backward_input_f64(geom: usize, dy: usize, w: usize, dx: usize): i32 {
  return conv<f64>(Pass.BACKWARD_INPUT, geom, dx, w, dy);
}

/** As `conv2d_backward_filter_f32` for f64. */
export function conv2d_backward_filter_f64(geom: usize, x: usize, dy: usize, dw: usize): i32 {
  return conv<f64>(Pass.BACKWARD_FILTER, geom, x, dw, dy);
}

/**
 * Bytes of arena scratch any of the conv passes takes for the geometry at `geom` with elements of
 * `elemBytes` (4 or 8): the larger of the band path's column matrix plus its largest GEMM's packing
 * buffers and what the direct passes allocate (an upper bound over the three passes). The worker pool
 * reserves this much per worker, so that workers sharing one memory never allocate over each other.
 * Never less than a slice of the batch needs (only the filter gradient's block of images depends on N).
 */
export function conv2d_scratch_bytes(geom: usize, elemBytes: i32): usize {
  const sz = <isize>(elemBytes == 8 ? 8 : 4);
  const C = field(geom, ConvGeom.C), O = field(geom, ConvGeom.O), G = field(geom, ConvGeom.GROUPS);
  const KH = field(geom, ConvGeom.KH), KW = field(geom, ConvGeom.KW);
  const OH = field(geom, ConvGeom.OH), OW = field(geom, ConvGeom.OW);
  if (G <= 0 || C % G != 0 || O % G != 0 || OH <= 0 || OW <= 0 || O <= 0) return 0;
  const Cg = C / G, Og = O / G, K = Cg * KH * KW;
  const P = bandRowsOf(K, OH, OW) * OW;
  const cols = (<usize>(<isize>K * <isize>P * sz) + 63) & ~<usize>63;
  const e = <i32>sz;
  const g = max(gemm_scratch_bytes(Og, P, K, e), max(gemm_scratch_bytes(Og, K, P, e), gemm_scratch_bytes(K, P, Og, e)));
  const fwd = forwardDirectApplies(geom) ? forwardScratch(geom, <usize>sz) : 0;
  const filt = filterDirectApplies(geom) ? filterScratch(geom, <usize>sz) : 0;
  return max(cols + g, max(fwd, filt));
}
