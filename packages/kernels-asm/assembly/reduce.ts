/**
 * Reductions along the middle axis of an [outer, n, inner] view of a contiguous array (any single
 * axis of any shape is such a view). Sums and products accumulate in f64 lanes, except a contiguous
 * f32 sum, which adds runs of 8 elements per lane in f32 before widening (`Acc.sumF32`): its stored
 * result is within 8·2^-24·Σ|x| for any n, and it runs 3× faster than widening every element.
 */
import { arena_alloc, arena_mark, arena_reset } from "./arena";
import { ReduceOp } from "./elementwise/ops";
import { STATUS_OUT_OF_MEMORY, STATUS_UNSUPPORTED } from "./status";

/** Inner-axis columns accumulated per pass: 16 KiB of f64 accumulators. */
const CHUNK: i32 = 2048;

/** Reduction bodies, inlined where `op` is a constant. */
class Acc {
  @inline static init(op: i32): f64 {
    switch (op) {
      case ReduceOp.SUM: return 0;
      case ReduceOp.PROD: return 1;
      case ReduceOp.MAX: return -Infinity;
      default: return Infinity;
    }
  }

  @inline static step(op: i32, acc: v128, v: v128): v128 {
    switch (op) {
      case ReduceOp.SUM: return f64x2.add(acc, v);
      case ReduceOp.PROD: return f64x2.mul(acc, v);
      // NaN-propagating, as the core's reduce_max/reduce_min.
      case ReduceOp.MAX: return f64x2.max(acc, v);
      default: return f64x2.min(acc, v);
    }
  }

