/**
 * The Winograd forward for 3×3, stride-1, ungrouped f32 convolutions: F(2×2, 3×3) (Lavin & Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016). Each 2×2 block of outputs comes from one 4×4
 * input tile d and each filter g as Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, so per channel pair the contraction
 * takes 16 multiply-adds per 4 outputs instead of 36: sixteen independent GEMMs
 * M_ξ[O × tiles] = U_ξ[O × C] · V_ξ[C × tiles], one per element ξ of the 4×4 transformed tile, run on
 * the GEMM micro-kernel — 2.25× fewer flops than the direct conv, with transforms of only adds.
 *
 * Tiles are numbered over (image, tile row, tile column) and processed in blocks whose V and M stay in
 * L2. Inputs are read in place (no padded copy): a tile's rows are vector loads when the tile lies
 * inside the image and lane-by-lane loads with zeros for the padding otherwise.
 *
 * F(2×2, 3×3) is well conditioned (the transforms' coefficients are 0, ±1 and ±½): its rounding error
 * is of the order of the direct conv's, but relative to the magnitudes in the whole tile rather than to
 * each output's own terms, so an output (or filter-gradient element) whose terms are all padding can
 * come out as ~10⁻⁷ of its neighbours instead of exactly 0. And its transforms mix every input of a tile into
 * every output of the tile: one Inf or NaN in the input spoils outputs a direct conv leaves finite, and
 * an intermediate may overflow where the direct sum does not. So the pass checks its outputs and, when
 * any is not finite, reports it so the caller reruns the direct pass, which has the reference's NaN/Inf
 * pattern.
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { microF32 } from "../gemm/micro-f32";
import { STATUS_OK, STATUS_OUT_OF_MEMORY } from "../status";
import { align64 } from "./conv-direct";
import { ConvGeom, field } from "./geometry";

/** Returned (never exported) when an output is NaN or ±Inf: the caller reruns the direct pass. */
export const WINOGRAD_NONFINITE: i32 = -1;

/**
 * Fewest input and output channels for which Winograd beats the direct pass (bench/conv.ts, batch 64,
 * GFLOP/s Winograd vs direct): forward 8→8 @28 35 vs 34, 16→16 @14 52 vs 34; the direct filter
 * gradient is faster than the direct forward, so Winograd's starts later: 8→16 @28 41 vs 47,
 * 16→16 @14 50 vs 46, 32→64 @14 69 vs 49.
 */
export const MIN_CHANNELS_FORWARD: i32 = 8;
export const MIN_CHANNELS_FILTER: i32 = 16;

/** Bytes of V and M per block of tiles: both stay in L2 while the block's sixteen GEMMs stream them. */
const BLOCK_BYTES: i32 = 256 << 10;

/** Sign bits of lanes 0, 2 and 3: v ^ FLIP negates those lanes. */
const FLIP = v128(0, 0, 0, -128, 0, 0, 0, 0, 0, 0, 0, -128, 0, 0, 0, -128);

/** True when a Winograd pass applies: f32 3×3 windows, unit strides and dilations, one group, no negative padding, unit-stride input rows and at least `minChannels` channels in and out. */
export function winogradApplies(g: usize, elemBytes: i32, minChannels: i32): bool {
  return elemBytes == 4 && field(g, ConvGeom.KH) == 3 && field(g, ConvGeom.KW) == 3 &&
    field(g, ConvGeom.STRIDE_H) == 1 && field(g, ConvGeom.STRIDE_W) == 1 &&
    field(g, ConvGeom.DIL_H) == 1 && field(g, ConvGeom.DIL_W) == 1 && field(g, ConvGeom.GROUPS) == 1 &&
    field(g, ConvGeom.PAD_H) >= 0 && field(g, ConvGeom.PAD_W) >= 0 && field(g, ConvGeom.XS_W) == 1 &&
    field(g, ConvGeom.C) >= minChannels && field(g, ConvGeom.O) >= minChannels;
}

