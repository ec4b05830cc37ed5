/**
 * The direct conv forward: y = conv2d(x, w) as an implicit GEMM, each run of output positions packed
 * straight from a zero-padded image into one B panel for the GEMM micro-kernel (no column matrix).
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { microF32 } from "../gemm/micro-f32";
import { microF64 } from "../gemm/micro-f64";
import { packA } from "../gemm/pack";
import { STATUS_OK, STATUS_OUT_OF_MEMORY } from "../status";
import { MR, align64, fillShifts, nrOf, paddedCols, paddedRows, tapsOf } from "./conv-direct";
import { ConvGeom, field } from "./geometry";
import { copy, padImages, zero } from "./im2col";

/** True when the direct forward applies: no negative padding, a non-empty window. */
export function forwardDirectApplies(g: usize): bool {
  return field(g, ConvGeom.PAD_H) >= 0 && field(g, ConvGeom.PAD_W) >= 0 && tapsOf(g) > 0;
}

/** Arena bytes the direct forward allocates: packed filters of one group, tap shifts, one padded image, one B panel, one tile. */
export function forwardScratch(g: usize, sz: usize): usize {
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
export function forwardDirect<T>(g: usize, x: usize, w: usize, y: usize): i32 {
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