  // Two elements from x + i as f64x2 (the second lane zero-filled when only one is wanted, by the caller).
  @inline static pair<T>(p: usize): v128 {
    return sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v128.load64_zero(p)) : v128.load(p);
  }

  @inline static one<T>(p: usize): f64 {
    return sizeof<T>() == 4 ? <f64>load<f32>(p) : load<f64>(p);
  }

  @inline static row<T>(op: i32, x: usize, n: i32): f64 {
    const sz = <usize>sizeof<T>();
    const init = f64x2.splat(Acc.init(op));
    let a0 = init, a1 = init, a2 = init, a3 = init;
    let j = 0;
    // Four independent accumulators of two lanes: eight elements in flight per step.
    for (; j + 8 <= n; j += 8) {
      const p = x + <usize>j * sz;
      a0 = Acc.step(op, a0, Acc.pair<T>(p));
      a1 = Acc.step(op, a1, Acc.pair<T>(p + 2 * sz));
      a2 = Acc.step(op, a2, Acc.pair<T>(p + 4 * sz));
      a3 = Acc.step(op, a3, Acc.pair<T>(p + 6 * sz));
    }
    for (; j < n; j++) a0 = Acc.step(op, a0, f64x2.replace_lane(init, 0, Acc.one<T>(x + <usize>j * sz)));
    const s = Acc.step(op, Acc.step(op, a0, a1), Acc.step(op, a2, a3));
    return f64x2.extract_lane(Acc.step(op, s, v128.shuffle<i64>(s, s, 1, 0)), 0);
  }

  /**
   * Max (isMax) or min of n f32 at x, in f32 lanes (exact without widening, unlike a sum: four elements
   * per vector step instead of two), with IEEE maximum/minimum's result — NaN if any element is NaN,
   * and −0 below +0 — at the cost of pmax/pmin, which compile to a single maxps/minps where
   * f32x4.max/min take about eight instructions (measured 2× slower on 10^7 elements): pmax keeps its
   * first operand on NaN and on ±0 ties, so NaNs and the zero that decides a tie are tracked in masks
   * beside the running extremes and applied once at the end.
   */
  @inline static extremeF32(isMax: bool, x: usize, n: i32): f64 {
    const init = f32x4.splat(isMax ? -Infinity : Infinity);
    // The zero that wins a tie: +0 (bits 0) for a max, −0 (sign bit only) for a min.
    const tie = i32x4.splat(isMax ? 0 : 0x80000000);
    let a0 = init, a1 = init, nan = i32x4.splat(0), zero = i32x4.splat(0);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const p = x + (<usize>j << 2);
      const v0 = v128.load(p), v1 = v128.load(p, 16);
      a0 = isMax ? f32x4.pmax(a0, v0) : f32x4.pmin(a0, v0);
      a1 = isMax ? f32x4.pmax(a1, v1) : f32x4.pmin(a1, v1);
      nan = v128.or(nan, v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)));
      zero = v128.or(zero, v128.or(i32x4.eq(v0, tie), i32x4.eq(v1, tie)));
    }
    for (; j < n; j++) {
      const v = f32x4.replace_lane(init, 0, load<f32>(x + (<usize>j << 2)));
      a0 = isMax ? f32x4.pmax(a0, v) : f32x4.pmin(a0, v);
      nan = v128.or(nan, f32x4.ne(v, v));
      zero = v128.or(zero, i32x4.eq(v, tie));
    }
    if (v128.any_true(nan)) return NaN;
    let s = isMax ? f32x4.pmax(a0, a1) : f32x4.pmin(a0, a1);
    const h = v128.shuffle<i64>(s, s, 1, 0);
    s = isMax ? f32x4.pmax(s, h) : f32x4.pmin(s, h);
    const q = i32x4.shuffle(s, s, 1, 0, 3, 2);
    s = isMax ? f32x4.pmax(s, q) : f32x4.pmin(s, q);
    const r = f32x4.extract_lane(s, 0);
    if (r == 0) return v128.any_true(zero) ? (isMax ? 0.0 : -0.0) : (isMax ? -0.0 : 0.0);
    return <f64>r;
  }

  /**
   * Σ of n f32 at x. Widening every element to f64 costs one conversion per two elements, which bounds
   * the loop (10^7 from cache: 1.52 ms, against 0.50 in f32 lanes). So 16 running f32 partial sums (four
   * vectors) take 8 elements each and are then flushed into f64: each f32 rounding covers at most 8
   * terms, so the f64 result is within 7·2^-24·Σ|x| (to first order) however long the row, and the
   * stored f32 within 8·2^-24·Σ|x| after its final rounding (NumPy's pairwise f32 sum grows with log n;
   * a plain f32 loop with n). A row whose f32 partials overflow is summed again widened. Blocks
   * start at the row's first element, so a row folded in chunks of a multiple of 128 elements has the
   * same f32 partial sums as the whole row (the f64 additions of the partials still group differently).
   */
  @inline static sumF32(x: usize, n: i32): f64 {
    let s0 = f64x2.splat(0), s1 = s0;
    let j = 0;
    for (; j + 128 <= n; j += 128) {
      const p = x + (<usize>j << 2);
      let a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
      a0 = f32x4.add(a0, v128.load(p, 64)); a1 = f32x4.add(a1, v128.load(p, 80)); a2 = f32x4.add(a2, v128.load(p, 96)); a3 = f32x4.add(a3, v128.load(p, 112));
      a0 = f32x4.add(a0, v128.load(p, 128)); a1 = f32x4.add(a1, v128.load(p, 144)); a2 = f32x4.add(a2, v128.load(p, 160)); a3 = f32x4.add(a3, v128.load(p, 176));
      a0 = f32x4.add(a0, v128.load(p, 192)); a1 = f32x4.add(a1, v128.load(p, 208)); a2 = f32x4.add(a2, v128.load(p, 224)); a3 = f32x4.add(a3, v128.load(p, 240));
      a0 = f32x4.add(a0, v128.load(p, 256)); a1 = f32x4.add(a1, v128.load(p, 272)); a2 = f32x4.add(a2, v128.load(p, 288)); a3 = f32x4.add(a3, v128.load(p, 304));
      a0 = f32x4.add(a0, v128.load(p, 320)); a1 = f32x4.add(a1, v128.load(p, 336)); a2 = f32x4.add(a2, v128.load(p, 352)); a3 = f32x4.add(a3, v128.load(p, 368));
      a0 = f32x4.add(a0, v128.load(p, 384)); a1 = f32x4.add(a1, v128.load(p, 400)); a2 = f32x4.add(a2, v128.load(p, 416)); a3 = f32x4.add(a3, v128.load(p, 432));
      a0 = f32x4.add(a0, v128.load(p, 448)); a1 = f32x4.add(a1, v128.load(p, 464)); a2 = f32x4.add(a2, v128.load(p, 480)); a3 = f32x4.add(a3, v128.load(p, 496));
      s0 = f64x2.add(s0, f64x2.add(Acc.widenLow(a0), Acc.widenLow(a1)));
      s1 = f64x2.add(s1, f64x2.add(Acc.widenHigh(a0), Acc.widenHigh(a1)));
      s0 = f64x2.add(s0, f64x2.add(Acc.widenLow(a2), Acc.widenLow(a3)));
      s1 = f64x2.add(s1, f64x2.add(Acc.widenHigh(a2), Acc.widenHigh(a3)));
    }
    const s = f64x2.add(s0, s1);
    // The last n mod 128 elements are widened one by one, as every element used to be.
    const r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + Acc.row<f32>(ReduceOp.SUM, x + (<usize>j << 2), n - j);
    // A partial sum of 8 can overflow where the exact sum is finite (2e38 + 2e38 − 2e38 − 2e38), and an
    // infinite partial makes the whole result non-finite. f32 data cannot overflow an f64 sum, so a
    // non-finite result is either right (a NaN or ±Inf input) or such an overflow: either way the row
    // summed widened gives the exact answer, at the cost of a second pass only over such rows.
    return isFinite(r) ? r : Acc.row<f32>(ReduceOp.SUM, x, n);
  }

  @inline static widenLow(v: v128): v128 {
    return f64x2.promote_low_f32x4(v);
  }

  @inline static widenHigh(v: v128): v128 {
    return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  }

  // A row of f32 or f64 reduced to one f64: f32 sums by `sumF32`, f32 max/min in f32 lanes, the rest widened.
  @inline static reduceRow<T>(op: i32, x: usize, n: i32): f64 {
    if (sizeof<T>() == 4 && op == ReduceOp.SUM) return Acc.sumF32(x, n);
    if (sizeof<T>() == 4 && op == ReduceOp.MAX) return Acc.extremeF32(true, x, n);
    if (sizeof<T>() == 4 && op == ReduceOp.MIN) return Acc.extremeF32(false, x, n);
    return Acc.row<T>(op, x, n);
  }

  @inline static columns<T>(op: i32, x: usize, n: i32, inner: i32, y: usize, acc: usize): void {
    const sz = <usize>sizeof<T>();
    for (let c0 = 0; c0 < inner; c0 += CHUNK) {
      const w = min(CHUNK, inner - c0);
      const init = f64x2.splat(Acc.init(op));
      for (let i = 0; i < w; i += 2) v128.store(acc + (<usize>i << 3), init);
      for (let j = 0; j < n; j++) {
        const row = x + (<usize>j * <usize>inner + <usize>c0) * sz;
        let i = 0;
        for (; i + 2 <= w; i += 2) {
          const at = acc + (<usize>i << 3);
          v128.store(at, Acc.step(op, v128.load(at), Acc.pair<T>(row + <usize>i * sz)));
        }
        if (i < w) {
          const at = acc + (<usize>i << 3);
          v128.store(at, Acc.step(op, v128.load(at), f64x2.replace_lane(init, 0, Acc.one<T>(row + <usize>i * sz))));
        }
      }
      for (let i = 0; i < w; i++) {
        const v = load<f64>(acc + (<usize>i << 3));
        if (sizeof<T>() == 4) store<f32>(y + (<usize>(c0 + i) << 2), <f32>v);
        else store<f64>(y + (<usize>(c0 + i) << 3), v);
      }
    }
  }
}

