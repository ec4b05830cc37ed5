/**
 * The timing harness: warm-up runs, then repeated timed runs, reporting the median. A hand-rolled
 * harness rather than `benchmark` (benchmark.js): that package is unmaintained since 2017, reports a
 * mean with a relative margin of error rather than a median, and its calibration (≥ 5 s per test by
 * default, cycles of many calls) cannot be fitted to one-second training steps and 30-second epochs
 * inside a 10-minute run on 2 cores.
 */

/** One workload's timed run: a function that finishes only when its result is computed. */
export type Thunk = () => unknown;

/** The samples and their median, in milliseconds. */
export type Timing = { samplesMs: number[]; medianMs: number; minMs: number };

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Run `fn` untimed `warmup` times and for at least `warmupMs` (when `warmup` > 0), then up to `reps`
 * times timed (at least `minReps`, stopping once `maxMs` is spent).
 */
export async function measure(
  fn: Thunk,
  opts: { warmup: number; warmupMs?: number; reps: number; minReps: number; maxMs: number },
): Promise<Timing> {
  const warmStart = performance.now();
  for (let i = 0; i < opts.warmup || (opts.warmup > 0 && performance.now() - warmStart < (opts.warmupMs ?? 0)); i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < opts.reps && (samples.length < opts.minReps || performance.now() - start < opts.maxMs)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { samplesMs: samples, medianMs: median(samples), minMs: Math.min(...samples) };
}
