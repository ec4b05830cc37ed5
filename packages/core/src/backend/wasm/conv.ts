/**
 * 2-D conv_general_dilated on the wasm kernels. Three routes, by the shape of the call:
 *  - filter-gradient shaped (what the conv's rhs transpose produces: output window smaller than the
 *    kernel, the batch as the contraction) or batch-grouped: read as the filter gradient of the conv
 *    it transposes and run on the module's filter-gradient pass (Winograd or direct), which sums over
 *    the whole contraction at once (the forward kernel would run one GEMM per output window of a few
 *    columns), split over output channels when a worker pool exists and the module can split it;
 *  - no lhs dilation or negative padding: the module's direct conv kernel, split over the batch when
 *    a worker pool exists;
 *  - otherwise: im2col (in JS, straight into wasm memory) for any dimension numbers, strides, padding,
 *    lhs/rhs dilation and feature groups, then one GEMM per group.
 * Other ranks and the remaining batch-grouped convs use the reference kernel.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { type ConvGeometry, checkStatus, encodeConv } from "@fluxion/kernels-asm";
import { convGeneralDilatedKernel } from "../reference/conv.js";
import { alloc, allocOut, contiguousStrides, data, permuted, stridedCopy, wrap } from "../reference/util.js";
import { type WasmContext, conv2dFilter, conv2dForward, copyOut, gemm, put, view, withArena } from "./context.js";

/** Below this many multiply-adds the reference loop is cheaper than staging. */
const MIN_WORK = 32 * 32 * 32;

type ConvParams = PrimParams["conv_general_dilated"];
type Quad = [number, number, number, number];

/** The sizes and element strides of the three operands, each in its dimension numbers' logical order. */
type Operands = {
  /** lhs (N, C, H, W) */
  ls: Quad; lst: Quad;
  /** rhs (O, I, KH, KW) */
  rs: Quad; rst: Quad;
  /** out (N, O, OH, OW) */
  os: Quad; ost: Quad;
};

/** Sizes and contiguous strides of lhs, rhs and out, reordered by the dimension numbers. */
export function operands(lhs: { shape: readonly number[] }, rhs: { shape: readonly number[] }, out: { shape: readonly number[] }, dn: ConvParams["dimensionNumbers"]): Operands {
  const pick = (shape: readonly number[], spec: readonly number[]): [Quad, Quad] => {
    const st = contiguousStrides(shape);
    return [spec.map((d) => shape[d]!) as Quad, spec.map((d) => st[d]!) as Quad];
  };
  const [ls, lst] = pick(lhs.shape, dn.lhs);
  const [rs, rst] = pick(rhs.shape, dn.rhs);
  const [os, ost] = pick(out.shape, dn.out);
  return { ls, lst, rs, rst, os, ost };
}

/** The wasm conv kernel. */
export function wasmConv(ctx: WasmContext, minWork = MIN_WORK) {
  return (inputs: readonly ConcreteArray[], params: ConvParams, out: ShapedArray): ConcreteArray => {
    const [lhs, rhs] = [inputs[0]!, inputs[1]!];
    const f64 = out.dtype === "float64";
    if ((!f64 && out.dtype !== "float32") || lhs.ndim !== 4) return convGeneralDilatedKernel(inputs, params, out);
    const ops = operands(lhs, rhs, out, params.dimensionNumbers);
    switch (convRoute(ops, params, minWork)) {
      case "filterGradient":
        return filterGradient(ctx, f64, filterGradientGeometry(ops, params)!, lhs, rhs, out, params);
      case "direct":
        return direct(ctx, f64, ops, lhs, rhs, out, params);
      case "im2col":
        return im2colGemm(ctx, f64, ops, lhs, rhs, out, params);
      default:
        return convGeneralDilatedKernel(inputs, params, out);
    }
  };
}

/**
 * The conv as the filter gradient of the conv it transposes, when it is one and the direct
 * filter-gradient pass suits it; null otherwise. JAX's rhs transpose convolves the input (batch and
 * features swapped) with the output cotangent as the kernel: out[c, o, i, j] = Σ_{n,u,v}
 * lhs[c, n, i·s + u·d − p, …] · rhs[o, n, u, v], which is dw[o, c, kh=i, kw=j] of a conv with
 * stride d, dilation s, padding p, input x[n, c] = lhs[c, n] and output gradient dy[n, o] = rhs[o, n].
 * Its batch groups are that conv's feature groups. Taken when the output window is smaller than the
 * kernel (a forward would run one GEMM per few-column window) or when batch-grouped (no other wasm path).
 */
export function filterGradientGeometry(ops: Operands, p: ConvParams): ConvGeometry | null {
  const [Nl, Cl, H, W] = ops.ls;
  const [O, , KH, KW] = ops.rs;
  const [, , OH, OW] = ops.os;
  const [[padH], [padW]] = p.padding as [[number, number], [number, number]];
  const B = p.batchGroupCount;
  if (p.featureGroupCount !== 1 || !p.lhsDilation.every((d) => d === 1) || padH < 0 || padW < 0) return null;
  if (B === 1 && OH * OW >= KH * KW) return null;
  // The kernel reads dy's rows one row-length apart (true of any layout with H outside W).
  const [sO, sI, sKH, sKW] = ops.rst;
  if (KH > 1 && sKH !== KW * sKW) return null;
  const [sN, sC, sH, sW] = ops.lst;
  const [strH, strW] = p.windowStrides as [number, number];
  const [rdH, rdW] = p.rhsDilation as [number, number];
  return {
    n: Cl, c: Nl, h: H, w: W, o: O, kh: OH, kw: OW, oh: KH, ow: KW,
    strideH: rdH, strideW: rdW, padH, padW, dilH: strH, dilW: strW, groups: B,
    xStrides: [sC, sN, sH, sW], yStrides: [sI, sO, sKH, sKW],
  };
}

