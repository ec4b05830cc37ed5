/**
 * Reductions over any axis set and argmax/argmin on the module's [outer, n, inner] kernels. Reduced
 * axes that form one contiguous block are reduced in place; otherwise the module's strided copy
 * first moves them to the end (kept axes in order), as the reference does in JS. Large full reductions
 * stream through a small arena window instead of staging the whole input.
 */
import type { ConcreteArray } from "../../array.js";
import type { DataArray } from "../../dtype.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams, ReducePrim } from "../../primitives.js";
import { ReduceOp, checkStatus, copyBytes } from "@fluxion/kernels-asm";
import { argKernel, reduceIdentity, reduceKernel } from "../reference/reductions.js";
import { allocOut, contiguousStrides, data, wrap } from "../reference/util.js";
import { copyOf } from "../../uninit.js";
import { type WasmContext, copyOut, isFloat, put, view, withArena } from "./context.js";

const CODES: Record<ReducePrim, number> = {
  reduce_sum: ReduceOp.sum, reduce_prod: ReduceOp.prod, reduce_max: ReduceOp.max, reduce_min: ReduceOp.min,
};

/**
 * Elements per chunk of a streamed full reduction (inputs over two chunks stream). Copying
 * a chunk into the arena and folding it while it is still in cache reads memory once; staging the
 * whole array and then reducing it reads it twice (sum of 10^7 f32 in `pnpm bench`: 2.3 ms eager,
 * streamed, against 3.0 jitted, staged) and needs a 256 KiB window, not an arena the size of the
 * input. A multiple of 128 elements, so chunks split the kernel's f32 runs where a whole row would
 * (their f64 partial sums still group per chunk, so a streamed sum can differ from a staged one).
 */
export const STREAM_CHUNK = 1 << 16;

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/**
 * Stage `x` in the arena as a contiguous [outer, n, inner] array reducing `axes` along n: the data as
 * is when the axes are one block, else a copy with the reduced axes moved last (inner = 1).
 */
function stage(ctx: WasmContext, x: ConcreteArray, axes: readonly number[]): { p: number; outer: number; n: number; inner: number } {
  const f64 = x.dtype === "float64";
  const shape = x.shape;
  const sorted = [...axes].sort((a, b) => a - b);
  const n = prod(sorted.map((a) => shape[a]!));
  const px = put(ctx, data(x));
  if (sorted.length === 0) return { p: px, outer: x.size, n: 1, inner: 1 };
  const lo = sorted[0]!;
  const hi = sorted.at(-1)!;
  if (hi - lo + 1 === sorted.length) return { p: px, outer: prod(shape.slice(0, lo)), n, inner: prod(shape.slice(hi + 1)) };
  const keep = shape.map((_, i) => i).filter((i) => !sorted.includes(i));
  const perm = [...keep, ...sorted];
  const strides = contiguousStrides(shape);
  const pShape = ctx.arena.putI32(perm.map((d) => shape[d]!));
  const pStrides = ctx.arena.putI32(perm.map((d) => strides[d]!));
  const pt = ctx.arena.alloc(x.size * (f64 ? 8 : 4));
  const copy = f64 ? ctx.k.copy_strided_x64 : ctx.k.copy_strided_x32;
  checkStatus("reduce (transpose)", copy(shape.length, pShape, px, pStrides, pt));
  return { p: pt, outer: x.size / n, n, inner: 1 };
}

/** op over all of `x`, copied into the arena a chunk at a time and folded into one f64 accumulator. */
function streamFull(ctx: WasmContext, prim: ReducePrim, f64: boolean, x: DataArray): number {
  const acc = ctx.arena.alloc(8);
  const chunk = ctx.arena.alloc(STREAM_CHUNK * (f64 ? 8 : 4));
  ctx.arena.f64(acc, 1)[0] = reduceIdentity(prim);
  const fold = f64 ? ctx.k.reduce_fold_f64 : ctx.k.reduce_fold_f32;
  for (let at = 0; at < x.length; at += STREAM_CHUNK) {
    const part = x.subarray(at, Math.min(at + STREAM_CHUNK, x.length)) as Float32Array | Float64Array;
    copyBytes(view(ctx, f64, chunk, part.length), part);
    checkStatus(prim, fold(CODES[prim], chunk, part.length, acc));
  }
  return ctx.arena.f64(acc, 1)[0]!;
}

/** The wasm kernel for reduction `prim` over `params.axes` (float dtypes; others use the reference). */
export function wasmReduce(ctx: WasmContext, prim: ReducePrim, minSize: number) {
  const ref = reduceKernel(prim);
  const code = CODES[prim];
  return (inputs: readonly ConcreteArray[], params: PrimParams["reduce_sum"], out: ShapedArray): ConcreteArray => {
    const x = inputs[0]!;
    if (x.size < minSize || x.size === 0 || out.size === 0 || !isFloat(out.dtype) || x.dtype !== out.dtype) return ref(inputs, params, out);
    const f64 = out.dtype === "float64";
    if (out.size === 1 && x.size > 2 * STREAM_CHUNK) {
      const v = withArena(ctx, () => streamFull(ctx, prim, f64, data(x)));
      return wrap(f64 ? Float64Array.of(v) : Float32Array.of(v), out);
    }
    const y = withArena(ctx, () => {
      const { p, outer, n, inner } = stage(ctx, x, params.axes);
      const py = ctx.arena.alloc(out.size * (f64 ? 8 : 4));
      checkStatus(prim, (f64 ? ctx.k.reduce_f64 : ctx.k.reduce_f32)(code, p, outer, n, inner, py));
      return copyOf(out.dtype, view(ctx, f64, py, out.size));
    });
    return wrap(y, out);
  };
}

/** The wasm kernel for argmax (isMax) or argmin along `params.axis`. */
export function wasmArgReduce(ctx: WasmContext, isMax: boolean, minSize: number) {
  const ref = argKernel(isMax);
  return (inputs: readonly ConcreteArray[], params: PrimParams["argmax"], out: ShapedArray): ConcreteArray => {
    const x = inputs[0]!;
    const n = x.shape[params.axis] ?? 0;
    if (x.size < minSize || x.size === 0 || n === 0 || !isFloat(x.dtype)) return ref(inputs, params, out);
    const f64 = x.dtype === "float64";
    const y = allocOut(out);
    withArena(ctx, () => {
      const px = put(ctx, data(x));
      const py = ctx.arena.alloc(out.size * 4);
      const outer = prod(x.shape.slice(0, params.axis));
      const inner = prod(x.shape.slice(params.axis + 1));
      (f64 ? ctx.k.argreduce_f64 : ctx.k.argreduce_f32)(isMax ? 1 : 0, px, outer, n, inner, py);
      copyOut(y, ctx.arena.i32(py, out.size));
    });
    return wrap(y, out);
  };
}
