/**
 * 2-d max and average pooling over contiguous [B, H, W] planes (B = batch·channels, i.e. NCHW), with
 * strides and padding that never contributes: max ignores it, average divides by the full window
 * size KH·KW (padding counts as zeros, as sum-pooling divided by the window size does).
 *
 * Max pooling selects, in each window, the first maximum in row-major window order, except that the
 * first NaN wins and stays (as the reference). Max pooling runs the rule on SIMD lanes, one window per
 * lane, for the windows that have no tap in padding, with compares and bit selects only (a max
 * instruction's NaN and ±0 results are not the rule's): 2×2 windows at stride 2 (the common CNN
 * pooling) by pairs of pairs (the rule is associative), writing dx directly since those windows are
 * disjoint; any other geometry tap by tap. The windows left (at padded borders, or in rows too short
 * for a vector) run the scalar rule branch-free: random data makes branches unpredictable, which
 * costs more than the loads. Average pooling is scalar.
 */
import { PoolGeom, field } from "./geometry";

/** The in-bounds part of one window: rows kh in [khLo, khHi), columns kw in [kwLo, kwHi), from input (ih0, iw0). */
class Win {
  @inline static lo(origin: i32): i32 {
    return origin < 0 ? -origin : 0;
  }

  @inline static hi(origin: i32, k: i32, n: i32): i32 {
    return min(k, n - origin);
  }

  /**
   * Flat index (within the plane at `x`) of the element max pooling selects: the first maximum in
   * row-major window order, except that the first NaN wins and stays (as the reference); −1 when
   * the window holds padding only.
   */
  @inline static selected<T>(x: usize, W: i32, ih0: i32, khLo: i32, khHi: i32, iw0: i32, kwLo: i32, kwHi: i32): i32 {
    let best = -1;
    let bv: T = 0;
    for (let kh = khLo; kh < khHi; kh++) {
      const row = (ih0 + kh) * W + iw0;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const v = load<T>(x + (<usize>(row + kw) << alignof<T>()));
        // The rule as selects, not branches: the first tap, or a later one when bv is not NaN and v is NaN or larger.
        const take = <i32>(best < 0) | (<i32>(bv == bv) & <i32>!(v <= bv));
        best = select<i32>(row + kw, best, <bool>take);
        bv = select<T>(v, bv, <bool>take);
      }
    }
    return best;
  }
}

// The kinds of pass, one loop nest: each visits every window with its in-bounds ranges.
const enum Pass { MAX, MAX_BACKWARD, AVG, AVG_BACKWARD }

/** Every window of output row `oh` from column `owLo` to `owHi` of plane `b` (its input at `xb`, its backward output at `ob`), bounds-checked. */
function poolRow<T>(pass: Pass, g: usize, xb: usize, ob: usize, dy: usize, out: usize, b: i32, oh: i32, owLo: i32, owHi: i32): void {
  const H = field(g, PoolGeom.H), W = field(g, PoolGeom.W);
  const OH = field(g, PoolGeom.OH), OW = field(g, PoolGeom.OW), KH = field(g, PoolGeom.KH), KW = field(g, PoolGeom.KW);
  const sw = field(g, PoolGeom.STRIDE_W), pw = field(g, PoolGeom.PAD_W);
  const inv: T = <T>1 / <T>(KH * KW);
  const ih0 = oh * field(g, PoolGeom.STRIDE_H) - field(g, PoolGeom.PAD_H);
  const khLo = Win.lo(ih0), khHi = Win.hi(ih0, KH, H);
  // Flat window index: position in y (forward) or dy (backward).
  let w = (b * OH + oh) * OW + owLo;
  for (let ow = owLo; ow < owHi; ow++, w++) {
    const iw0 = ow * sw - pw;
    const kwLo = Win.lo(iw0), kwHi = Win.hi(iw0, KW, W);
    const at = <usize>w << alignof<T>();
    if (pass == Pass.MAX || pass == Pass.MAX_BACKWARD) {
      const s = Win.selected<T>(xb, W, ih0, khLo, khHi, iw0, kwLo, kwHi);
      if (pass == Pass.MAX) {
        store<T>(out + at, s < 0 ? <T>-Infinity : load<T>(xb + (<usize>s << alignof<T>())));
      } else if (s >= 0) {
        const q = ob + (<usize>s << alignof<T>());
        store<T>(q, load<T>(q) + load<T>(dy + at));
      }
    } else if (pass == Pass.AVG) {
      let sum: T = 0;
      for (let kh = khLo; kh < khHi; kh++) {
        const row = xb + (<usize>((ih0 + kh) * W + iw0) << alignof<T>());
        for (let kw = kwLo; kw < kwHi; kw++) sum += load<T>(row + (<usize>kw << alignof<T>()));
      }
      store<T>(out + at, sum * inv);
    } else {
      const v = load<T>(dy + at) * inv;
      for (let kh = khLo; kh < khHi; kh++) {
        const row = ob + (<usize>((ih0 + kh) * W + iw0) << alignof<T>());
        for (let kw = kwLo; kw < kwHi; kw++) {
          const q = row + (<usize>kw << alignof<T>());
          store<T>(q, load<T>(q) + v);
        }
      }
    }
  }
}

