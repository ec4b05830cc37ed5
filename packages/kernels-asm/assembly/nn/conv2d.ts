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
 * (conv-forward.ts and conv-filter-gradient.ts, on the helpers of conv-direct.ts.) Convs with negative padding and the input gradient run im2col + GEMM per image, group and band of
 * output rows (the band path).
 * An f32 forward or filter gradient with 3×3 windows at unit stride and enough channels runs
 * Winograd's F(2×2, 3×3) instead (conv-winograd.ts, conv-winograd-filter.ts: 2.25× fewer
 * multiply-adds), and falls back to the direct pass when a result comes out NaN or ±Inf, so non-finite
 * inputs give the direct conv's results.
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { gemm, gemm_scratch_bytes } from "../gemm/gemm";
import { STATUS_BAD_GEOMETRY, STATUS_OK, STATUS_OUT_OF_MEMORY, STATUS_UNSUPPORTED } from "../status";
import { filterDirect, filterDirectApplies, filterScratch } from "./conv-filter-gradient";
import { forwardDirect, forwardDirectApplies, forwardScratch } from "./conv-forward";
import { MIN_CHANNELS_FILTER, MIN_CHANNELS_FORWARD, WINOGRAD_NONFINITE, winogradApplies, winogradForward, winogradScratch } from "./conv-winograd";
import { winogradFilter, winogradFilterScratch } from "./conv-winograd-filter";
import { ConvGeom, field } from "./geometry";
import { col2im, im2col } from "./im2col";

/** Largest column matrix per band (elements): 4 MiB of f32, so the packed GEMM blocks stay cache-sized. */
const BAND_ELEMENTS: i32 = 1 << 20;

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

// ---- the passes ----

/** True when no size of the geometry is negative (a caller's arithmetic gone wrong, not an empty conv). */
function sizesValid(g: usize): bool {
  for (let f = ConvGeom.N; f <= ConvGeom.OW; f++) if (field(g, f) < 0) return false;
  return true;
}

// Winograd passes completed in this instance (a Winograd pass that met a non-finite result or ran out
// of memory, and left the conv to the direct pass, does not count).
let winogradRuns: i32 = 0;

// A Winograd pass's status: its own when it completed or failed for good; -1 (run the direct pass) when
// a result was not finite or its scratch did not fit (the direct pass may need less).
function afterWinograd(st: i32): i32 {
  if (st == STATUS_OK) winogradRuns++;
  return st == WINOGRAD_NONFINITE || st == STATUS_OUT_OF_MEMORY ? -1 : st;
}

// Validate the geometry, then run Winograd or the direct pass where they apply and the band path otherwise.
function conv<T>(pass: Pass, g: usize, x: usize, w: usize, y: usize): i32 {
  if (!sizesValid(g) || !groupsValid(g) || !rowsContiguous(g)) return STATUS_BAD_GEOMETRY;
  if (pass == Pass.FORWARD && winogradApplies(g, sizeof<T>(), MIN_CHANNELS_FORWARD)) {
    const st = afterWinograd(winogradForward(g, x, w, y));
    if (st >= 0) return st;
  }
  if (pass == Pass.FORWARD && forwardDirectApplies(g)) return forwardDirect<T>(g, x, w, y);
  if (pass == Pass.BACKWARD_FILTER && winogradApplies(g, sizeof<T>(), MIN_CHANNELS_FILTER)) {
    const st = afterWinograd(winogradFilter(g, x, y, w, 0, field(g, ConvGeom.O)));
    if (st >= 0) return st;
  }
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
 * True when the f32 filter gradient of the geometry at `geom` can be split over output channels with
 * `conv2d_backward_filter_part_f32` (its Winograd pass applies).
 */
export function conv2d_backward_filter_splits(geom: usize, elemBytes: i32): bool {
  return sizesValid(geom) && rowsContiguous(geom) && winogradApplies(geom, elemBytes, MIN_CHANNELS_FILTER);
}

/**
 * Rows o0 … o1−1 of the f32 filter gradient (o0 a multiple of 4), bit for bit as `conv2d_backward_filter_f32`
 * computes them, for a geometry `conv2d_backward_filter_splits` accepts: how worker threads share one
 * pass. Returns STATUS_UNSUPPORTED when the split does not apply or Winograd did not complete (a
 * non-finite result, no scratch): the caller then runs `conv2d_backward_filter_f32` for the whole pass.
 */
export function conv2d_backward_filter_part_f32(geom: usize, x: usize, dy: usize, dw: usize, o0: i32, o1: i32): i32 {
  const O = field(geom, ConvGeom.O);
  if (!conv2d_backward_filter_splits(geom, 4) || o0 < 0 || o0 & 3 || o1 > O || o1 < o0) return STATUS_UNSUPPORTED;
  return afterWinograd(winogradFilter(geom, x, dy, dw, o0, o1)) == STATUS_OK ? STATUS_OK : STATUS_UNSUPPORTED;
}

/** How many conv passes this instance has run by Winograd's F(2×2, 3×3) to completion: lets tests and benchmarks see which route a geometry took. */
export function conv2d_winograd_runs(): i32 {
  return winogradRuns;
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
  const fwdWino = winogradApplies(geom, e, MIN_CHANNELS_FORWARD) ? winogradScratch(geom) : 0;
  const filtWino = winogradApplies(geom, e, MIN_CHANNELS_FILTER) ? winogradFilterScratch(geom) : 0;
  const wino = max(fwdWino, filtWino);
  return max(max(cols + g, wino), max(fwd, filt));
}
