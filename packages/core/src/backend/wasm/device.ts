/**
 * The wasm backend's device runtime for jit plans: regions of the kernels' arena, copies in and out,
 * and kernels that run on arena addresses (GEMM, reductions, strided movement; fused programs come
 * from fused.ts). An equation these cannot take runs on host copies, as in eager mode.
 */
import { type DType, ITEM_BYTES } from "../../dtype.js";
import { allocateUninit } from "../../uninit.js";
import { type JaxprEqn, Lit } from "../../interpreters/jaxpr-types.js";
import type { PrimParams, ReducePrim } from "../../primitives.js";
import type { DeviceKernel, DeviceRuntime, FusedCompiler } from "../backend.js";
import { ReduceOp, checkStatus, copyBytes, encodeConv } from "@fluxion/kernels-asm";
import { contiguousStrides } from "../reference/util.js";
import { type WasmContext, conv2dFilter, conv2dForward, gemm, withArena } from "./context.js";
import type { WasmThresholds } from "./thresholds.js";
import { disjoint, poolGeometry } from "./pool.js";
import { convRoute, directGeometry, filterGradientGeometry, filterGradientStrides, operands } from "./conv.js";

/** Bytes per element of `dtype` in device memory (bools as bytes). */
export const deviceBytes = (dtype: DType): number => ITEM_BYTES[dtype];

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const isFloat = (d: DType) => d === "float32" || d === "float64";

/**
 * The device runtime over `ctx`'s arena. GEMMs and reductions take over at the sizes where the eager
 * backend uses the same kernels (`t`), so a jitted program rounds exactly as its eager run.
 */
export function wasmDevice(ctx: WasmContext, t: WasmThresholds, fuse: FusedCompiler): DeviceRuntime {
  const bytesView = (ptr: number, n: number) => new Uint8Array(ctx.k.memory.buffer, ptr, n);
  return {
    begin: (bytes) => {
      const mark = ctx.arena.mark();
      const base = ctx.arena.alloc(Math.max(bytes, 64));
      return { base, end: () => ctx.arena.reset(mark) };
    },
    upload: (ptr, data) => copyBytes(bytesView(ptr, data.byteLength), data),
    download: (ptr, dtype, n) => {
      const out = allocateUninit(dtype, n);
      copyBytes(out, bytesView(ptr, out.byteLength));
      return out;
    },
    kernel: (eqn) => (eqn.inputs.some((a) => a instanceof Lit) ? null : deviceKernel(ctx, eqn, t) ?? elementwiseKernel(fuse, eqn)),
  };
}

function deviceKernel(ctx: WasmContext, eqn: JaxprEqn, t: WasmThresholds): DeviceKernel | null {
  switch (eqn.prim) {
    case "dot_general":
      return dotKernel(ctx, eqn as JaxprEqn<"dot_general">, t.dot);
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min":
    case "reduce_prod":
      return eqn.inputs[0]!.aval.size < t.reduce ? null : reduceKernel(ctx, eqn as JaxprEqn<ReducePrim>);
    case "argmax":
    case "argmin": {
      const x = eqn.inputs[0]!.aval;
      const { axis } = eqn.params as PrimParams["argmax"];
      const n = x.shape[axis] ?? 0;
      if (!isFloat(x.dtype) || x.size < t.reduce || n === 0 || eqn.outBinders[0]!.aval.dtype !== "int32") return null;
      const [outer, inner] = [prod(x.shape.slice(0, axis)), prod(x.shape.slice(axis + 1))];
      const arg = x.dtype === "float64" ? ctx.k.argreduce_f64 : ctx.k.argreduce_f32;
      const isMax = eqn.prim === "argmax" ? 1 : 0;
      return ([px], [py]) => arg(isMax, px!, outer, n, inner, py!);
    }
    case "conv_general_dilated":
      return convKernel(ctx, eqn as JaxprEqn<"conv_general_dilated">, t.conv);
    case "reduce_window":
    case "select_and_scatter_add":
      return poolKernel(ctx, eqn as JaxprEqn<"reduce_window" | "select_and_scatter_add">, t.pool);
    case "transpose": {
      const x = eqn.inputs[0]!.aval;
      const strides = contiguousStrides(x.shape);
      const perm = (eqn.params as PrimParams["transpose"]).permutation;
      return stridedCopyKernel(ctx, x.dtype, perm.map((d) => x.shape[d]!), perm.map((d) => strides[d]!));
    }
    case "broadcast_in_dim": {
      const x = eqn.inputs[0]!.aval;
      const { shape, broadcastDimensions } = eqn.params as PrimParams["broadcast_in_dim"];
      const xs = contiguousStrides(x.shape);
      // Output dim d reads operand dim i (stride xs[i]) when broadcastDimensions[i] = d, else repeats (stride 0).
      const strides = shape.map((_, d) => {
        const i = broadcastDimensions.indexOf(d);
        return i >= 0 && x.shape[i] !== 1 ? xs[i]! : 0;
      });
      return stridedCopyKernel(ctx, x.dtype, shape, strides);
    }
    default:
      return null;
  }
}