// The loops for one constant `op`, inlined once per operation under a switch that comes before every
// loop. Switching on `op` inside the row or column loop instead let binaryen's code folding merge the
// inlined copies back into one loop dispatching on `op` at every step (a br_table per vector step:
// measured 2-3x slower).
@inline function reduceWith<T>(op: i32, x: usize, outer: i32, n: i32, inner: i32, y: usize): i32 {
  const sz = <usize>sizeof<T>();
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const v = Acc.reduceRow<T>(op, x + <usize>o * <usize>n * sz, n);
      if (sizeof<T>() == 4) store<f32>(y + (<usize>o << 2), <f32>v);
      else store<f64>(y + (<usize>o << 3), v);
    }
    return 0;
  }
  const mark = arena_mark();
  const acc = arena_alloc(<usize>CHUNK << 3);
  if (acc == 0) return STATUS_OUT_OF_MEMORY;
  for (let o = 0; o < outer; o++) {
    Acc.columns<T>(op, x + <usize>o * <usize>n * <usize>inner * sz, n, inner, y + <usize>o * <usize>inner * sz, acc);
  }
  arena_reset(mark);
  return 0;
}

function reduce<T>(op: i32, x: usize, outer: i32, n: i32, inner: i32, y: usize): i32 {
  switch (op) {
    case ReduceOp.SUM: return reduceWith<T>(ReduceOp.SUM, x, outer, n, inner, y);
    case ReduceOp.PROD: return reduceWith<T>(ReduceOp.PROD, x, outer, n, inner, y);
    case ReduceOp.MAX: return reduceWith<T>(ReduceOp.MAX, x, outer, n, inner, y);
    case ReduceOp.MIN: return reduceWith<T>(ReduceOp.MIN, x, outer, n, inner, y);
    default: return STATUS_UNSUPPORTED;
  }
}