/** Any pass, any geometry, scalar: every window through `poolRow`; the backward passes accumulate into planes zeroed one at a time (while in cache). */
function pool<T>(pass: Pass, g: usize, x: usize, dy: usize, out: usize): void {
  const B = field(g, PoolGeom.B), OH = field(g, PoolGeom.OH), OW = field(g, PoolGeom.OW);
  const plane = <usize>field(g, PoolGeom.H) * <usize>field(g, PoolGeom.W) << alignof<T>();
  const backward = pass == Pass.MAX_BACKWARD || pass == Pass.AVG_BACKWARD;
  for (let b = 0; b < B; b++) {
    const xb = x + <usize>b * plane, ob = out + <usize>b * plane;
    if (backward) memory.fill(ob, 0, plane);
    for (let oh = 0; oh < OH; oh++) poolRow<T>(pass, g, xb, ob, dy, out, b, oh, 0, OW);
  }
}

// ---- 2×2 windows at stride 2: SIMD, one window per lane ----

/** Windows per SIMD step: lanes of T in a v128. */
@inline function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Lanes 0, 2, 4, … of the concatenation a:b: the left column of each of a row's windows. */
@inline function evens<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return v128.shuffle<f32>(a, b, 0, 2, 4, 6);
  return v128.shuffle<f64>(a, b, 0, 2);
}

/** Lanes 1, 3, 5, … of the concatenation a:b: the right column of each of a row's windows. */
@inline function odds<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  return v128.shuffle<f64>(a, b, 1, 3);
}

/** The first half of the interleaving a0 b0 a1 b1 …: undoes `evens`/`odds`. */
@inline function zipLo<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return v128.shuffle<f32>(a, b, 0, 4, 1, 5);
  return v128.shuffle<f64>(a, b, 0, 2);
}

/** The second half of the interleaving a0 b0 a1 b1 …. */
@inline function zipHi<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  return v128.shuffle<f64>(a, b, 1, 3);
}

/** Lanes where the later candidate `v` replaces the current `acc`: acc is not NaN and v is NaN or larger (`Win.selected`'s rule). */
@inline function takes<T>(acc: v128, v: v128): v128 {
  return v128.andnot(v128.eq<T>(acc, acc), v128.le<T>(v, acc));
}

/**
 * One SIMD step of 2×2 windows, lanes<T>() of them side by side: `x0`/`x1` are their top/bottom input
 * rows (2·lanes elements each). Forward: their selected values to `y`. Backward: dx rows `d0`/`d1`
 * over the same columns get each window's dy (from `dy`) at its selected element and +0 elsewhere,
 * written once (the windows are disjoint), so dx needs no zeroing and no read-modify-write.
 */