// Tiles per block: a multiple of the micro-kernel's 8 columns, at most what the conv has.
export function blockTiles(C: i32, O: i32, tiles: i32): i32 {
  const fit = max(8, (BLOCK_BYTES / (64 * (C + O))) & ~7);
  return min(fit, (tiles + 7) & ~7);
}

// Tile counts along the output's rows and columns: one tile per 2×2 block of outputs.
@inline export function tileRows(g: usize): i32 {
  return (field(g, ConvGeom.OH) + 1) >> 1;
}
@inline export function tileCols(g: usize): i32 {
  return (field(g, ConvGeom.OW) + 1) >> 1;
}

/**
 * Bytes from one ξ's V (or M) to the next: `bytes` rounded up to an odd number of cache lines. The
 * input transform stores, and the output transform loads, one element of each of the 16 ξ at a time;
 * with a stride a multiple of 4 KiB (8→8 channels at 28×28 give 8 KiB) all 16 fall in one L1 set and
 * evict each other (measured: 12 GFLOP/s instead of 40).
 */
export function xiStride(bytes: usize): usize {
  const lines = (bytes + 63) >> 6;
  return (lines | 1) << 6;
}

/** Arena bytes the Winograd forward allocates: the transformed filters, one block's V, M and tile table, one micro-tile. */
export function winogradScratch(g: usize): usize {
  const C = field(g, ConvGeom.C), O = field(g, ConvGeom.O);
  const tiles = field(g, ConvGeom.N) * tileRows(g) * tileCols(g);
  const tb = <usize>blockTiles(C, O, max(1, tiles));
  const op = <usize>((O + 3) >> 2);
  return align64(16 * op * 4 * <usize>C * 4) + 16 * xiStride(tb * <usize>C * 4) + 16 * xiStride(<usize>O * tb * 4) +
    align64(tb * 8) + align64(128);
}

/**
 * U_ξ = (G g Gᵀ)_ξ for every filter, computed in f64 and rounded once, stored as the micro-kernel's A
 * panels: U + ((ξ·OP + o/4)·C + c)·16 + (o % 4)·4, rows past O zero. G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
 */
function transformFilters(w: usize, O: i32, C: i32, u: usize): void {
  const xiStride = <usize>((O + 3) >> 2) * <usize>C * 16;
  if (O & 3) memory.fill(u, 0, 16 * xiStride);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const g = w + <usize>((o * C + c) * 9) * 4;
      const dst = u + <usize>(((o >> 2) * C + c) * 16 + (o & 3) * 4);
      // t = G·g, column by column (k = filter column); row r of t then gives row r of U = t·Gᵀ.
      const g00 = <f64>load<f32>(g), g01 = <f64>load<f32>(g, 4), g02 = <f64>load<f32>(g, 8);
      const g10 = <f64>load<f32>(g, 12), g11 = <f64>load<f32>(g, 16), g12 = <f64>load<f32>(g, 20);
      const g20 = <f64>load<f32>(g, 24), g21 = <f64>load<f32>(g, 28), g22 = <f64>load<f32>(g, 32);
      storeFilterRow(dst, 0, xiStride, g00, g01, g02);
      storeFilterRow(dst, 1, xiStride, (g00 + g10 + g20) * 0.5, (g01 + g11 + g21) * 0.5, (g02 + g12 + g22) * 0.5);
      storeFilterRow(dst, 2, xiStride, (g00 - g10 + g20) * 0.5, (g01 - g11 + g21) * 0.5, (g02 - g12 + g22) * 0.5);
      storeFilterRow(dst, 3, xiStride, g20, g21, g22);
    }
  }
}

// Row r of U from row r of G·g = [a, b, c]: [a, (a+b+c)/2, (a−b+c)/2, c] at ξ = 4r … 4r+3.
@inline function storeFilterRow(dst: usize, r: i32, xiStride: usize, a: f64, b: f64, c: f64): void {
  const p = dst + <usize>(r * 4) * xiStride;
  store<f32>(p, <f32>a);
  store<f32>(p + xiStride, <f32>((a + b + c) * 0.5));
  store<f32>(p + 2 * xiStride, <f32>((a - b + c) * 0.5));
  store<f32>(p + 3 * xiStride, <f32>c);
}

