/** The loaded kernels and their arena: the only place in core that knows what a pointer is. */
import { Arena, type KernelExports, copyBytes, type KernelPool, type Ptr, type StatusCode } from "@fluxion/kernels-asm";
import type { DataArray } from "../../dtype.js";

/** Kernels plus the arena that stages their operands, and the worker pool when threads were asked for. */
export type WasmContext = { readonly k: KernelExports; readonly arena: Arena; readonly pool?: KernelPool };

/** Create the context for loaded kernels (with a pool: its shared-memory kernels). */
export function wasmContext(k: KernelExports, pool?: KernelPool): WasmContext {
  return pool ? { k: pool.kernels, arena: new Arena(pool.kernels), pool } : { k, arena: new Arena(k) };
}

/** C = A·B + beta·C on the kernels: split over the pool's threads when there is a pool and the product is large. */
export function gemm(ctx: WasmContext, f64: boolean, m: number, n: number, k: number, a: Ptr, rsa: number, csa: number, b: Ptr, rsb: number, csb: number, beta: number, c: Ptr, rsc: number, csc: number): StatusCode {
  if (ctx.pool) return ctx.pool.gemm(f64, m, n, k, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
  return (f64 ? ctx.k.gemm_f64 : ctx.k.gemm_f32)(m, n, k, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
}

/** y = conv2d(x, w) forward through the geometry record at `geom`: split over the batch on the pool's threads when there is a pool and the conv is large. */
export function conv2dForward(ctx: WasmContext, f64: boolean, geom: Ptr, x: Ptr, w: Ptr, y: Ptr): StatusCode {
  if (ctx.pool) return ctx.pool.conv2d(f64, geom, x, w, y);
  return (f64 ? ctx.k.conv2d_forward_f64 : ctx.k.conv2d_forward_f32)(geom, x, w, y);
}

/** dw = conv2d's filter gradient through the geometry record at `geom`: split over output channels on the pool's threads when there is a pool and the module can split it. */
export function conv2dFilter(ctx: WasmContext, f64: boolean, geom: Ptr, x: Ptr, dy: Ptr, dw: Ptr): StatusCode {
  if (ctx.pool) return ctx.pool.conv2dFilter(f64, geom, x, dy, dw);
  return (f64 ? ctx.k.conv2d_backward_filter_f64 : ctx.k.conv2d_backward_filter_f32)(geom, x, dy, dw);
}

/** Run `fn` with an arena mark, resetting the arena however `fn` exits (inputs in, outputs copied out). */
export function withArena<T>(ctx: WasmContext, fn: () => T): T {
  const mark = ctx.arena.mark();
  try {
    return fn();
  } finally {
    ctx.arena.reset(mark);
  }
}

/** A view of `length` elements of the arena at byte offset `ptr` (never kept across kernel calls: memory may grow). */
export function view(ctx: WasmContext, f64: boolean, ptr: number, length: number): Float32Array | Float64Array {
  return f64 ? ctx.arena.f64(ptr, length) : ctx.arena.f32(ptr, length);
}

/**
 * Copy an arena view into host array `y` of the same length: a byte copy when the element types
 * match (fast on a pool's shared memory too, see kernels-asm's copyBytes), else converting (f64 → f32).
 */
export function copyOut(y: DataArray, src: Float32Array | Float64Array | Int32Array): void {
  if (y.constructor === src.constructor) copyBytes(y, src);
  else y.set(src);
}

/** Copy `data` into the arena; returns its pointer. */
export function put(ctx: WasmContext, data: DataArray): number {
  return ctx.arena.put(data as Float32Array | Float64Array);
}

/** Copy float data of either width into fresh arena memory as f64 (exact: f32 ⊂ f64); returns its pointer. */
export function putAsF64(ctx: WasmContext, data: DataArray): number {
  const p = ctx.arena.alloc(data.length * 8);
  ctx.arena.f64(p, data.length).set(data);
  return p;
}

/** True for the float dtypes the kernels take. */
export const isFloat = (dtype: string): boolean => dtype === "float32" || dtype === "float64";
