/** The workloads every system runs: sizes, repetitions and how a time becomes the reported figure. */

/** What a workload computes; each system maps a kind to its own implementation. */
export type WorkloadKind = "gemm" | "conv" | "tanh" | "sum" | "chain" | "mlpStep" | "cnnStep" | "mlpEpoch" | "cnnEpoch";

/** One benchmark: an id, its parameters, and the sampling budget (slow ones get fewer runs). */
export type Workload = {
  id: string;
  label: string;
  kind: WorkloadKind;
  /** Kind-specific sizes (n for GEMM; batch/channels/size for conv; elements for tanh/sum). */
  size: Record<string, number>;
  /** Untimed runs first: jit compilation, WASM tier-up (V8 runs new wasm code in its baseline tier until it is hot), allocator warm-up. */
  warmup: number;
  /**
   * Keep warming up for at least this long (when `warmup` > 0). A process's heap grows for its first
   * tens of megabytes of results: until the first GC frees some, every new result is fresh pages from
   * the kernel (a 256 KB GEMM result faults 64 pages, ≈ 0.8 ms on this VM, as long as the GEMM itself).
   * Ten calls of a small workload end long before that; steady state is what a training loop sees.
   */
  warmupMs?: number;
  /** Timed runs wanted; sampling stops early once `maxMs` is spent and at least `minReps` ran. */
  reps: number;
  minReps: number;
  maxMs: number;
  /** Floating-point operations of one run, for a GFLOP/s column (GEMM only). */
  flops?: number;
};

/** The warm-up floor of every workload that warms up (see `Workload.warmupMs`). */
const WARM_MS = 500;

const gemm = (n: number): Workload => ({
  id: `gemm${n}`, label: `GEMM ${n}³`, kind: "gemm", size: { n },
  warmup: n >= 1024 ? 3 : 10, warmupMs: WARM_MS, reps: n >= 1024 ? 7 : 25, minReps: 3, maxMs: 4000, flops: 2 * n ** 3,
});

const conv = (batch: number, cin: number, hw: number, cout: number): Workload => ({
  id: `conv${batch}x${cin}x${hw}x${hw}to${cout}`, label: `conv ${batch}×${cin}×${hw}×${hw}→${cout} (3×3)`, kind: "conv",
  size: { batch, cin, hw, cout, k: 3 }, warmup: 10, warmupMs: WARM_MS, reps: 20, minReps: 3, maxMs: 4000,
});

/** The suite, in table order. Epoch workloads use 8,000 synthetic digits like the examples' training split. */
export const workloads: readonly Workload[] = [
  ...[64, 128, 256, 512, 1024].map(gemm),
  conv(32, 1, 28, 32),
  conv(32, 32, 14, 64),
  { id: "tanh1e6", label: "tanh(x·y+1), 1e6", kind: "tanh", size: { n: 1e6 }, warmup: 3, warmupMs: WARM_MS, reps: 20, minReps: 3, maxMs: 4000 },
  { id: "sum1e7", label: "sum, 1e7", kind: "sum", size: { n: 1e7 }, warmup: 3, warmupMs: WARM_MS, reps: 20, minReps: 3, maxMs: 4000 },
  // 100 rounds of y = min(max(y·1.01 + 0.01, −3), 3): what jit's fusion is for (issue 4's 400-op chain).
  { id: "chain400", label: "400-op elementwise chain (mul, add, max, min), 1e6", kind: "chain", size: { n: 1e6, rounds: 100 }, warmup: 2, warmupMs: WARM_MS, reps: 10, minReps: 2, maxMs: 8000 },
  { id: "mlpStep", label: "MLP 784-256-128-10 SGD step, batch 128", kind: "mlpStep", size: { batch: 128 }, warmup: 3, warmupMs: WARM_MS, reps: 20, minReps: 3, maxMs: 6000 },
  { id: "cnnStep", label: "CNN conv32-pool-conv64-pool-dense10 SGD step, batch 64", kind: "cnnStep", size: { batch: 64 }, warmup: 2, warmupMs: WARM_MS, reps: 10, minReps: 1, maxMs: 8000 },
  { id: "mlpEpoch", label: "MNIST MLP epoch (examples model, Adam, 8,000 × batch 128)", kind: "mlpEpoch", size: { n: 8000, batch: 128 }, warmup: 0, reps: 3, minReps: 1, maxMs: 20000 },
  { id: "cnnEpoch", label: "MNIST CNN epoch (examples model, Adam, 8,000 × batch 64)", kind: "cnnEpoch", size: { n: 8000, batch: 64 }, warmup: 0, reps: 2, minReps: 1, maxMs: 40000 },
];
