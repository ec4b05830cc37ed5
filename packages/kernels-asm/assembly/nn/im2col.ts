/**
 * im2col and its adjoint col2im for one image and a band of output rows. Column matrix row
 * r = (c·KH + kh)·KW + kw, column q = (oh − oh0)·OW + ow: the input element output position (oh, ow)
 * sees at window tap (kh, kw) of channel c, or 0 in the padding. Each (r, oh) is one input row read
 * with a fixed stride, so the valid span is computed once and the rest is zero-filled.
 * Also the staging of the direct conv passes: zero-padded images and panels of the output gradient.
 */
import { ConvGeom, field } from "./geometry";

// zero and copy are for short runs: memory.fill/copy are calls into the engine (tens of nanoseconds
// each), which would dominate rows of a few dozen elements.

/** dst[0:n] = 0 for a short run of T (whole vectors, then 4-byte words). */
export function zero<T>(dst: usize, n: i32): void {
  const bytes = <usize>n * sizeof<T>();
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.splat<i32>(0));
  for (; i < bytes; i += 4) store<i32>(dst + i, 0);
}

/** dst[0:n] = src[0:n] for a short run of T (whole vectors, then 4-byte words). */
export function copy<T>(dst: usize, src: usize, n: i32): void {
  const bytes = <usize>n * sizeof<T>();
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < bytes; i += 4) store<i32>(dst + i, load<i32>(src + i));
}

// First ow whose input column ow·sw + off is ≥ 0, and one past the last whose column is < W.
function owLo(off: i32, sw: i32): i32 {
  return off >= 0 ? 0 : (-off + sw - 1) / sw;
}
function owHi(off: i32, sw: i32, W: i32, OW: i32): i32 {
  if (off >= W) return 0;
  return min(OW, (W - 1 - off) / sw + 1);
}

/**
 * cols[r, q] for channels c0 … c0+cg−1 of image x (already offset to image n) and output rows
 * oh0 … oh0+rows−1; cols has row stride rows·OW.
 */
export function im2col<T>(g: usize, x: usize, c0: i32, cg: i32, oh0: i32, rows: i32, cols: usize): void {
  const sz = <isize>sizeof<T>();
  const H = field(g, ConvGeom.H), W = field(g, ConvGeom.W);
  const KH = field(g, ConvGeom.KH), KW = field(g, ConvGeom.KW), OW = field(g, ConvGeom.OW);
  const sh = field(g, ConvGeom.STRIDE_H), sw = field(g, ConvGeom.STRIDE_W);
  const ph = field(g, ConvGeom.PAD_H), pw = field(g, ConvGeom.PAD_W);
  const dh = field(g, ConvGeom.DIL_H), dw = field(g, ConvGeom.DIL_W);
  const xsC = <isize>field(g, ConvGeom.XS_C), xsH = <isize>field(g, ConvGeom.XS_H), xsW = <isize>field(g, ConvGeom.XS_W);
  const ld = <isize>rows * <isize>OW;
  let dst = cols;
  for (let c = 0; c < cg; c++) {
    const xc = x + <usize>(<isize>(c0 + c) * xsC * sz);
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const off = kw * dw - pw;
        const lo = owLo(off, sw), hi = owHi(off, sw, W, OW);
        for (let r = 0; r < rows; r++) {
          const ih = (oh0 + r) * sh - ph + kh * dh;
          const d = dst + <usize>(<isize>r * <isize>OW * sz);
          if (ih < 0 || ih >= H || lo >= hi) {
            zero<T>(d, OW);
            continue;
          }
          zero<T>(d, lo);
          const src = xc + <usize>((<isize>ih * xsH + <isize>(lo * sw + off) * xsW) * sz);
          const n = hi - lo;
          if (sw == 1 && xsW == 1) {
            copy<T>(d + <usize>(<isize>lo * sz), src, n);
          } else {
            const step = <isize>sw * xsW * sz;
            let s = src;
            for (let i = lo; i < hi; i++) {
              store<T>(d + <usize>(<isize>i * sz), load<T>(s));
              s += <usize>step;
            }
          }
          zero<T>(d + <usize>(<isize>hi * sz), OW - hi);
        }
        dst += <usize>(ld * sz);
      }
    }
  }
}

