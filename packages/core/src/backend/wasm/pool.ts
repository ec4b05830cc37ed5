/**
 * reduce_window (max, min, sum) and select_and_scatter_add (max/min pooling's adjoint) on the
 * module's 2-d pooling kernels, for windows over the last two axes only (NCHW pooling; 1-d pooling
 * over the last axis as H = 1) with non-negative padding. Padding never contributes in either the
 * kernels or the primitives (−∞ for max, +∞ for min, 0 for sum).
 *
 * - max: maxpool2d selects the first maximum with NaN winning, exactly the reference's selection.
 * - min: −(max pooling of −x), both negations in wasm (negation is exact and maps the first minimum
 *   to the first maximum).
 * - sum: avgpool2d in f64 (f32 data widened exactly) times KH·KW, so an f32 sum is the reference's
 *   f64 sum rounded once.
 * - select_and_scatter_add: maxpool2d_backward, in f64 when f32 windows overlap so that the additions
 *   happen in f64 in window order, as the reference's.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import type { Shape } from "../../shape.js";
import { UnaryOp, checkStatus, encodePool } from "@fluxion/kernels-asm";
import { reduceWindowKernel, selectAndScatterAddKernel } from "../reference/windows.js";
import { allocOut, data, wrap } from "../reference/util.js";
import { type WasmContext, copyOut, isFloat, put, putAsF64, withArena } from "./context.js";

type WindowParams = PrimParams["reduce_window"] | PrimParams["select_and_scatter_add"];

/** The pooling geometry record for windows of `p` over `inShape` with windows shape `outShape`, or null when the kernels do not apply. */
export function poolGeometry(inShape: Shape, outShape: Shape, p: WindowParams): Int32Array | null {
  const r = inShape.length;
  if (r === 0) return null;
  const pooled = r >= 2 ? 2 : 1;
  for (let d = 0; d < r - pooled; d++) {
    if (p.windowDimensions[d] !== 1 || p.windowStrides[d] !== 1 || p.padding[d]![0] !== 0 || p.padding[d]![1] !== 0) return null;
  }
  for (let d = r - pooled; d < r; d++) if (p.padding[d]![0] < 0 || p.padding[d]![1] < 0) return null;
  const at = (xs: readonly number[], d: number, dflt: number) => (d >= 0 ? xs[d]! : dflt);
  const [h, w] = [r - 2, r - 1];
  return encodePool({
    b: inShape.slice(0, r - pooled).reduce((a, b) => a * b, 1),
    h: at(inShape, h, 1), w: inShape[w]!, oh: at(outShape, h, 1), ow: outShape[w]!,
    kh: at(p.windowDimensions, h, 1), kw: p.windowDimensions[w]!,
    strideH: at(p.windowStrides, h, 1), strideW: p.windowStrides[w]!,
    padH: h >= 0 ? p.padding[h]![0] : 0, padW: p.padding[w]![0],
  });
}

/** Negate n floats in place in the arena (in wasm: a JS loop over them costs more than the pooling). */
function negate(ctx: WasmContext, f64: boolean, p: number, n: number): void {
  checkStatus("pooling (min)", (f64 ? ctx.k.unary_f64 : ctx.k.unary_f32)(UnaryOp.neg, p, p, n));
}

/** The wasm reduce_window kernel. */
export function wasmReduceWindow(ctx: WasmContext, minSize: number) {
  return (inputs: readonly ConcreteArray[], params: PrimParams["reduce_window"], out: ShapedArray): ConcreteArray => {
    const x = inputs[0]!;
    const geom = x.size < minSize || x.size === 0 || out.size === 0 || !isFloat(x.dtype) ? null : poolGeometry(x.shape, out.shape, params);
    if (!geom) return reduceWindowKernel(inputs, params, out);
    const f64 = x.dtype === "float64";
    const y = allocOut(out);
    const m = out.size;
    withArena(ctx, () => {
      const pg = ctx.arena.putI32(geom);
      if (params.op === "sum") {
        const px = putAsF64(ctx, data(x));
        const py = ctx.arena.alloc(m * 8);
        ctx.k.avgpool2d_f64(pg, px, py);
        const k = params.windowDimensions.reduce((a, b) => a * b, 1);
        const v = ctx.arena.f64(py, m);
        for (let i = 0; i < m; i++) y[i] = v[i]! * k;
        return;
      }
      const px = put(ctx, data(x));
      const py = ctx.arena.alloc(m * (f64 ? 8 : 4));
      if (params.op === "min") negate(ctx, f64, px, x.size);
      (f64 ? ctx.k.maxpool2d_f64 : ctx.k.maxpool2d_f32)(pg, px, py);
      if (params.op === "min") negate(ctx, f64, py, m);
      copyOut(y, f64 ? ctx.arena.f64(py, m) : ctx.arena.f32(py, m));
    });
    return wrap(y, out);
  };
}

/** True when no two windows along a pooled axis share an element (each dx receives at most one addition). */
export function disjoint(p: WindowParams): boolean {
  const r = p.windowDimensions.length;
  for (let d = Math.max(0, r - 2); d < r; d++) if (p.windowStrides[d]! < p.windowDimensions[d]!) return false;
  return true;
}

/** The wasm select_and_scatter_add kernel (the adjoint of max/min pooling). */
export function wasmSelectAndScatterAdd(ctx: WasmContext, minSize: number) {
  return (inputs: readonly ConcreteArray[], params: PrimParams["select_and_scatter_add"], out: ShapedArray): ConcreteArray => {
    const [source, operand] = [inputs[0]!, inputs[1]!];
    const ok = operand.size >= minSize && operand.size > 0 && source.size > 0 && isFloat(out.dtype) && source.dtype === out.dtype && operand.dtype === out.dtype;
    const geom = ok ? poolGeometry(operand.shape, source.shape, params) : null;
    if (!geom) return selectAndScatterAddKernel(inputs, params, out);
    // f32 data goes through the f64 kernel when windows overlap, so sums round as the reference's.
    const wide = out.dtype === "float64" || !disjoint(params);
    const y = allocOut(out);
    withArena(ctx, () => {
      const pg = ctx.arena.putI32(geom);
      const px = wide ? putAsF64(ctx, data(operand)) : put(ctx, data(operand));
      const pdy = wide ? putAsF64(ctx, data(source)) : put(ctx, data(source));
      const pdx = ctx.arena.alloc(out.size * (wide ? 8 : 4));
      if (params.op === "min") negate(ctx, wide, px, operand.size);
      (wide ? ctx.k.maxpool2d_backward_f64 : ctx.k.maxpool2d_backward_f32)(pg, px, pdy, pdx);
      copyOut(y, wide ? ctx.arena.f64(pdx, out.size) : ctx.arena.f32(pdx, out.size));
    });
    return wrap(y, out);
  };
}