/** Where out's element (in its own axis order) sits in the pass's [O, C/G, KH, KW] result: dw[o, c, kh, kw] is out[c, o, kh, kw] in out's logical order. */
export function filterGradientStrides(g: ConvGeometry, p: ConvParams): number[] {
  const cg = g.c / g.groups;
  const roles = [g.kh * g.kw, cg * g.kh * g.kw, g.kw, 1];
  const src = new Array<number>(4);
  p.dimensionNumbers.out.forEach((axis, role) => (src[axis] = roles[role]!));
  return src;
}

/** The direct kernel's geometry record (the kernel itself must be OIHW). */
export function directGeometry(ops: Operands, p: ConvParams): Int32Array {
  const [N, C, H, W] = ops.ls;
  const [O, , KH, KW] = ops.rs;
  const [, , OH, OW] = ops.os;
  const [strH, strW] = p.windowStrides as [number, number];
  const [[padH], [padW]] = p.padding as [[number, number], [number, number]];
  const [rdH, rdW] = p.rhsDilation as [number, number];
  return encodeConv({
    n: N, c: C, h: H, w: W, o: O, kh: KH, kw: KW, oh: OH, ow: OW, strideH: strH, strideW: strW, padH, padW,
    dilH: rdH, dilW: rdW, groups: p.featureGroupCount, xStrides: ops.lst, yStrides: ops.ost,
  });
}

/** Which module pass runs a float conv of these operands, or null for the reference (too small, or no wasm form). */
export function convRoute(ops: Operands, p: ConvParams, minWork: number): "filterGradient" | "direct" | "im2col" | null {
  const [N, , OH, OW] = ops.os;
  const [O, I, KH, KW] = ops.rs;
  const M = N * OH * OW;
  const Kd = I * KH * KW;
  const Og = O / p.featureGroupCount;
  if (M * Kd * O < minWork || M === 0 || Og === 0 || Kd === 0) return null;
  if (filterGradientGeometry(ops, p)) return "filterGradient";
  if (p.batchGroupCount !== 1) return null;
  const [[padH], [padW]] = p.padding as [[number, number], [number, number]];
  return p.lhsDilation.every((d) => d === 1) && padH >= 0 && padW >= 0 ? "direct" : "im2col";
}

/** Run the module's filter-gradient pass for geometry `g` and lay its [O, C/G, KH, KW] result out as `out`. */
function filterGradient(ctx: WasmContext, f64: boolean, g: ConvGeometry, lhs: ConcreteArray, rhs: ConcreteArray, out: ShapedArray, p: ConvParams): ConcreteArray {
  const y = allocOut(out);
  withArena(ctx, () => {
    const px = put(ctx, data(lhs));
    const pdy = put(ctx, data(rhs));
    const pg = ctx.arena.putI32(encodeConv(g));
    const pdw = ctx.arena.alloc(y.length * (f64 ? 8 : 4));
    checkStatus("conv_general_dilated (filter gradient)", conv2dFilter(ctx, f64, pg, px, pdy, pdw));
    stridedCopy(view(ctx, f64, pdw, y.length), 0, filterGradientStrides(g, p), out.shape, y);
  });
  return wrap(y, out);
}

/** The module's direct conv kernel: it reads x and writes y through strides and wants the kernel as OIHW. */
function direct(ctx: WasmContext, f64: boolean, ops: Operands, lhs: ConcreteArray, rhs: ConcreteArray, out: ShapedArray, p: ConvParams): ConcreteArray {
  const dn = p.dimensionNumbers;
  const w = data(rhs);
  const y = allocOut(out);
  const wOihw = dn.rhs.every((d, i) => d === i) ? w : permuted(w, rhs.shape, dn.rhs);
  const geom = directGeometry(ops, p);
  withArena(ctx, () => {
    const px = put(ctx, data(lhs));
    const pw = put(ctx, wOihw);
    const pg = ctx.arena.putI32(geom);
    const py = ctx.arena.alloc(y.length * (f64 ? 8 : 4));
    // On a pool, large batches are split over its threads (whole images each, same bits).
    checkStatus("conv_general_dilated (conv2d)", conv2dForward(ctx, f64, pg, px, pw, py));
    copyOut(y, view(ctx, f64, py, y.length));
  });
  return wrap(y, out);
}

/** im2col in JS for any dimension numbers, strides, padding, dilations and feature groups, then one GEMM per group. */
function im2colGemm(ctx: WasmContext, f64: boolean, ops: Operands, lhs: ConcreteArray, rhs: ConcreteArray, out: ShapedArray, p: ConvParams): ConcreteArray {
  const [N, , H, W] = ops.ls;
  const [sN, sC, sH, sW] = ops.lst;
  const [O, I, KH, KW] = ops.rs;
  const [sO, sI, sKH, sKW] = ops.rst;
  const [, , OH, OW] = ops.os;
  const [oN, oC, oH, oW] = ops.ost;
  const G = p.featureGroupCount;
  const Og = O / G;
  const M = N * OH * OW;
  const Kd = I * KH * KW;
  const [strH, strW] = p.windowStrides as [number, number];
  const [[padH], [padW]] = p.padding as [[number, number], [number, number]];
  const [ldH, ldW] = p.lhsDilation as [number, number];
  const [rdH, rdW] = p.rhsDilation as [number, number];
  const x = data(lhs);
  const w = data(rhs);
  const y = alloc(out);
  const bytes = f64 ? 8 : 4;
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
}
