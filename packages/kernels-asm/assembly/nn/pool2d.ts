/**
 * 2-d max and average pooling over contiguous [B, H, W] planes (B = batch·channels, i.e. NCHW), with
 * strides and padding that never contributes: max ignores it, average divides by the full window
 * size KH·KW (padding counts as zeros, as sum-pooling divided by the window size does).
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
        if (best < 0 || (bv == bv && (v != v || v > bv))) {
          best = row + kw;
          bv = v;
        }
      }
    }
    return best;
  }
}

// The kinds of pass, one loop nest: each visits every window with its in-bounds ranges.
const enum Pass { MAX, MAX_BACKWARD, AVG, AVG_BACKWARD }

function pool<T>(pass: Pass, g: usize, x: usize, dy: usize, out: usize): void {
  const B = field(g, PoolGeom.B), H = field(g, PoolGeom.H), W = field(g, PoolGeom.W);
  const OH = field(g, PoolGeom.OH), OW = field(g, PoolGeom.OW), KH = field(g, PoolGeom.KH), KW = field(g, PoolGeom.KW);
  const sh = field(g, PoolGeom.STRIDE_H), sw = field(g, PoolGeom.STRIDE_W);
  const ph = field(g, PoolGeom.PAD_H), pw = field(g, PoolGeom.PAD_W);
  const plane = <usize>H * <usize>W << alignof<T>();
  const inv: T = <T>1 / <T>(KH * KW);
  // The backward passes accumulate into their output, which starts at zero.
  if (pass == Pass.MAX_BACKWARD || pass == Pass.AVG_BACKWARD) memory.fill(out, 0, <usize>B * plane);
  let w: usize = 0; // flat window index: position in y (forward) or dy (backward)
  for (let b = 0; b < B; b++) {
    const xb = x + <usize>b * plane;
    const ob = out + <usize>b * plane;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - ph;
      const khLo = Win.lo(ih0), khHi = Win.hi(ih0, KH, H);
      for (let ow = 0; ow < OW; ow++, w++) {
        const iw0 = ow * sw - pw;
        const kwLo = Win.lo(iw0), kwHi = Win.hi(iw0, KW, W);
        const at = w << alignof<T>();
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
  }
}

/** y = max over each window of x (f32; −∞ for a window of padding only; NaN propagates). */
export function maxpool2d_f32(geom: usize, x: usize, y: usize): void {
  pool<f32>(Pass.MAX, geom, x, 0, y);
}

/** dx = the max-pooling adjoint: each dy goes to its window's selected (first maximal) element of x. */
export function maxpool2d_backward_f32(geom: usize, x: usize, dy: usize, dx: usize): void {
  pool<f32>(Pass.MAX_BACKWARD, geom, x, dy, dx);
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
  pool<f64>(Pass.MAX, geom, x, 0, y);
}

/** As `maxpool2d_backward_f32` for f64. */
export function maxpool2d_backward_f64(geom: usize, x: usize, dy: usize, dx: usize): void {
  pool<f64>(Pass.MAX_BACKWARD, geom, x, dy, dx);
}

/** As `avgpool2d_f32` for f64. */
export function avgpool2d_f64(geom: usize, x: usize, y: usize): void {
  pool<f64>(Pass.AVG, geom, x, 0, y);
}

/** As `avgpool2d_backward_f32` for f64. */
export function avgpool2d_backward_f64(geom: usize, dy: usize, dx: usize): void {
  pool<f64>(Pass.AVG_BACKWARD, geom, 0, dy, dx);
}
