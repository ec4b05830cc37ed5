/**
 * An opt-in pool of worker threads sharing the kernels' memory: the main thread instantiates a
 * threads build (kernels-mt / kernels-relaxed-mt) on one shared `WebAssembly.Memory`, every worker
 * instantiates the same compiled module on that memory, and a large GEMM is split over row blocks of
 * C and a large conv forward over its batch (whole images per thread), the main thread computing one
 * block itself.
 *
 * Calls stay synchronous, like every kernel: the main thread writes the other blocks' tasks into a
 * small shared control block, computes its own, then waits (spinning briefly, then in `Atomics.wait`)
 * until the workers have counted themselves done there. Each worker runs in its own slice of arena
 * scratch reserved by the main thread, so no two instances ever allocate over each other.
 *
 * Lifetime without `dispose`: workers are unref'd (they never keep the process alive) and terminated
 * after `idleMs` without work; the next large call spawns them again, waiting for them synchronously
 * (and running single-threaded if they do not come up). Single-threaded is always correct: problems
 * below `minWork`, or a pool that cannot start, simply run on the main thread.
 *
 * Only Node's worker_threads are wired up (`nodeWorkerHost`). A worker is started with a compiled
 * module, a shared memory and the control block's SharedArrayBuffer, so a Web Worker host can
 * implement `WorkerHost` the same way; in browsers the caller must itself run on a worker, since the
 * main thread may not `Atomics.wait`.
 */
import { ConvGeom, type KernelExports, type KernelMemory, type Ptr, Status, type StatusCode } from "./abi.js";
import { type KernelBuild, type KernelSource, kernelsUrl, loadKernelsModule, preferredBuild } from "./loader.js";
import { sharedMemorySupported } from "./probe.js";
import type { WasmModule } from "./wasm-api.js";
import {
  ARGS_AT, CONTROL_BYTES, DONE, MAX_ARGS, MAX_WORKERS, NODE_WORKER_SOURCE, POOL_FNS, type PoolFn, type PoolWorker, READY, STATUS, TASK,
  type WorkerHost,
} from "./pool-protocol.js";

export type { PoolWorker, WorkerHost, WorkerInit } from "./pool-protocol.js";

type NodeWorker = { postMessage(v: unknown): void; unref(): void; terminate(): Promise<number>; on(ev: string, fn: (...a: unknown[]) => void): void };
type NodeWorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => NodeWorker;

/** Node's worker_threads as a `WorkerHost`; undefined outside Node. */
export async function nodeWorkerHost(): Promise<WorkerHost | undefined> {
  if (typeof process === "undefined" || typeof process.versions?.node !== "string") return undefined;
  const { Worker } = (await import("node:worker_threads")) as unknown as { Worker: NodeWorkerCtor };
  return {
    spawn(init) {
      const w = new Worker(NODE_WORKER_SOURCE, { eval: true, workerData: init });
      // Never keep the process alive for an idle pool.
      w.unref();
      // A failed worker never counts itself ready or done; the main thread's timeouts handle that.
      w.on("error", () => {});
      return { terminate: () => void w.terminate() };
    },
  };
}

/** Options of `createKernelPool`. */
export type PoolOptions = {
  /** Threads in all, the calling thread included (2 = the main thread and one worker). */
  threads: number;
  /** A threads build to load instead of the package's (`preferredBuild({ threads: true })`). */
  source?: KernelSource;
  /** Multiply-adds below which a GEMM or conv runs on the calling thread alone (default 96³). */
  minWork?: number;
  /** Milliseconds without work after which the workers are terminated (default 5000). */
  idleMs?: number;
  /** How to start workers (default: Node's worker_threads). */
  host?: WorkerHost;
  /** Milliseconds to wait for workers to start or finish before giving up (default 10000). */
  timeoutMs?: number;
  /**
   * Milliseconds a worker spins for its next task, and the calling thread for the workers to finish,
   * before sleeping in `Atomics.wait` (default 1; 0 sleeps at once, saving a core's time for ~75 µs
   * more latency per call).
   */
  spinMs?: number;
};

/** Arena scratch per worker is reserved in multiples of this, so consecutive calls reuse memory. */
const ALIGN = 64;
const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** The pool: the main thread's kernels on shared memory, and parallel versions of the large kernels. */
export class KernelPool {
  /** The kernels instantiated on the shared memory for the calling thread: use them (and their arena) for everything. */
  readonly kernels: KernelExports;
  /** Which build runs (relaxed or not, always a threads build). */
  readonly build: KernelBuild | "custom";
  /** Threads in all, the calling thread included. */
  readonly threads: number;
  /** Multiply-adds below which a GEMM or conv stays on the calling thread. */
  readonly minWork: number;
  /** Calls that actually ran on more than one thread (for tests and benchmarks). */
  parallelCalls = 0;