// [a, b, c, e] → [a − c, b + c, c − b, b − e]: one row of a tile times B (Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]).
@inline function timesB(v: v128): v128 {
  const x = i32x4.shuffle(v, v, 0, 1, 2, 1);
  const y = i32x4.shuffle(v, v, 2, 2, 1, 3);
  return f32x4.add(x, v128.xor(y, FLIP));
}

// Lane k of x at p if column iw0 + k is inside [0, W), else 0: a tile row that overlaps the padding.
@inline function loadRowChecked(p: usize, iw0: i32, W: i32): v128 {
  let v = f32x4.splat(0);
  if (<u32>iw0 < <u32>W) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (<u32>(iw0 + 1) < <u32>W) v = f32x4.replace_lane(v, 1, load<f32>(p + 4));
  if (<u32>(iw0 + 2) < <u32>W) v = f32x4.replace_lane(v, 2, load<f32>(p + 8));
  if (<u32>(iw0 + 3) < <u32>W) v = f32x4.replace_lane(v, 3, load<f32>(p + 12));
  return v;
}

// V_ξ = (Bᵀ d B)_ξ of the tile whose rows are r0 … r3, lane-stored at v + ξ·xi (one column of each ξ's B panel).
@inline function storeTile(r0: v128, r1: v128, r2: v128, r3: v128, v: usize, xi: usize): void {
  const t0 = timesB(f32x4.sub(r0, r2)), t1 = timesB(f32x4.add(r1, r2));
  const t2 = timesB(f32x4.sub(r2, r1)), t3 = timesB(f32x4.sub(r1, r3));
  v128.store32_lane(v, t0, 0); v128.store32_lane(v + xi, t0, 1); v128.store32_lane(v + 2 * xi, t0, 2); v128.store32_lane(v + 3 * xi, t0, 3);
  v += 4 * xi;
  v128.store32_lane(v, t1, 0); v128.store32_lane(v + xi, t1, 1); v128.store32_lane(v + 2 * xi, t1, 2); v128.store32_lane(v + 3 * xi, t1, 3);
  v += 4 * xi;
  v128.store32_lane(v, t2, 0); v128.store32_lane(v + xi, t2, 1); v128.store32_lane(v + 2 * xi, t2, 2); v128.store32_lane(v + 3 * xi, t2, 3);
  v += 4 * xi;
  v128.store32_lane(v, t3, 0); v128.store32_lane(v + xi, t3, 1); v128.store32_lane(v + 2 * xi, t3, 2); v128.store32_lane(v + 3 * xi, t3, 3);
}

/** Byte offset from y (or dy) of tile (th, tw)'s first output, (n, 0, 2·th, 2·tw), through the geometry's output strides. */
@inline export function tileOutput(g: usize, n: i32, th: i32, tw: i32): isize {
  return (<isize>n * <isize>field(g, ConvGeom.YS_N) + <isize>(2 * th) * <isize>field(g, ConvGeom.YS_H) + <isize>(2 * tw) * <isize>field(g, ConvGeom.YS_W)) << 2;
}

/** Which of tile (th, tw)'s outputs are past the output's edge: bit 0 its second column, bit 1 its second row. */
@inline export function tileEdge(g: usize, th: i32, tw: i32): i32 {
  return (2 * tw + 1 >= field(g, ConvGeom.OW) ? 1 : 0) | (2 * th + 1 >= field(g, ConvGeom.OH) ? 2 : 0);
}

/**
 * Transform input tile (th, tw) of image n for every channel into V: channel c's 16 values go to
 * v + (c / 8)·panel + (c % 8)·lane + ξ·xi (the forward's B panels hold channels as rows, lane = 32;
 * the filter gradient's hold them as columns, lane = 4). The tile's rows start at input row
 * 2·th − PAD_H and column 2·tw − PAD_W, possibly in the padding: only in-image elements are loaded.
 */