/**
 * 2-d convolutions on the module's passes, chosen as the eager kernel chooses (conv.ts): the
 * filter-gradient pass (its [O, C/G, KH, KW] result moved into the output's layout when that
 * differs) and the direct pass (the kernel moved to OIHW when it is laid out otherwise). im2col
 * convs (lhs dilation, negative padding) stay on the host path.
 */
function convKernel(ctx: WasmContext, eqn: JaxprEqn<"conv_general_dilated">, minWork: number): DeviceKernel | null {
  const [lhs, rhs] = [eqn.inputs[0]!.aval, eqn.inputs[1]!.aval];
  const out = eqn.outBinders[0]!.aval;
  const p = eqn.params;
  if (!isFloat(out.dtype) || lhs.dtype !== out.dtype || rhs.dtype !== out.dtype || lhs.ndim !== 4) return null;
  const ops = operands(lhs, rhs, out, p.dimensionNumbers);
  const route = convRoute(ops, p, minWork);
  const f64 = out.dtype === "float64";
  if (route === "direct") {
    const geom = directGeometry(ops, p);
    // The pass wants the kernel as OIHW: other layouts (the input gradient's IOHW) are moved into scratch first.
    const identity = p.dimensionNumbers.rhs.every((d, i) => d === i);
    const oihw = identity ? null : stridedCopyKernel(ctx, out.dtype, ops.rs, ops.rst);
    if (!identity && !oihw) return null;
    return ([px, pw], [py]) =>
      withArena(ctx, () => {
        let w = pw!;
        if (oihw) oihw([pw!], [(w = ctx.arena.alloc(rhs.size * (f64 ? 8 : 4)))]);
        checkStatus("conv_general_dilated (conv2d)", conv2dForward(ctx, f64, ctx.arena.putI32(geom), px!, w, py!));
      });
  }
  if (route !== "filterGradient") return null;
  const g = filterGradientGeometry(ops, p)!;
  const geom = encodeConv(g);
  const strides = filterGradientStrides(g, p);
  const inPlace = strides.every((st, d) => st === contiguousStrides(out.shape)[d]);
  const move = stridedCopyKernel(ctx, out.dtype, out.shape, strides);
  return ([px, pdy], [py]) =>
    withArena(ctx, () => {
      const pdw = inPlace ? py! : ctx.arena.alloc(out.size * (f64 ? 8 : 4));
      checkStatus("conv_general_dilated (filter gradient)", conv2dFilter(ctx, f64, ctx.arena.putI32(geom), px!, pdy!, pdw));
      if (!inPlace) move!([pdw], [py!]);
    });
}

