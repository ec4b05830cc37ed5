/**
 * 2-D conv_general_dilated on the wasm GEMM: im2col (in JS, straight into wasm memory) for any
 * dimension numbers, strides, padding, lhs/rhs dilation and feature groups, then one GEMM per group.
 * Convs without lhs dilation or negative padding run on the module's direct kernel instead, split over
 * the batch when a worker pool exists. Other ranks and batch groups use the reference kernel.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { checkStatus, encodeConv } from "@fluxion/kernels-asm";
import { convGeneralDilatedKernel } from "../reference/conv.js";
import { alloc, contiguousStrides, data, permuted, wrap } from "../reference/util.js";
import { type WasmContext, conv2dForward, gemm, put, view, withArena } from "./context.js";

/** Below this many multiply-adds the reference loop is cheaper than staging. */
const MIN_WORK = 32 * 32 * 32;

/** The wasm conv kernel. */
export function wasmConv(ctx: WasmContext, minWork = MIN_WORK) {
  return (inputs: readonly ConcreteArray[], params: PrimParams["conv_general_dilated"], out: ShapedArray): ConcreteArray => {
    const [lhs, rhs] = [inputs[0]!, inputs[1]!];
    const f64 = out.dtype === "float64";
    if ((!f64 && out.dtype !== "float32") || lhs.ndim !== 4 || params.batchGroupCount !== 1) return convGeneralDilatedKernel(inputs, params, out);
    const dn = params.dimensionNumbers;
    const ls = contiguousStrides(lhs.shape);
    const rs = contiguousStrides(rhs.shape);
    const os = contiguousStrides(out.shape);
    const [N, C, H, W] = dn.lhs.map((d) => lhs.shape[d]!) as [number, number, number, number];
    const [sN, sC, sH, sW] = dn.lhs.map((d) => ls[d]!) as [number, number, number, number];
    const [O, I, KH, KW] = dn.rhs.map((d) => rhs.shape[d]!) as [number, number, number, number];
    const [sO, sI, sKH, sKW] = dn.rhs.map((d) => rs[d]!) as [number, number, number, number];
    const [, , OH, OW] = dn.out.map((d) => out.shape[d]!) as [number, number, number, number];
    const [oN, oC, oH, oW] = dn.out.map((d) => os[d]!) as [number, number, number, number];
    const G = params.featureGroupCount;
    const Og = O / G;
    const M = N * OH * OW;
    const Kd = I * KH * KW;
    if (M * Kd * O < minWork || M === 0 || Og === 0 || Kd === 0) return convGeneralDilatedKernel(inputs, params, out);
    const [strH, strW] = params.windowStrides as [number, number];
    const [[padH], [padW]] = params.padding as [[number, number], [number, number]];
    const [ldH, ldW] = params.lhsDilation as [number, number];
    const [rdH, rdW] = params.rhsDilation as [number, number];
    const x = data(lhs);
    const w = data(rhs);
    const y = alloc(out);
    const bytes = f64 ? 8 : 4;
    if ([ldH, ldW].every((d) => d === 1) && padH >= 0 && padW >= 0) {
      // The module's direct conv kernel reads x and writes y through strides; it wants the kernel as OIHW.
      const wOihw = dn.rhs.every((d, i) => d === i) ? w : permuted(w, rhs.shape, dn.rhs);
      const geom = encodeConv({
        n: N, c: C, h: H, w: W, o: O, kh: KH, kw: KW, oh: OH, ow: OW, strideH: strH, strideW: strW, padH, padW,
        dilH: rdH, dilW: rdW, groups: G, xStrides: [sN, sC, sH, sW], yStrides: [oN, oC, oH, oW],
      });
      withArena(ctx, () => {
        const px = put(ctx, x);
        const pw = put(ctx, wOihw);
        const pg = ctx.arena.putI32(geom);
        const py = ctx.arena.alloc(y.length * bytes);
        // On a pool, large batches are split over its threads (whole images each, same bits).
        checkStatus("conv_general_dilated (conv2d)", conv2dForward(ctx, f64, pg, px, pw, py));
        y.set(view(ctx, f64, py, y.length));
      });
      return wrap(y, out);
    }
    withArena(ctx, () => {
      const pCols = ctx.arena.alloc(M * Kd * bytes);
      const pW = ctx.arena.alloc(Kd * Og * bytes);
      const pY = ctx.arena.alloc(M * Og * bytes);
      for (let g = 0; g < G; g++) {
        // Views are re-taken per group: an earlier kernel call may have grown memory.
        const cols = view(ctx, f64, pCols, M * Kd);
        cols.fill(0);
        for (let n = 0; n < N; n++) {
          for (let oh = 0; oh < OH; oh++) {
            for (let kh = 0; kh < KH; kh++) {
              const ph = oh * strH + kh * rdH - padH;
              if (ph < 0 || ph % ldH !== 0) continue;
              const ih = ph / ldH;
              if (ih >= H) continue;
              for (let ci = 0; ci < I; ci++) {
                const src = n * sN + (g * I + ci) * sC + ih * sH;
                const colBase = (ci * KH + kh) * KW;
                for (let ow = 0; ow < OW; ow++) {
                  const row = ((n * OH + oh) * OW + ow) * Kd + colBase;
                  for (let kw = 0; kw < KW; kw++) {
                    const pw = ow * strW + kw * rdW - padW;
                    if (pw < 0 || pw % ldW !== 0) continue;
                    const iw = pw / ldW;
                    if (iw < W) cols[row + kw] = x[src + iw * sW]!;
                  }
                }
              }
            }
          }
        }
        const wm = view(ctx, f64, pW, Kd * Og);
        for (let o = 0; o < Og; o++) {
          const base = (g * Og + o) * sO;
          for (let ci = 0; ci < I; ci++) {
            for (let kh = 0; kh < KH; kh++) {
              for (let kw = 0; kw < KW; kw++) wm[((ci * KH + kh) * KW + kw) * Og + o] = w[base + ci * sI + kh * sKH + kw * sKW]!;
            }
          }
        }
        view(ctx, f64, pY, M * Og).fill(0);
        checkStatus("conv_general_dilated (gemm)", gemm(ctx, f64, M, Og, Kd, pCols, Kd, 1, pW, Og, 1, 0, pY, Og, 1));
        const res = view(ctx, f64, pY, M * Og);
        for (let n = 0; n < N; n++) {
          for (let oh = 0; oh < OH; oh++) {
            for (let ow = 0; ow < OW; ow++) {
              const r = ((n * OH + oh) * OW + ow) * Og;
              const dst = n * oN + oh * oH + ow * oW + g * Og * oC;
              for (let o = 0; o < Og; o++) y[dst + o * oC] = res[r + o]!;
            }
          }
        }
      }
    });
    return wrap(y, out);
  };
}