export function transformTile(g: usize, x: usize, n: i32, th: i32, tw: i32, v: usize, panel: usize, lane: usize, xi: usize): void {
  const C = field(g, ConvGeom.C), H = field(g, ConvGeom.H), W = field(g, ConvGeom.W);
  const ih0 = 2 * th - field(g, ConvGeom.PAD_H), iw0 = 2 * tw - field(g, ConvGeom.PAD_W);
  const xsC = <usize>field(g, ConvGeom.XS_C) << 2, xsH = <usize>field(g, ConvGeom.XS_H) << 2;
  let x0 = x + <usize>((<isize>n * <isize>field(g, ConvGeom.XS_N) + <isize>ih0 * <isize>field(g, ConvGeom.XS_H) + <isize>iw0) << 2);
  const zero = f32x4.splat(0);
  if (ih0 >= 0 && ih0 + 4 <= H && iw0 >= 0 && iw0 + 4 <= W) {
    for (let c = 0; c < C; c++, x0 += xsC) {
      const vc = v + <usize>(c >> 3) * panel + <usize>(c & 7) * lane;
      storeTile(v128.load(x0), v128.load(x0 + xsH), v128.load(x0 + 2 * xsH), v128.load(x0 + 3 * xsH), vc, xi);
    }
    return;
  }
  const inside = iw0 >= 0 && iw0 + 4 <= W;
  for (let c = 0; c < C; c++, x0 += xsC) {
    const vc = v + <usize>(c >> 3) * panel + <usize>(c & 7) * lane;
    let r0 = zero, r1 = zero, r2 = zero, r3 = zero;
    if (<u32>ih0 < <u32>H) r0 = inside ? v128.load(x0) : loadRowChecked(x0, iw0, W);
    if (<u32>(ih0 + 1) < <u32>H) r1 = inside ? v128.load(x0 + xsH) : loadRowChecked(x0 + xsH, iw0, W);
    if (<u32>(ih0 + 2) < <u32>H) r2 = inside ? v128.load(x0 + 2 * xsH) : loadRowChecked(x0 + 2 * xsH, iw0, W);
    if (<u32>(ih0 + 3) < <u32>H) r3 = inside ? v128.load(x0 + 3 * xsH) : loadRowChecked(x0 + 3 * xsH, iw0, W);
    storeTile(r0, r1, r2, r3, vc, xi);
  }
}

// One tile's 2×2 outputs at p (rows `rs`, columns `cs` bytes apart); `edge` bit 0: no second column, bit 1: no second row.
@inline function storeOutputs(p: usize, rs: usize, cs: usize, edge: i32, y00: f32, y01: f32, y10: f32, y11: f32): void {
  store<f32>(p, y00);
  if (!(edge & 1)) store<f32>(p + cs, y01);
  if (!(edge & 2)) {
    store<f32>(p + rs, y10);
    if (!(edge & 1)) store<f32>(p + rs + cs, y11);
  }
}

// Σ (y − y) over the outputs of one tile that storeOutputs stores: 0, or NaN if one is not finite.
@inline function storedCheck(edge: i32, y00: f32, y01: f32, y10: f32, y11: f32): f32 {
  let check = y00 - y00;
  if (!(edge & 1)) check += y01 - y01;
  if (!(edge & 2)) check += y10 - y10;
  if (!(edge & 3)) check += y11 - y11;
  return check;
}

/**
 * Y = Aᵀ M A for tiles tb … tb+lanes−1 of the block and output channel o, vectorised over the tiles
 * (Aᵀ = [1 1 1 0; 0 1 −1 −1]); `m` addresses M_0[o, tb], ξ `xi` bytes apart. Each tile's outputs go to
 * y + its table offset + `yo`. Returns Σ (y − y) over the stored outputs: 0, or NaN if one is not finite.
 */
