/**
 * Sizes below which a primitive stays on the JS reference kernel: staging operands in and out of the
 * arena costs a few microseconds, so small problems are faster in plain loops. Each default is the
 * measured crossover on the development machine (Node 20, 2-core x64, eager ops including dispatch),
 * rounded up: cheap elementwise ops ~128–256 elements, transcendentals ~64–128, reductions ~512–1024,
 * pooling windows ~32–64.
 */

/**
 * Per-kernel thresholds, in the unit each names. Infinity leaves the primitives out of the backend's
 * table altogether, which matters under jit: the planner fuses transcendental ops into JS loops only
 * when the backend has no kernel for them (jit/scalar-code.ts `isFusible`).
 */
export type WasmThresholds = {
  /** dot_general: multiply-adds M·N·K. */
  dot: number;
  /** conv_general_dilated: multiply-adds. */
  conv: number;
  /** Cheap elementwise ops (neg, abs, sign, floor, ceil, round, add, sub, mul, div, max, min): elements. */
  elementwiseCheap: number;
  /** Transcendental and scalar-libm elementwise ops (exp, log, tanh, sqrt, pow, …): elements. */
  elementwiseMath: number;
  /** reduce_sum/max/min/prod and argmax/argmin: input elements. */
  reduce: number;
  /** reduce_window and select_and_scatter_add mapped to the pooling kernels: input elements. */
  pool: number;
};

/** Measured defaults. */
export const DEFAULT_THRESHOLDS: WasmThresholds = {
  dot: 16 * 16 * 16,
  conv: 32 * 32 * 32,
  elementwiseCheap: 512,
  elementwiseMath: 256,
  reduce: 1024,
  pool: 64,
};