  private readonly module: WasmModule;
  private readonly host: WorkerHost;
  private readonly idleMs: number;
  private readonly timeoutMs: number;
  /** Milliseconds a worker spins for its next task (and the caller for the workers) before sleeping. */
  readonly spinMs: number;
  // Replaced with each generation of workers, so a terminated worker that wakes late never sees a new task.
  private control = new SharedArrayBuffer(CONTROL_BYTES);
  private ctl = new Int32Array(this.control);
  private workers: PoolWorker[] = [];
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(kernels: KernelExports, module: WasmModule, build: KernelBuild | "custom", host: WorkerHost, opts: PoolOptions) {
    this.kernels = kernels;
    this.module = module;
    this.build = build;
    this.host = host;
    this.threads = Math.max(1, Math.min(MAX_WORKERS + 1, Math.floor(opts.threads)));
    this.minWork = opts.minWork ?? 96 * 96 * 96;
    this.idleMs = opts.idleMs ?? 5000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.spinMs = Math.max(0, opts.spinMs ?? 1);
  }

  /**
   * Load a threads build on a fresh shared memory and start the workers; null where WebAssembly SIMD,
   * shared memory or worker threads are unavailable (use the single-threaded kernels then).
   */
  static async create(opts: PoolOptions): Promise<KernelPool | null> {
    if (!sharedMemorySupported()) return null;
    const host = opts.host ?? (await nodeWorkerHost());
    if (!host) return null;
    const build = opts.source === undefined ? preferredBuild({ threads: true }) : "custom";
    const Memory = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => KernelMemory } }).WebAssembly.Memory;
    const memory = new Memory({ initial: 1, maximum: 65536, shared: true });
    const loaded = await loadKernelsModule(opts.source ?? kernelsUrl(build as KernelBuild), { memory });
    if (!loaded) return null;
    const pool = new KernelPool(loaded.kernels, loaded.module, build, host, opts);
    pool.ensureWorkers();
    return pool;
  }

  /** Workers currently running. */
  get liveWorkers(): number {
    return this.workers.length;
  }

  /** Terminate the workers now (they would also go after `idleMs`); the pool stays usable. */
  release(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    // Tell each worker to leave its loop (it may be asleep in Atomics.wait), then terminate it anyway.
    this.workers.forEach((w, slot) => {
      Atomics.store(this.ctl, TASK + 2 * slot + 1, -1);
      Atomics.add(this.ctl, TASK + 2 * slot, 1);
      Atomics.notify(this.ctl, TASK + 2 * slot);
      w.terminate();
    });
    this.workers = [];
  }

  // Start the workers if none are running and wait (blocking) until they are ready; false if they are not.
  private ensureWorkers(): boolean {
    const want = this.threads - 1;
    if (want === 0) return false;
    if (this.workers.length === want) return true;
    this.control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(this.control);
    const memory = this.kernels.memory;
    for (let slot = 0; slot < want; slot++) {
      this.workers.push(this.host.spawn({ module: this.module, memory, control: this.control, slot, fns: POOL_FNS, spinMs: this.spinMs }));
    }
    const deadline = Date.now() + this.timeoutMs;
    for (let ready = Atomics.load(this.ctl, READY); ready < want; ready = Atomics.load(this.ctl, READY)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.release();
        return false;
      }
      Atomics.wait(this.ctl, READY, ready, left);
    }
    return true;
  }

  // (Re)arm the idle timer; unref'd so it never keeps the process alive either.
  private touch(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    const t = setTimeout(() => this.release(), this.idleMs);
    (t as { unref?: () => void }).unref?.();
    this.idleTimer = t;
  }

  /**
   * Run `parts` on the workers (part i on worker i) and `own` on this thread, each worker in `scratch[i]`
   * bytes of arena reserved here; returns the first failing status, or OK. The caller's arena is
   * reset to where it was afterwards.
   */
  private runParallel(fn: PoolFn, parts: number[][], scratch: number[], own: () => StatusCode): StatusCode {
    const arena = this.kernels;
    const mark = arena.arena_mark();
    try {
      const ptrs = scratch.map((bytes) => {
        const p = arena.arena_alloc(alignUp(Math.max(bytes, 1)));
        if (p === 0) throw new RangeError(`${fn}: cannot grow WebAssembly memory for worker scratch`);
        return p;
      });
      const ctl = this.ctl;
      Atomics.store(ctl, DONE, 0);
      parts.forEach((args, slot) => this.post(slot, fn, ptrs[slot]!, args));
      let st = own();
      this.awaitDone(parts.length, fn);
      for (let i = 0; i < parts.length && st === 0; i++) st = Atomics.load(ctl, STATUS + i);
      if (st === -1) throw new Error(`@fluxion/kernels-asm: ${fn} trapped on a worker`);
      this.parallelCalls++;
      return st;
    } finally {
      arena.arena_reset(mark);
      this.touch();
    }
  }

  // Hand worker `slot` a task through its record in the control block, and wake it if it sleeps.
  private post(slot: number, fn: PoolFn, scratch: Ptr, args: number[]): void {
    if (args.length > MAX_ARGS) throw new RangeError(`${fn}: ${args.length} arguments, the pool passes at most ${MAX_ARGS}`);
    const f64 = new Float64Array(this.control, ARGS_AT * 8 + slot * (2 + MAX_ARGS) * 8, 2 + MAX_ARGS);
    f64[0] = scratch;
    f64[1] = args.length;
    f64.set(args, 2);
    Atomics.store(this.ctl, TASK + 2 * slot + 1, POOL_FNS.indexOf(fn));
    // The sequence number last: its atomic store publishes the record written before it.
    Atomics.add(this.ctl, TASK + 2 * slot, 1);
    Atomics.notify(this.ctl, TASK + 2 * slot);
  }

  // Block until `count` workers have counted themselves done: spin for `spinMs`, then sleep; a worker
  // that died or hung past `timeoutMs` drops the pool's workers (fresh ones next time) and throws.
  private awaitDone(count: number, fn: PoolFn): void {
    const ctl = this.ctl;
    const spinUntil = performance.now() + this.spinMs;
    const deadline = Date.now() + this.timeoutMs;
    for (let i = 1, done = Atomics.load(ctl, DONE); done < count; i++, done = Atomics.load(ctl, DONE)) {
      if ((i & 255) !== 0 || performance.now() < spinUntil) continue;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.release();
        throw new Error(`@fluxion/kernels-asm: ${fn} workers did not finish within ${this.timeoutMs} ms`);
      }
      Atomics.wait(ctl, DONE, done, left);
    }
  }

  /**
   * C = A·B + beta·C like `gemm_f32` / `gemm_f64` (same arguments, `f64` picks the width), split over
   * row blocks of C when m·n·k ≥ `minWork`; otherwise, or when workers cannot start, on this thread.
   */
  gemm(f64: boolean, m: number, n: number, k: number, a: Ptr, rsa: number, csa: number, b: Ptr, rsb: number, csb: number, beta: number, c: Ptr, rsc: number, csc: number): StatusCode {
    const fn = f64 ? "gemm_f64" : "gemm_f32";
    const single = () => this.kernels[fn](m, n, k, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
    const MR = 4;
    const blocks = Math.min(this.threads, Math.floor(m / MR));
    if (blocks < 2 || m * n * k < this.minWork || k <= 0 || !this.ensureWorkers()) return single();
    const bytes = f64 ? 8 : 4;
    // Row blocks in whole micro-tiles, as even as possible; the calling thread takes the first.
    const tiles = Math.ceil(m / MR);
    const starts = Array.from({ length: blocks + 1 }, (_, i) => Math.min(m, Math.round((tiles * i) / blocks) * MR));
    const rowsOf = (i: number) => starts[i + 1]! - starts[i]!;
    const args = (i: number) => {
      const r0 = starts[i]!;
      return [rowsOf(i), n, k, a + r0 * rsa * bytes, rsa, csa, b, rsb, csb, beta, c + r0 * rsc * bytes, rsc, csc];
    };
    const parts = Array.from({ length: blocks - 1 }, (_, i) => args(i + 1));
    const scratch = parts.map((p) => this.kernels.gemm_scratch_bytes(p[0]!, n, k, bytes));
    return this.runParallel(fn, parts, scratch, () => this.kernels[fn](...(args(0) as Parameters<KernelExports["gemm_f32"]>)));
  }

  /**
   * y = conv2d(x, w) like `conv2d_forward_f32` / `conv2d_forward_f64` (same arguments: the geometry
   * record at `geom`, `f64` picks the width), split over the batch — each thread convolves a run of
   * whole images, through a copy of the record with its own N and pointers offset by the N strides —
   * when N ≥ 2 and the multiply-adds reach `minWork`; otherwise, or when workers cannot start, on this
   * thread. Every image is computed by exactly the same operations either way.
   */
  conv2d(f64: boolean, geom: Ptr, x: Ptr, w: Ptr, y: Ptr): StatusCode {
    const fn = f64 ? "conv2d_forward_f64" : "conv2d_forward_f32";
    const k = this.kernels;
    const g = Int32Array.from(new Int32Array(k.memory.buffer, geom, ConvGeom.size));
    const n = g[ConvGeom.n]!, groups = g[ConvGeom.groups]!;
    const valid = groups > 0 && g[ConvGeom.c]! % groups === 0 && g[ConvGeom.o]! % groups === 0;
    const work = n * g[ConvGeom.o]! * g[ConvGeom.oh]! * g[ConvGeom.ow]! * (valid ? g[ConvGeom.c]! / groups : 0) * g[ConvGeom.kh]! * g[ConvGeom.kw]!;
    const blocks = Math.min(this.threads, n);
    // Bad geometries go to the kernel itself, which reports them.
    if (blocks < 2 || !valid || work <= 0 || work < this.minWork || !this.ensureWorkers()) return k[fn](geom, x, w, y);
    const bytes = f64 ? 8 : 4;
    const starts = Array.from({ length: blocks + 1 }, (_, i) => Math.round((n * i) / blocks));
    const mark = k.arena_mark();
    try {
      // One geometry record per block (the calling thread's too), differing only in N.
      const recs = starts.slice(0, blocks).map((n0, i) => {
        const p = k.arena_alloc(ConvGeom.size * 4);
        if (p === 0) throw new RangeError(`${fn}: cannot grow WebAssembly memory for the per-thread geometry`);
        const r = new Int32Array(k.memory.buffer, p, ConvGeom.size);
        r.set(g);
        r[ConvGeom.n] = starts[i + 1]! - n0;
        return p;
      });
      const args = (i: number) => [recs[i]!, x + starts[i]! * g[ConvGeom.xsN]! * bytes, w, y + starts[i]! * g[ConvGeom.ysN]! * bytes];
      const parts = Array.from({ length: blocks - 1 }, (_, i) => args(i + 1));
      const scratch = parts.map(() => k.conv2d_scratch_bytes(geom, bytes));
      return this.runParallel(fn, parts, scratch, () => k[fn](...(args(0) as Parameters<KernelExports["conv2d_forward_f32"]>)));
    } finally {
      k.arena_reset(mark);
    }
  }

  /**
   * dw = conv2d's filter gradient like `conv2d_backward_filter_f32` / `_f64` (same arguments), split over
   * output channels — each thread computes a run of whole 4-filter panels with
   * `conv2d_backward_filter_part_f32`, bit for bit what the single-threaded pass gives — when the module
   * can split the geometry (its f32 Winograd pass applies) and the multiply-adds reach `minWork`;
   * otherwise, when a part declines (a non-finite result), or when workers cannot start, the whole pass
   * on this thread.
   */
  conv2dFilter(f64: boolean, geom: Ptr, x: Ptr, dy: Ptr, dw: Ptr): StatusCode {
    const k = this.kernels;
    const whole = () => (f64 ? k.conv2d_backward_filter_f64 : k.conv2d_backward_filter_f32)(geom, x, dy, dw);
    if (f64 || !k.conv2d_backward_filter_splits(geom, 4)) return whole();
    const g = new Int32Array(k.memory.buffer, geom, ConvGeom.size);
    const o = g[ConvGeom.o]!;
    const work = g[ConvGeom.n]! * o * g[ConvGeom.oh]! * g[ConvGeom.ow]! * g[ConvGeom.c]! * 9;
    const panels = Math.ceil(o / 4);
    const blocks = Math.min(this.threads, panels);
    if (blocks < 2 || work < this.minWork || !this.ensureWorkers()) return whole();
    const starts = Array.from({ length: blocks + 1 }, (_, i) => Math.min(o, 4 * Math.round((panels * i) / blocks)));
    const args = (i: number) => [geom, x, dy, dw, starts[i]!, starts[i + 1]!];
    const parts = Array.from({ length: blocks - 1 }, (_, i) => args(i + 1));
    const scratch = parts.map(() => k.conv2d_scratch_bytes(geom, 4));
    const st = this.runParallel("conv2d_backward_filter_part_f32", parts, scratch, () => k.conv2d_backward_filter_part_f32(...(args(0) as Parameters<KernelExports["conv2d_backward_filter_part_f32"]>)));
    // A part that declined (NaN/Inf met, no scratch): the whole pass, which falls back to the direct one as single-threaded.
    return st === Status.unsupported ? whole() : st;
  }
}