// Fold one chunk into a running f64 accumulator: lets the caller stream a large array through a small
// arena window (copy a chunk, fold it while it is in cache) instead of staging it whole.
@inline function foldWith<T>(op: i32, x: usize, n: i32, acc: usize): void {
  const r = f64x2.splat(Acc.reduceRow<T>(op, x, n));
  store<f64>(acc, f64x2.extract_lane(Acc.step(op, f64x2.splat(load<f64>(acc)), r), 0));
}

function fold<T>(op: i32, x: usize, n: i32, acc: usize): i32 {
  // One inlined copy per op under a switch before the loops, as in `reduce`.
  switch (op) {
    case ReduceOp.SUM: foldWith<T>(ReduceOp.SUM, x, n, acc); return 0;
    case ReduceOp.PROD: foldWith<T>(ReduceOp.PROD, x, n, acc); return 0;
    case ReduceOp.MAX: foldWith<T>(ReduceOp.MAX, x, n, acc); return 0;
    case ReduceOp.MIN: foldWith<T>(ReduceOp.MIN, x, n, acc); return 0;
    default: return STATUS_UNSUPPORTED;
  }
}

// First index of the maximum (minimum); a NaN counts as the extreme, so the first NaN wins.
function argReduce<T>(isMax: bool, x: usize, outer: i32, n: i32, inner: i32, y: usize): void {
  const sz = <usize>sizeof<T>();
  const step = <usize>inner * sz;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = x + (<usize>o * <usize>n * <usize>inner + <usize>i) * sz;
      let best = 0;
      let bv = Acc.one<T>(p);
      if (bv == bv) {
        for (let j = 1; j < n; j++) {
          p += step;
          const v = Acc.one<T>(p);
          if (v != v) {
            best = j;
            break;
          }
          if (isMax ? v > bv : v < bv) {
            best = j;
            bv = v;
          }
        }
      }
      store<i32>(y + (<usize>(o * inner + i) << 2), best);
    }
  }
}

/** y[o, i] = op over j of x[o, j, i] for contiguous f32 x of shape [outer, n, inner]; y is [outer, inner]. */
export function reduce_f32(op: i32, x: usize, outer: i32, n: i32, inner: i32, y: usize): i32 {
  return reduce<f32>(op, x, outer, n, inner, y);
}

/** As `reduce_f32` for f64. */
export function reduce_f64(op: i32, x: usize, outer: i32, n: i32, inner: i32, y: usize): i32 {
  return reduce<f64>(op, x, outer, n, inner, y);
}

/** f64 *acc = op(*acc, op over x[0..n)) for contiguous f32 x: one chunk of a streamed full reduction. */
export function reduce_fold_f32(op: i32, x: usize, n: i32, acc: usize): i32 {
  return fold<f32>(op, x, n, acc);
}

/** As `reduce_fold_f32` for f64. */
export function reduce_fold_f64(op: i32, x: usize, n: i32, acc: usize): i32 {
  return fold<f64>(op, x, n, acc);
}

/** y[o, i] (i32) = first j maximising (isMax ≠ 0) or minimising x[o, j, i] (NaN wins); n must be ≥ 1. */
export function argreduce_f32(isMax: i32, x: usize, outer: i32, n: i32, inner: i32, y: usize): void {
  argReduce<f32>(isMax != 0, x, outer, n, inner, y);
}

/** As `argreduce_f32` for f64. */
export function argreduce_f64(isMax: i32, x: usize, outer: i32, n: i32, inner: i32, y: usize): void {
  argReduce<f64>(isMax != 0, x, outer, n, inner, y);
}