function outputTiles(m: usize, xi: usize, table: usize, lanes: i32, y: usize, yo: usize, rs: usize, cs: usize): f32 {
  // s_i = M_i0 + M_i1 + M_i2 and d_i = M_i1 − M_i2 − M_i3 along each row i of the tile.
  let a = v128.load(m), b = v128.load(m + xi), c = v128.load(m + 2 * xi), e = v128.load(m + 3 * xi);
  const s0 = f32x4.add(f32x4.add(a, b), c), d0 = f32x4.sub(f32x4.sub(b, c), e);
  m += 4 * xi;
  a = v128.load(m); b = v128.load(m + xi); c = v128.load(m + 2 * xi); e = v128.load(m + 3 * xi);
  const s1 = f32x4.add(f32x4.add(a, b), c), d1 = f32x4.sub(f32x4.sub(b, c), e);
  m += 4 * xi;
  a = v128.load(m); b = v128.load(m + xi); c = v128.load(m + 2 * xi); e = v128.load(m + 3 * xi);
  const s2 = f32x4.add(f32x4.add(a, b), c), d2 = f32x4.sub(f32x4.sub(b, c), e);
  m += 4 * xi;
  a = v128.load(m); b = v128.load(m + xi); c = v128.load(m + 2 * xi); e = v128.load(m + 3 * xi);
  const s3 = f32x4.add(f32x4.add(a, b), c), d3 = f32x4.sub(f32x4.sub(b, c), e);
  const y00 = f32x4.add(f32x4.add(s0, s1), s2), y10 = f32x4.sub(f32x4.sub(s1, s2), s3);
  const y01 = f32x4.add(f32x4.add(d0, d1), d2), y11 = f32x4.sub(f32x4.sub(d1, d2), d3);
  storeOutputs(y + <usize>load<i32>(table) + yo, rs, cs, load<i32>(table, 4),
    f32x4.extract_lane(y00, 0), f32x4.extract_lane(y01, 0), f32x4.extract_lane(y10, 0), f32x4.extract_lane(y11, 0));
  if (lanes > 1) storeOutputs(y + <usize>load<i32>(table, 8) + yo, rs, cs, load<i32>(table, 12),
    f32x4.extract_lane(y00, 1), f32x4.extract_lane(y01, 1), f32x4.extract_lane(y10, 1), f32x4.extract_lane(y11, 1));
  if (lanes > 2) storeOutputs(y + <usize>load<i32>(table, 16) + yo, rs, cs, load<i32>(table, 20),
    f32x4.extract_lane(y00, 2), f32x4.extract_lane(y01, 2), f32x4.extract_lane(y10, 2), f32x4.extract_lane(y11, 2));
  if (lanes > 3) storeOutputs(y + <usize>load<i32>(table, 24) + yo, rs, cs, load<i32>(table, 28),
    f32x4.extract_lane(y00, 3), f32x4.extract_lane(y01, 3), f32x4.extract_lane(y10, 3), f32x4.extract_lane(y11, 3));
  // All four vectors finite (lanes past the last tile hold zeros): the common case, one test.
  const all = f32x4.add(f32x4.add(f32x4.sub(y00, y00), f32x4.sub(y01, y01)), f32x4.add(f32x4.sub(y10, y10), f32x4.sub(y11, y11)));
  if (!v128.any_true(f32x4.ne(all, all))) return 0;
  // Otherwise only the stored outputs count: those past the edge can see in-image values the conv never
  // reads (negative high padding), which must not send it to the direct pass.
  let check = storedCheck(load<i32>(table, 4), f32x4.extract_lane(y00, 0), f32x4.extract_lane(y01, 0), f32x4.extract_lane(y10, 0), f32x4.extract_lane(y11, 0));
  if (lanes > 1) check += storedCheck(load<i32>(table, 12), f32x4.extract_lane(y00, 1), f32x4.extract_lane(y01, 1), f32x4.extract_lane(y10, 1), f32x4.extract_lane(y11, 1));
  if (lanes > 2) check += storedCheck(load<i32>(table, 20), f32x4.extract_lane(y00, 2), f32x4.extract_lane(y01, 2), f32x4.extract_lane(y10, 2), f32x4.extract_lane(y11, 2));
  if (lanes > 3) check += storedCheck(load<i32>(table, 28), f32x4.extract_lane(y00, 3), f32x4.extract_lane(y01, 3), f32x4.extract_lane(y10, 3), f32x4.extract_lane(y11, 3));
  return check;
}

