/**
 * im2col and its adjoint col2im for one image and a band of output rows. Column matrix row
 * r = (c·KH + kh)·KW + kw, column q = (oh − oh0)·OW + ow: the input element output position (oh, ow)
 * sees at window tap (kh, kw) of channel c, or 0 in the padding. Each (r, oh) is one input row read
 * with a fixed stride, so the valid span is computed once and the rest is zero-filled.
 */
import { ConvGeom, field } from "./geometry";

// dst[0:n] = 0 and dst[0:n] = src[0:n] for short runs: memory.fill/copy are calls into the engine
// (tens of nanoseconds each), which would dominate rows of a few dozen elements.
function zero<T>(dst: usize, n: i32): void {
  const bytes = <usize>n * sizeof<T>();
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.splat<i32>(0));
  for (; i < bytes; i += 4) store<i32>(dst + i, 0);
}

function copy<T>(dst: usize, src: usize, n: i32): void {
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