@inline function step2x2<T>(backward: bool, x0: usize, x1: usize, y: usize, dy: usize, d0: usize, d1: usize): void {
  const a = v128.load(x0), b = v128.load(x0, 16), c = v128.load(x1), d = v128.load(x1, 16);
  const tl = evens<T>(a, b), tr = odds<T>(a, b), bl = evens<T>(c, d), br = odds<T>(c, d);
  // Each row's pair first, then the rows: the order the rule is applied in is row-major, as required.
  const right0 = takes<T>(tl, tr), right1 = takes<T>(bl, br);
  const top = v128.bitselect(tr, tl, right0), bottom = v128.bitselect(br, bl, right1);
  const lower = takes<T>(top, bottom);
  if (!backward) {
    v128.store(y, v128.bitselect(bottom, top, lower));
    return;
  }
  // 0 + dy, as accumulating into zeroed dx gives: −0 becomes +0.
  const g = v128.add<T>(v128.load(dy), v128.splat<T>(0));
  const gTop = v128.andnot(g, lower), gBottom = v128.and(g, lower);
  const gtl = v128.andnot(gTop, right0), gtr = v128.and(gTop, right0);
  const gbl = v128.andnot(gBottom, right1), gbr = v128.and(gBottom, right1);
  v128.store(d0, zipLo<T>(gtl, gtr));
  v128.store(d0, zipHi<T>(gtl, gtr), 16);
  v128.store(d1, zipLo<T>(gbl, gbr));
  v128.store(d1, zipHi<T>(gbl, gbr), 16);
}

/**
 * Windows [0, n) of one output row, all in bounds, lanes<T>() at a time; the last step is shifted back
 * to end at n (recomputing a few windows is harmless: each writes what it wrote before). `x0` is the
 * top-left input element of window 0, `y` its output (forward) or dy (backward), `d0` its dx.
 */
@inline function row2x2<T>(backward: bool, x0: usize, W: i32, y: usize, d0: usize, n: i32): void {
  const L = lanes<T>();
  const rowBytes = <usize>W << alignof<T>();
  for (let i = 0; ; ) {
    const xi = x0 + (<usize>(2 * i) << alignof<T>()), di = d0 + (<usize>(2 * i) << alignof<T>());
    const yi = y + (<usize>i << alignof<T>());
    step2x2<T>(backward, xi, xi + rowBytes, yi, yi, di, di + rowBytes);
    if (i == n - L) break;
    i = min(i + L, n - L);
  }
}

// ---- any other window and stride: SIMD over the windows of a row, one per lane ----

/** Lanes<T>() elements at p, p + step, p + 2·step, … (step in bytes): one tap of consecutive windows. */
@inline function gather<T>(p: usize, step: usize): v128 {
  if (step == sizeof<T>()) return v128.load(p);
  if (sizeof<T>() == 4) {
    let v = v128.load32_zero(p);
    v = f32x4.replace_lane(v, 1, load<f32>(p + step));
    v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * step));
    return f32x4.replace_lane(v, 3, load<f32>(p + 3 * step));
  }
  return f64x2.replace_lane(v128.load64_zero(p), 1, load<f64>(p + step));
}

/** `offset` in every lane, as integers as wide as T (so that T's compare masks select them). */
@inline function splatIndex<T>(offset: i32): v128 {
  if (sizeof<T>() == 4) return i32x4.splat(offset);
  return i64x2.splat(<i64>offset);
}

/** dx[base + index lane j] += dy[j] for each lane j in order (window order, so overlapping sums round as the scalar pass's). */
@inline function scatterLanes<T>(ob: usize, base: i32, colStep: i32, index: v128, dy: usize): void {
  const sz = sizeof<T>();
  if (sz == 4) {
    addAt<T>(ob, base + i32x4.extract_lane(index, 0), load<T>(dy));
    addAt<T>(ob, base + colStep + i32x4.extract_lane(index, 1), load<T>(dy, sz));
    addAt<T>(ob, base + 2 * colStep + i32x4.extract_lane(index, 2), load<T>(dy, 2 * sz));
    addAt<T>(ob, base + 3 * colStep + i32x4.extract_lane(index, 3), load<T>(dy, 3 * sz));
  } else {
    addAt<T>(ob, base + <i32>i64x2.extract_lane(index, 0), load<T>(dy));
    addAt<T>(ob, base + colStep + <i32>i64x2.extract_lane(index, 1), load<T>(dy, sz));
  }
}