/**
 * Max pooling and its adjoint for disjoint windows on the module's 2-d kernels (NCHW windows over
 * the last two axes). Min and sum pooling and overlapping adjoints (widened to f64 so sums round as
 * the reference's) stay on the host path.
 */
function poolKernel(ctx: WasmContext, eqn: JaxprEqn<"reduce_window" | "select_and_scatter_add">, minSize: number): DeviceKernel | null {
  const p = eqn.params;
  if (p.op !== "max") return null;
  const forward = eqn.prim === "reduce_window";
  const x = (forward ? eqn.inputs[0]! : eqn.inputs[1]!).aval;
  const small = forward ? eqn.outBinders[0]!.aval : eqn.inputs[0]!.aval;
  const out = eqn.outBinders[0]!.aval;
  if (!isFloat(out.dtype) || x.dtype !== out.dtype || small.dtype !== out.dtype || x.size < minSize || small.size === 0) return null;
  if (!forward && out.dtype === "float32" && !disjoint(p)) return null;
  const geom = poolGeometry(x.shape, small.shape, p);
  if (!geom) return null;
  const f64 = out.dtype === "float64";
  if (forward) {
    const pool = f64 ? ctx.k.maxpool2d_f64 : ctx.k.maxpool2d_f32;
    return ([px], [py]) => withArena(ctx, () => pool(ctx.arena.putI32(geom), px!, py!));
  }
  const adjoint = f64 ? ctx.k.maxpool2d_backward_f64 : ctx.k.maxpool2d_backward_f32;
  // select_and_scatter_add(source = dy, operand = x).
  return ([pdy, px], [pdx]) => withArena(ctx, () => adjoint(ctx.arena.putI32(geom), px!, pdy!, pdx!));
}

/** A lone elementwise equation (one the planner did not fuse with others) as a one-instruction program. */
function elementwiseKernel(fuse: FusedCompiler, eqn: JaxprEqn): DeviceKernel | null {
  if (eqn.outBinders.length !== 1 || !fuse.accepts(eqn)) return null;
  const compiled = fuse.compile([eqn], eqn.outBinders);
  const run = compiled?.runDevice;
  if (!compiled || !run) return null;
  // The program reads each distinct input once, in its own order.
  const order = compiled.inputs.map((a) => eqn.inputs.indexOf(a));
  const n = eqn.outBinders[0]!.aval.size;
  return (ins, outs) => run(order.map((i) => ins[i]!), outs, n);
}

/** y = the contiguous copy of the view (shape, element strides) of x: transpose and broadcast. */
function stridedCopyKernel(ctx: WasmContext, dtype: DType, shape: readonly number[], strides: readonly number[]): DeviceKernel | null {
  const bytes = deviceBytes(dtype);
  if (bytes === 1 || prod(shape) === 0) return null;
  const copy = bytes === 8 ? ctx.k.copy_strided_x64 : ctx.k.copy_strided_x32;
  return ([x], [y]) =>
    withArena(ctx, () => checkStatus("jit (strided copy)", copy(shape.length, ctx.arena.putI32(shape), x!, ctx.arena.putI32(strides), y!)));
}

