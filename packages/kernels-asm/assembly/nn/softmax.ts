/**
 * Softmax and log-softmax over the rows of a contiguous f32 [rows, n] array, in three passes per row
 * (max, exp-and-sum, scale) so nothing overflows: softmax(x) = e^(x − max) / Σ e^(x − max) and
 * log_softmax(x) = x − max − log Σ e^(x − max). The sum is accumulated in f64.
 */
import { Exp } from "../math/exp";
import { Log } from "../math/log";

const TAIL: usize = memory.data(16, 16);

// Largest element of the row, NaN if any is NaN (then the whole row is NaN, as in the reference).
function rowMax(x: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) m = f32x4.max(m, v128.load(x + (<usize>j << 2)));
  let s = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < n; j++) s = max(s, load<f32>(x + (<usize>j << 2)));
  return s;
}

// The last n % 4 elements as a vector padded with −∞ (whose exp is exactly 0), and how many there are.
function tailVector(x: usize, n: i32): v128 {
  const body = n & ~3;
  v128.store(TAIL, f32x4.splat(-Infinity));
  memory.copy(TAIL, x + (<usize>body << 2), <usize>(n - body) << 2);
  return v128.load(TAIL);
}

// Σ e^(x − m) over the row; when `y` is non-zero also stores each e^(x − m) there.
function expSum(x: usize, n: i32, m: f32, y: usize): f64 {
  const mv = f32x4.splat(m);
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const e = Exp.exp(f32x4.sub(v128.load(x + (<usize>j << 2)), mv));
    if (y != 0) v128.store(y + (<usize>j << 2), e);
    acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(e), f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1))));
  }
  if (j < n) {
    const e = Exp.exp(f32x4.sub(tailVector(x, n), mv));
    if (y != 0) {
      v128.store(TAIL, e);
      memory.copy(y + (<usize>j << 2), TAIL, <usize>(n - j) << 2);
    }
    acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(e), f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1))));
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// Softmax: y[j] = y[j] / s. Log-softmax (`logSum` true): y[j] = (x[j] − m) − s, subtracting the max
// first so the larger term cancels exactly and only log Σ's rounding reaches small results.
function finishRow(x: usize, y: usize, n: i32, m: f32, s: f32, logSum: bool): void {
  const mv = f32x4.splat(m);
  const sv = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const at = <usize>j << 2;
    v128.store(y + at, logSum ? f32x4.sub(f32x4.sub(v128.load(x + at), mv), sv) : f32x4.div(v128.load(y + at), sv));
  }
  for (; j < n; j++) {
    const at = <usize>j << 2;
    store<f32>(y + at, logSum ? (load<f32>(x + at) - m) - s : load<f32>(y + at) / s);
  }
}

/** y = softmax(x) along the last axis of contiguous f32 [rows, n] (y may be x). */
export function softmax_f32(x: usize, y: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * <usize>n << 2;
    const m = rowMax(x + off, n);
    const s = expSum(x + off, n, m, y + off);
    finishRow(y + off, y + off, n, m, <f32>s, false);
  }
}

/** y = log_softmax(x) along the last axis of contiguous f32 [rows, n] (y may be x). */
export function log_softmax_f32(x: usize, y: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * <usize>n << 2;
    const m = rowMax(x + off, n);
    const s = expSum(x + off, n, m, 0);
    // log Σ is taken in f32 by the SIMD log, on the f64 sum rounded once.
    const ls = f32x4.extract_lane(Log.log(f32x4.splat(<f32>s)), 0);
    finishRow(x + off, y + off, n, m, ls, true);
  }
}