/** The adjoint of `im2col`: dx[c, ih, iw] += cols[r, q] over the same band (dx offset to image n). */
export function col2im<T>(g: usize, cols: usize, c0: i32, cg: i32, oh0: i32, rows: i32, dx: usize): void {
  const sz = <isize>sizeof<T>();
  const H = field(g, ConvGeom.H), W = field(g, ConvGeom.W);
  const KH = field(g, ConvGeom.KH), KW = field(g, ConvGeom.KW), OW = field(g, ConvGeom.OW);
  const sh = field(g, ConvGeom.STRIDE_H), sw = field(g, ConvGeom.STRIDE_W);
  const ph = field(g, ConvGeom.PAD_H), pw = field(g, ConvGeom.PAD_W);
  const dh = field(g, ConvGeom.DIL_H), dw = field(g, ConvGeom.DIL_W);
  const xsC = <isize>field(g, ConvGeom.XS_C), xsH = <isize>field(g, ConvGeom.XS_H), xsW = <isize>field(g, ConvGeom.XS_W);
  const ld = <isize>rows * <isize>OW;
  let src = cols;
  for (let c = 0; c < cg; c++) {
    const xc = dx + <usize>(<isize>(c0 + c) * xsC * sz);
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const off = kw * dw - pw;
        const lo = owLo(off, sw), hi = owHi(off, sw, W, OW);
        for (let r = 0; r < rows; r++) {
          const ih = (oh0 + r) * sh - ph + kh * dh;
          if (ih < 0 || ih >= H || lo >= hi) continue;
          const s = src + <usize>(<isize>r * <isize>OW * sz);
          let d = xc + <usize>((<isize>ih * xsH + <isize>(lo * sw + off) * xsW) * sz);
          const step = <isize>sw * xsW * sz;
          for (let i = lo; i < hi; i++) {
            const at = s + <usize>(<isize>i * sz);
            store<T>(d, load<T>(d) + load<T>(at));
            d += <usize>step;
          }
        }
        src += <usize>(ld * sz);
      }
    }
  }
}

/**
 * dst[i, c, r, s] = x[i, c0 + c, r − PAD_H, s − PAD_W] for i < nImgs, c < cg, r < hp, s < wp, and 0
 * where that is outside x: the zero-padded images the direct passes read without bounds checks.
 * x is already offset to the first image; planes are ps ≥ hp·wp elements apart (the gap zeroed, so
 * reads that run past a plane's last row see zeros or the next plane, never stale memory) and
 * images cg·ps apart.
 */
export function padImages<T>(g: usize, x: usize, nImgs: i32, c0: i32, cg: i32, hp: i32, wp: i32, ps: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  const H = field(g, ConvGeom.H), W = field(g, ConvGeom.W);
  const ph = field(g, ConvGeom.PAD_H), pw = field(g, ConvGeom.PAD_W);
  const xsN = <isize>field(g, ConvGeom.XS_N), xsC = <isize>field(g, ConvGeom.XS_C);
  const xsH = <isize>field(g, ConvGeom.XS_H), xsW = <isize>field(g, ConvGeom.XS_W);
  // Columns s in [lo, hi) hold x's columns s − pw; the rest of each row is padding.
  const lo = min(pw, wp), hi = min(wp, pw + W);
  const span = max(0, hi - lo);
  let d = dst;
  for (let i = 0; i < nImgs; i++) {
    for (let c = 0; c < cg; c++) {
      const xc = x + <usize>((<isize>i * xsN + <isize>(c0 + c) * xsC) * sz);
      for (let r = 0; r < hp; r++) {
        const ih = r - ph;
        if (ih < 0 || ih >= H || span == 0) {
          zero<T>(d, wp);
        } else {
          zero<T>(d, lo);
          const src = xc + <usize>(<isize>ih * xsH * sz);
          if (xsW == 1) {
            copy<T>(d + <usize>(<isize>lo * sz), src, span);
          } else {
            let s = src;
            for (let k = 0; k < span; k++, s += <usize>(xsW * sz)) store<T>(d + <usize>(<isize>(lo + k) * sz), load<T>(s));
          }
          zero<T>(d + <usize>(<isize>hi * sz), wp - hi);
        }
        d += <usize>(<isize>wp * sz);
      }
      zero<T>(d, ps - hp * wp);
      d += <usize>(<isize>(ps - hp * wp) * sz);
    }
  }
}

