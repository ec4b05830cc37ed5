/**
 * The wasm backend: @fluxion/kernels-asm kernels for dot_general, 2-D convolution, float elementwise
 * ops, reductions, argmax/argmin, 2-d pooling windows and max/min pooling's adjoint, each above a
 * measured size threshold; select_n, comparisons and boolean logic as one-instruction programs of the
 * block interpreter, which also runs jit's fused elementwise groups. Every other primitive (and
 * anything a wasm kernel declines) runs on the JS reference kernels.
 */
import { KernelPool, loadKernels, type KernelSource } from "@fluxion/kernels-asm";
import type { Backend, KernelTable } from "../backend.js";
import { primeHostHeap } from "../host-heap.js";
import { type WasmContext, wasmContext } from "./context.js";
import { wasmConv } from "./conv.js";
import { wasmDotGeneral } from "./dot.js";
import { wasmFusedCompiler } from "./fused.js";
import { wasmDevice } from "./device.js";
import { PROGRAM_KERNEL_PRIMS, programKernel } from "./program-kernels.js";
import { WASM_BINARY, WASM_UNARY, type WasmBinaryPrim, type WasmUnaryPrim, wasmBinary, wasmUnary } from "./elementwise.js";
import { wasmSelectAndScatterAdd, wasmReduceWindow } from "./pool.js";
import { wasmArgReduce, wasmReduce } from "./reduce.js";
import { DEFAULT_THRESHOLDS, type WasmThresholds } from "./thresholds.js";

export { DEFAULT_THRESHOLDS, type WasmThresholds } from "./thresholds.js";

/** Options of `wasmBackend`. */
export type WasmBackendOptions = {
  /** Where to load kernels.wasm from (default: the package's build). */
  source?: KernelSource;
  /** One threshold for every kernel, overriding the measured defaults (0 forces wasm everywhere, for tests). */
  minWork?: number;
  /** Per-kernel thresholds (units in `WasmThresholds`); `minWork`, when given, takes precedence. */
  thresholds?: Partial<WasmThresholds>;
  /**
   * Threads for large GEMMs (dot_general, the im2col convs' GEMMs), large direct convs (split over
   * the batch) and large Winograd filter gradients (split over output channels), the calling thread included:
   * 2 or more loads the shared-memory build and starts `threads − 1` worker threads (unref'd, ended
   * after `idleMs` idle, restarted on demand). Default 1: single-threaded, which is also what runs
   * wherever shared memory or workers are unavailable. Node only for now. Elementwise ops and
   * programs on host arrays, reductions and pooling then run on a second, unshared module, so their
   * temporaries never grow the shared memory.
   */
  threads?: number;
  /** With `threads`: a threads build to load instead of the package's (`source` is the single-threaded one). */
  threadsSource?: KernelSource;
  /** With `threads`: multiply-adds below which a GEMM or conv stays on the calling thread (default 96³). */
  threadMinWork?: number;
  /** Fuse jit's elementwise chains into programs for the module's block interpreter (default true; false keeps generated JS loops). */
  fusion?: boolean;
  /** Keep jit plans' intermediates in wasm memory, laid out ahead of time (default true; false copies around every kernel as eager ops do). */
  arena?: boolean;
  /** With `threads`: milliseconds without work after which the workers are terminated (default 5000). */
  idleMs?: number;
  /** With `threads`: milliseconds a worker spins for its next task before sleeping (default 1; 0 saves a core's time for ~75 µs per call). */
  threadSpinMs?: number;
  /**
   * Raise glibc's dynamic mmap/trim thresholds once per process so that large results reuse freed
   * heap memory instead of page-faulting fresh pages on every call (default true; see `primeHostHeap`).
   */
  primeHeap?: boolean;
};

// The worker pool behind each threaded backend (for tests and benchmarks to inspect).
const pools = new WeakMap<Backend, KernelPool>();

// The arena behind each wasm backend (for tests and benchmarks to inspect).
const arenas = new WeakMap<Backend, WasmContext>();

