/**
 * The worker pool's protocol: the layout of the shared control block through which the calling
 * thread hands tasks to its workers, and the program each Node worker runs.
 */
import type { KernelMemory } from "./abi.js";
import type { WasmModule } from "./wasm-api.js";

/** The kernels a worker can be asked to run, by index in its task record. */
export const POOL_FNS = ["gemm_f32", "gemm_f64", "conv2d_forward_f32", "conv2d_forward_f64", "conv2d_backward_filter_part_f32"] as const;
/** The name of a kernel the pool can hand to a worker. */
export type PoolFn = (typeof POOL_FNS)[number];

/**
 * What a worker is given at start: the module to instantiate, the memory it shares, the control
 * block, its slot, the kernels it may run and how long it spins for the next task before sleeping.
 */
export type WorkerInit = { module: WasmModule; memory: KernelMemory; control: SharedArrayBuffer; slot: number; fns: readonly string[]; spinMs: number };

/** A started worker, as the pool uses it (tasks reach it through the control block, not messages). */
export type PoolWorker = { terminate(): void };

/** Starts workers on some platform (Node's worker_threads; Web Workers can implement the same). */
export type WorkerHost = { spawn(init: WorkerInit): PoolWorker };

// The control block, one SharedArrayBuffer per generation of workers. As Int32: workers ready, tasks
// done, one status per worker, then per worker its task sequence number and kernel index (−1: exit).
// As Float64, from ARGS_AT: per worker the arena scratch pointer, the argument count, the arguments.

/** Int32 index of the count of workers that have started. */
export const READY = 0;
/** Int32 index of the count of workers that have finished the current call. */
export const DONE = 1;
/** Int32 index of worker 0's status (worker i's at STATUS + i). */
export const STATUS = 2;
/** Workers a control block has room for. */
export const MAX_WORKERS = 63;
/** Int32 index of worker 0's task sequence number (worker i's at TASK + 2i; its kernel index next to it). */
export const TASK = STATUS + MAX_WORKERS;
/** Float64 index of worker 0's argument record (scratch pointer, argument count, arguments). */
export const ARGS_AT = (TASK + 2 * MAX_WORKERS + 1) >> 1;
/** Arguments a task can carry. */
export const MAX_ARGS = 16;
/** Size of a control block in bytes. */
export const CONTROL_BYTES = 8 * (ARGS_AT + MAX_WORKERS * (2 + MAX_ARGS));

/**
 * The worker's whole program (CommonJS, evaluated by worker_threads): instantiate, count itself ready,
 * then loop: spin on its task sequence number for `spinMs`, then sleep in `Atomics.wait`; run each new
 * task, store its status and count it done. A trap becomes status -1.
 *
 * Why not postMessage: a message to a worker and the futex wake back cost ~75 µs round trip on a 2-vCPU
 * VM, an eighth of a 256³ GEMM's half; spinning callers see ~1 µs. Spinning briefly after a task is
 * what OpenMP runtimes do too (they default to far longer waits).
 */
export const NODE_WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, slot, fns, spinMs } = workerData;
const ctl = new Int32Array(control);
const f64 = new Float64Array(control, ${ARGS_AT * 8} + slot * ${(2 + MAX_ARGS) * 8}, ${2 + MAX_ARGS});
const seqAt = ${TASK} + 2 * slot;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const calls = fns.map((f) => k[f]);
let seen = Atomics.load(ctl, seqAt);
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  let seq = Atomics.load(ctl, seqAt);
  const until = performance.now() + spinMs;
  for (let i = 1; seq === seen; i++) {
    if ((i & 255) === 0 && performance.now() > until) Atomics.wait(ctl, seqAt, seen);
    seq = Atomics.load(ctl, seqAt);
  }
  seen = seq;
  const fn = Atomics.load(ctl, seqAt + 1);
  if (fn < 0) break;
  let st = -1;
  try {
    k.arena_reset(f64[0]);
    st = calls[fn](...f64.subarray(2, 2 + f64[1]));
  } catch {
    st = -1;
  }
  Atomics.store(ctl, ${STATUS} + slot, st);
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;