/**
 * Pack output-gradient channels o0 … o0+og−1 of images 0 … nImgs−1 (dy already offset to the first),
 * rows oh0 … oh0+rows−1, into ⌈og/nr⌉ panels of len×nr elements, len = nImgs·rows·OW:
 * dst[p·len·nr + l·nr + j] = dy[n, o0 + p·nr + j, oh, ow] with l running over (n, oh, ow) in that
 * order, and 0 for channels past og — the layout the filter-gradient micro-kernel streams.
 */
export function packOutputPanels<T>(g: usize, dy: usize, nImgs: i32, oh0: i32, rows: i32, o0: i32, og: i32, nr: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  const OW = field(g, ConvGeom.OW);
  const ysN = <isize>field(g, ConvGeom.YS_N), ysC = <isize>field(g, ConvGeom.YS_C);
  const ysH = <isize>field(g, ConvGeom.YS_H), ysW = <isize>field(g, ConvGeom.YS_W);
  const len = <isize>nImgs * <isize>rows * <isize>OW;
  const step = <isize>nr * sz;
  for (let p = 0; p * nr < og; p++) {
    const panel = dst + <usize>(<isize>p * len * step);
    const full = og - p * nr >= nr;
    if (sizeof<T>() == 4 && full && nr == 8 && ysW == 1) {
      packPanel8F32(dy + <usize>(<isize>(o0 + p * 8) * ysC * sz), nImgs, oh0, rows, OW, ysN, ysC, ysH, panel);
      continue;
    }
    for (let j = 0; j < nr; j++) {
      const o = p * nr + j;
      let d = panel + <usize>(<isize>j * sz);
      if (o >= og) {
        for (let l: isize = 0; l < len; l++, d += <usize>step) store<T>(d, <T>0);
        continue;
      }
      for (let n = 0; n < nImgs; n++) {
        for (let oh = oh0; oh < oh0 + rows; oh++) {
          let s = dy + <usize>((<isize>n * ysN + <isize>(o0 + o) * ysC + <isize>oh * ysH) * sz);
          for (let ow = 0; ow < OW; ow++, s += <usize>(ysW * sz), d += <usize>step) store<T>(d, load<T>(s));
        }
      }
    }
  }
}

// One full panel of 8 f32 channels with unit column stride: each run of 4 output positions of the
// 8 channel rows is read as 8 vectors and written, transposed, as 8 vectors (two per position).
function packPanel8F32(dy: usize, nImgs: i32, oh0: i32, rows: i32, OW: i32, ysN: isize, ysC: isize, ysH: isize, dst: usize): void {
  const rs = <usize>(ysC << 2);
  let d = dst;
  for (let n = 0; n < nImgs; n++) {
    for (let oh = oh0; oh < oh0 + rows; oh++) {
      const s = dy + <usize>((<isize>n * ysN + <isize>oh * ysH) << 2);
      let ow = 0;
      for (; ow + 4 <= OW; ow += 4) {
        const at = s + <usize>(ow << 2);
        transpose4x4To(at, rs, d, 32);
        transpose4x4To(at + 4 * rs, rs, d + 16, 32);
        d += 128;
      }
      for (; ow < OW; ow++) {
        const at = s + <usize>(ow << 2);
        for (let j = 0; j < 8; j++) store<f32>(d + <usize>(j << 2), load<f32>(at + <usize>j * rs));
        d += 32;
      }
    }
  }
}

// Rows src, src+rs, src+2rs, src+3rs (4 f32 each) become columns: output vector i (the i-th element
// of every row) is stored at dst + i·dstride.
@inline function transpose4x4To(src: usize, rs: usize, dst: usize, dstride: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + rs), r2 = v128.load(src + 2 * rs), r3 = v128.load(src + 3 * rs);
  // t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = (r0[2], r1[2], r0[3], r1[3]), likewise t2, t3 from r2, r3.
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i64>(t0, t2, 0, 2));
  v128.store(dst + dstride, v128.shuffle<i64>(t0, t2, 1, 3));
  v128.store(dst + 2 * dstride, v128.shuffle<i64>(t1, t3, 0, 2));
  v128.store(dst + 3 * dstride, v128.shuffle<i64>(t1, t3, 1, 3));
}