/** dx[i] += v, dx at `ob`. */
@inline function addAt<T>(ob: usize, i: i32, v: T): void {
  const q = ob + (<usize>i << alignof<T>());
  store<T>(q, load<T>(q) + v);
}

/**
 * One SIMD step of lanes<T>() consecutive windows, all in bounds, of any size and stride: `x0` is the
 * top-left input element of the first (at flat plane index `base`), consecutive windows `colStep`
 * elements apart. The rule runs over the taps in row-major order on all lanes at once. Forward: the
 * selected values to `y`. Backward: dy (at `dy`) added at the selected elements of dx (plane at `ob`).
 */
@inline function stepAny<T>(backward: bool, x0: usize, W: i32, KH: i32, KW: i32, colStep: i32, y: usize, dy: usize, ob: usize, base: i32): void {
  const step = <usize>colStep << alignof<T>();
  let acc = gather<T>(x0, step);
  let index = splatIndex<T>(0);
  for (let kh = 0; kh < KH; kh++) {
    const row = x0 + (<usize>(kh * W) << alignof<T>());
    for (let kw = select(1, 0, kh == 0); kw < KW; kw++) {
      const v = gather<T>(row + (<usize>kw << alignof<T>()), step);
      const take = takes<T>(acc, v);
      acc = v128.bitselect(v, acc, take);
      if (backward) index = v128.bitselect(splatIndex<T>(kh * W + kw), index, take);
    }
  }
  if (backward) scatterLanes<T>(ob, base, colStep, index, dy);
  else v128.store(y, acc);
}

/**
 * Windows [0, n) of one output row, all in bounds and n ≥ lanes<T>(), lanes<T>() at a time (as
 * `stepAny`: window 0 at `x0`, flat plane index `base`); returns how many it did. Forward, the last
 * step is shifted back to end at n, so all of them; backward adds, so it must not repeat a window and
 * leaves the last n mod lanes to the caller.
 */
@inline function rowAny<T>(backward: bool, x0: usize, W: i32, KH: i32, KW: i32, colStep: i32, y: usize, ob: usize, base: i32, n: i32): i32 {
  const L = lanes<T>();
  if (backward) {
    const full = n - n % L;
    for (let i = 0; i < full; i += L) {
      stepAny<T>(true, x0 + (<usize>(i * colStep) << alignof<T>()), W, KH, KW, colStep, 0, y + (<usize>i << alignof<T>()), ob, base + i * colStep);
    }
    return full;
  }
  for (let i = 0; ; ) {
    stepAny<T>(false, x0 + (<usize>(i * colStep) << alignof<T>()), W, KH, KW, colStep, y + (<usize>i << alignof<T>()), 0, 0, 0);
    if (i == n - L) break;
    i = min(i + L, n - L);
  }
  return n;
}

/** The first output index whose window starts at or after input 0: ⌈pad / stride⌉, at most `n`. */
@inline function firstInside(pad: i32, stride: i32, n: i32): i32 {
  return min(n, (pad + stride - 1) / stride);
}

/** One past the last output index whose window ends within `size` inputs, at least `lo` and at most `n`. */
@inline function endInside(size: i32, pad: i32, k: i32, stride: i32, lo: i32, n: i32): i32 {
  const room = size + pad - k;
  return max(lo, min(n, room >= 0 ? room / stride + 1 : 0));
}

/**
 * Max pooling, forward or backward, any geometry: in each output row, the windows with no tap in
 * padding run on SIMD lanes (2×2 at stride 2 through `row2x2`, anything else through `rowAny`) when
 * there are at least lanes<T>() of them; the rest through `poolRow`. Backward, a plane is zeroed first
 * unless 2×2 steps write all of it (no dropped odd last row or column, no window reaching into the
 * padding, rows long enough): everything else accumulates.
 */