/**
 * y = conv2d(x, w) by F(2×2, 3×3) for a geometry `winogradApplies` accepts. Returns STATUS_OK,
 * STATUS_OUT_OF_MEMORY, or WINOGRAD_NONFINITE when an output is NaN or ±Inf (y then holds Winograd's
 * values, which the caller overwrites by running the direct pass).
 */
export function winogradForward(g: usize, x: usize, w: usize, y: usize): i32 {
  const N = field(g, ConvGeom.N), C = field(g, ConvGeom.C), O = field(g, ConvGeom.O);
  const ysC = <usize>field(g, ConvGeom.YS_C) << 2, ysH = <usize>field(g, ConvGeom.YS_H) << 2, ysW = <usize>field(g, ConvGeom.YS_W) << 2;
  const tH = tileRows(g), tW = tileCols(g), tiles = N * tH * tW;
  if (tiles == 0 || O == 0) return STATUS_OK;
  const tb = blockTiles(C, O, tiles), panels = tb >> 3, op = (O + 3) >> 2;
  // ξ strides: of U (A panels of all filters per ξ), V (one B panel per ξ and 8 tiles), M ([O × tb] per ξ).
  const uXi = <usize>op * <usize>C * 16, vXi = xiStride(<usize>tb * <usize>C * 4), mXi = xiStride(<usize>O * <usize>tb * 4);
  const mark = arena_mark();
  const u = arena_alloc(16 * uXi);
  const v = arena_alloc(16 * vXi);
  const m = arena_alloc(16 * mXi);
  const table = arena_alloc(<usize>tb * 8);
  const tmp = arena_alloc(128);
  if (u == 0 || v == 0 || m == 0 || table == 0 || tmp == 0) {
    arena_reset(mark);
    return STATUS_OUT_OF_MEMORY;
  }
  transformFilters(w, O, C, u);
  let check: f32 = 0;
  let n = 0, th = 0, tw = 0;
  for (let t0 = 0; t0 < tiles; t0 += tb) {
    const nt = min(tb, tiles - t0);
    // The last block's missing tiles are zero columns of V: the micro-tiles past the last tile then
    // hold zeros, not stale values that could be NaN and send the conv to the direct fallback.
    if (nt < tb) memory.fill(v, 0, 16 * vXi);
    for (let t = 0; t < nt; t++) {
      transformTile(g, x, n, th, tw, v + <usize>((t >> 3) * C * 32 + (t & 7) * 4), 256, 32, vXi);
      store<i32>(table + <usize>t * 8, <i32>tileOutput(g, n, th, tw));
      store<i32>(table + <usize>t * 8, tileEdge(g, th, tw), 4);
      if (++tw == tW) {
        tw = 0;
        if (++th == tH) { th = 0; n++; }
      }
    }
    for (let xi = 0; xi < 16; xi++) {
      for (let p = 0; p < panels; p++) {
        const bp = v + <usize>xi * vXi + <usize>(p * C * 32);
        for (let r = 0; r < op; r++) {
          microF32(C, u + <usize>xi * uXi + <usize>(r * C * 16), bp, m + <usize>xi * mXi + <usize>((r * 4 * tb + p * 8) * 4),
            tb, 1, min(4, O - r * 4), 8, 0, tmp);
        }
      }
    }
    for (let o = 0; o < O; o++) {
      const mo = m + <usize>(o * tb * 4), yo = <usize>o * ysC;
      for (let t = 0; t < nt; t += 4) {
        check += outputTiles(mo + <usize>(t * 4), mXi, table + <usize>t * 8, nt - t, y, yo, ysH, ysW);
      }
    }
  }
  arena_reset(mark);
  return check == 0 ? STATUS_OK : WINOGRAD_NONFINITE;
}