/** The wasm memory a backend's kernels use: its size in bytes and the arena's current top (both flat between calls when nothing leaks). */
export function wasmMemoryOf(backend: Backend): { bytes: number; top: number } | undefined {
  const ctx = arenas.get(backend);
  return ctx && { bytes: ctx.k.memory.buffer.byteLength, top: ctx.arena.mark() };
}

/** The worker pool a `wasmBackend({ threads })` runs its large GEMMs on; undefined when single-threaded. */
export function threadPoolOf(backend: Backend): KernelPool | undefined {
  return pools.get(backend);
}

/**
 * Load the kernels and build the backend; null where WebAssembly SIMD is unavailable (keep the
 * reference backend then). Use it with `setBackend(await wasmBackend() ?? referenceBackend)`.
 */
export async function wasmBackend(opts: WasmBackendOptions = {}): Promise<Backend | null> {
  const threads = Math.floor(opts.threads ?? 1);
  if (opts.primeHeap !== false) primeHostHeap();
  const pool = threads > 1
    ? await KernelPool.create({ threads, source: opts.threadsSource, minWork: opts.threadMinWork, idleMs: opts.idleMs, spinMs: opts.threadSpinMs })
    : null;
  const k = pool ? pool.kernels : await loadKernels(opts.source);
  if (!k) return null;
  const ctx = wasmContext(k, pool ?? undefined);
  // Work the pool never splits (elementwise ops and programs on host arrays, reductions, pooling) runs
  // on a second, unshared module. A shared memory never shrinks, and staging whole operands of eager
  // elementwise ops there would grow it to the largest of them. The block interpreter also copies
  // 4 KiB blocks with TypedArray.set, which V8 does slower into shared memory (4× at 256 KB; copyBytes' Buffer
  // wrapper would cost about what it saves on blocks that small).
  const plain = pool ? await loadKernels(opts.source) : null;
  const host = plain ? wasmContext(plain) : ctx;
  const t: WasmThresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  if (opts.minWork !== undefined) for (const key of Object.keys(t) as (keyof WasmThresholds)[]) t[key] = opts.minWork;
  const kernels: Partial<KernelTable> = {
    dot_general: wasmDotGeneral(ctx, t.dot),
    conv_general_dilated: wasmConv(ctx, t.conv),
    reduce_sum: wasmReduce(host, "reduce_sum", t.reduce),
    reduce_max: wasmReduce(host, "reduce_max", t.reduce),
    reduce_min: wasmReduce(host, "reduce_min", t.reduce),
    reduce_prod: wasmReduce(host, "reduce_prod", t.reduce),
    argmax: wasmArgReduce(host, true, t.reduce),
    argmin: wasmArgReduce(host, false, t.reduce),
    reduce_window: wasmReduceWindow(host, t.pool),
    select_and_scatter_add: wasmSelectAndScatterAdd(host, t.pool),
  };
  const used = (cls: "cheap" | "math") => (cls === "cheap" ? t.elementwiseCheap : t.elementwiseMath) !== Infinity;
  for (const prim of Object.keys(WASM_UNARY) as WasmUnaryPrim[]) if (used(WASM_UNARY[prim])) kernels[prim] = wasmUnary(host, prim, t);
  for (const prim of Object.keys(WASM_BINARY) as WasmBinaryPrim[]) if (used(WASM_BINARY[prim])) kernels[prim] = wasmBinary(host, prim, t);
  if (t.reduce === Infinity) for (const p of ["reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "argmax", "argmin"] as const) delete kernels[p];
  if (t.pool === Infinity) for (const p of ["reduce_window", "select_and_scatter_add"] as const) delete kernels[p];
  const fuse = wasmFusedCompiler(ctx, t, host);
  // select_n, comparisons, boolean logic and bool conversions: one-instruction programs.
  if (used("cheap")) for (const prim of PROGRAM_KERNEL_PRIMS) (kernels as Record<string, unknown>)[prim] = programKernel(fuse, prim);
  const backend: Backend = {
    name: "wasm", kernels,
    ...(opts.fusion === false ? {} : { fuse }),
    ...(opts.arena === false ? {} : { device: wasmDevice(ctx, t, fuse) }),
  };
  if (pool) pools.set(backend, pool);
  arenas.set(backend, ctx);
  return backend;
}