function maxPool<T>(backward: bool, g: usize, x: usize, dy: usize, out: usize): void {
  const B = field(g, PoolGeom.B), H = field(g, PoolGeom.H), W = field(g, PoolGeom.W);
  const OH = field(g, PoolGeom.OH), OW = field(g, PoolGeom.OW), KH = field(g, PoolGeom.KH), KW = field(g, PoolGeom.KW);
  const sh = field(g, PoolGeom.STRIDE_H), sw = field(g, PoolGeom.STRIDE_W);
  const ph = field(g, PoolGeom.PAD_H), pw = field(g, PoolGeom.PAD_W);
  const oh0 = firstInside(ph, sh, OH), oh1 = endInside(H, ph, KH, sh, oh0, OH);
  const ow0 = firstInside(pw, sw, OW), ow1 = endInside(W, pw, KW, sw, ow0, OW);
  const simd = ow1 - ow0 >= lanes<T>();
  const pair = KH == 2 && KW == 2 && sh == 2 && sw == 2;
  const covered = pair && simd && 2 * oh0 - ph == 0 && 2 * oh1 - ph == H && 2 * ow0 - pw == 0 && 2 * ow1 - pw == W;
  const pass = backward ? Pass.MAX_BACKWARD : Pass.MAX;
  const plane = <usize>H * <usize>W << alignof<T>();
  for (let b = 0; b < B; b++) {
    const xb = x + <usize>b * plane, ob = out + <usize>b * plane;
    if (backward && !covered) memory.fill(ob, 0, plane);
    for (let oh = 0; oh < OH; oh++) {
      if (oh < oh0 || oh >= oh1 || !simd) {
        poolRow<T>(pass, g, xb, ob, dy, out, b, oh, 0, OW);
        continue;
      }
      poolRow<T>(pass, g, xb, ob, dy, out, b, oh, 0, ow0);
      const first = (oh * sh - ph) * W + ow0 * sw - pw;
      const at = (backward ? dy : out) + (<usize>((b * OH + oh) * OW + ow0) << alignof<T>());
      const x0 = xb + (<usize>first << alignof<T>());
      let done = ow1 - ow0;
      if (pair) row2x2<T>(backward, x0, W, at, ob + (<usize>first << alignof<T>()), done);
      else done = rowAny<T>(backward, x0, W, KH, KW, sw, at, ob, first, done);
      poolRow<T>(pass, g, xb, ob, dy, out, b, oh, ow0 + done, OW);
    }
  }
}

/** y = max over each window of x (f32; −∞ for a window of padding only; NaN propagates). */
export function maxpool2d_f32(geom: usize, x: usize, y: usize): void {
  maxPool<f32>(false, geom, x, 0, y);
}

/** dx = the max-pooling adjoint: each dy goes to its window's selected (first maximal) element of x. */
export function maxpool2d_backward_f32(geom: usize, x: usize, dy: usize, dx: usize): void {
  maxPool<f32>(true, geom, x, dy, dx);
}

/** y = mean over each window of x (f32), dividing by KH·KW. */
export function avgpool2d_f32(geom: usize, x: usize, y: usize): void {
  pool<f32>(Pass.AVG, geom, x, 0, y);
}

/** dx = the average-pooling adjoint: dy/(KH·KW) added to every in-bounds element of each window. */
export function avgpool2d_backward_f32(geom: usize, dy: usize, dx: usize): void {
  pool<f32>(Pass.AVG_BACKWARD, geom, 0, dy, dx);
}

/** As `maxpool2d_f32` for f64. */
export function maxpool2d_f64(geom: usize, x: usize, y: usize): void {
  maxPool<f64>(false, geom, x, 0, y);
}

/** As `maxpool2d_backward_f32` for f64. */
export function maxpool2d_backward_f64(geom: usize, x: usize, dy: usize, dx: usize): void {
  maxPool<f64>(true, geom, x, dy, dx);
}

/** As `avgpool2d_f32` for f64. */
export function avgpool2d_f64(geom: usize, x: usize, y: usize): void {
  pool<f64>(Pass.AVG, geom, x, 0, y);
}

/** As `avgpool2d_backward_f32` for f64. */
export function avgpool2d_backward_f64(geom: usize, dy: usize, dx: usize): void {
  pool<f64>(Pass.AVG_BACKWARD, geom, 0, dy, dx);
}