/** dot_general as GEMMs over its batch, when each operand is a [B, rows, cols] stack up to a transpose of its two matrix axes. */
function dotKernel(ctx: WasmContext, eqn: JaxprEqn<"dot_general">, minWork: number): DeviceKernel | null {
  const [lhs, rhs] = [eqn.inputs[0]!.aval, eqn.inputs[1]!.aval];
  const out = eqn.outBinders[0]!.aval;
  if (!isFloat(out.dtype) || lhs.dtype !== out.dtype || rhs.dtype !== out.dtype) return null;
  const { contracting: [lc, rc], batch: [lb, rb] } = eqn.params;
  const lFree = range(lhs.ndim).filter((d) => !lc.includes(d) && !lb.includes(d));
  const rFree = range(rhs.ndim).filter((d) => !rc.includes(d) && !rb.includes(d));
  const size = (shape: readonly number[], dims: readonly number[]) => prod(dims.map((d) => shape[d]!));
  const [B, M, K, N] = [size(lhs.shape, lb), size(lhs.shape, lFree), size(lhs.shape, lc), size(rhs.shape, rFree)];
  if (B * M * N === 0 || K === 0 || M * N * K < minWork) return null;
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  // (row stride, col stride) of the [rows, cols] matrices when the layout is batch·rows·cols or batch·cols·rows.
  const strides = (ndim: number, batch: readonly number[], rows: readonly number[], cols: readonly number[], nr: number, nc: number) => {
    if (same([...batch, ...rows, ...cols], range(ndim))) return { rs: nc, cs: 1 };
    if (same([...batch, ...cols, ...rows], range(ndim))) return { rs: 1, cs: nr };
    return null;
  };
  const a = strides(lhs.ndim, lb, lFree, lc, M, K);
  const b = strides(rhs.ndim, rb, rc, rFree, K, N);
  if (!a || !b) return null;
  const f64 = out.dtype === "float64";
  const bytes = f64 ? 8 : 4;
  return ([pa, pb], [pc]) => {
    for (let i = 0; i < B; i++) {
      checkStatus("dot_general (gemm)", gemm(ctx, f64, M, N, K, pa! + i * M * K * bytes, a.rs, a.cs, pb! + i * K * N * bytes, b.rs, b.cs, 0, pc! + i * M * N * bytes, N, 1));
    }
  };
}

const REDUCE_CODES: Record<ReducePrim, number> = {
  reduce_sum: ReduceOp.sum, reduce_prod: ReduceOp.prod, reduce_max: ReduceOp.max, reduce_min: ReduceOp.min,
};

/**
 * A reduction as the module's [outer, n, inner] kernel: in place when the axes form one block, else
 * after moving the reduced axes last on device (kept axes in order), as the eager kernel does, so the
 * sums associate identically — except a full reduction that eager streams in chunks, whose chunk sums
 * are added in f64 in another grouping than one whole row's (the f32 runs of 8 are the same).
 */
function reduceKernel(ctx: WasmContext, eqn: JaxprEqn<ReducePrim>): DeviceKernel | null {
  const x = eqn.inputs[0]!.aval;
  const out = eqn.outBinders[0]!.aval;
  if (!isFloat(x.dtype) || x.dtype !== out.dtype || x.size === 0 || out.size === 0) return null;
  const axes = [...eqn.params.axes].sort((p, q) => p - q);
  if (axes.length === 0) return null;
  const kernel = x.dtype === "float64" ? ctx.k.reduce_f64 : ctx.k.reduce_f32;
  const code = REDUCE_CODES[eqn.prim];
  const [lo, hi] = [axes[0]!, axes.at(-1)!];
  if (hi - lo + 1 === axes.length) {
    const [outer, n, inner] = [prod(x.shape.slice(0, lo)), prod(x.shape.slice(lo, hi + 1)), prod(x.shape.slice(hi + 1))];
    return ([px], [py]) => checkStatus(eqn.prim, kernel(code, px!, outer, n, inner, py!));
  }
  const keep = range(x.ndim).filter((d) => !axes.includes(d));
  const perm = [...keep, ...axes];
  const strides = contiguousStrides(x.shape);
  const move = stridedCopyKernel(ctx, x.dtype, perm.map((d) => x.shape[d]!), perm.map((d) => strides[d]!))!;
  const n = prod(axes.map((d) => x.shape[d]!));
  return ([px], [py]) =>
    withArena(ctx, () => {
      const pt = ctx.arena.alloc(x.size * deviceBytes(x.dtype));
      move([px!], [pt]);
      checkStatus(eqn.prim, kernel(code, pt, x.size / n, n, 1, py!));
    });
}
