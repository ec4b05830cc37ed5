/** `earlyStopping`: stop training when a validation metric has not improved for `patience` checks. */
import { NdArray } from "@fluxion/core";
import { integer, nonNegative } from "./validate.js";

/** Options of `earlyStopping`. */
export type EarlyStoppingOptions = {
  /** Stop after this many consecutive checks without improvement (an integer ≥ 1, as Keras and Lightning count). */
  patience: number;
  /** An improvement must beat the best value by more than this (default 0). */
  minDelta?: number;
  /** "min" for losses (default), "max" for accuracies. */
  mode?: "min" | "max";
};

/** Early-stopping state: plain data, threaded by the caller like optimiser state. */
export type EarlyStoppingState = {
  /** Best metric seen so far (±Infinity before the first check). */
  readonly best: number;
  /** Index of the check that produced `best` (−1 before the first). */
  readonly bestStep: number;
  /** Number of checks made. */
  readonly step: number;
  /** Consecutive checks without improvement. */
  readonly wait: number;
  /** Whether the last check improved on the best (e.g. save a checkpoint). */
  readonly improved: boolean;
  /** Whether training should stop. */
  readonly shouldStop: boolean;
};

/** An early-stopping rule as pure `init()` and `update(state, metric) → state`. */
export type EarlyStopping = {
  /** State before the first check. */
  init(): EarlyStoppingState;
  /** Record one validation `metric` (a number or a scalar array, read eagerly outside jit). */
  update(state: EarlyStoppingState, metric: number | NdArray): EarlyStoppingState;
};

/**
 * A metric improves when it beats the best by more than `minDelta` (lower for "min", higher for
 * "max"); after `patience` consecutive checks without improvement `shouldStop` becomes true and
 * stays true. NaN never improves.
 */
export function earlyStopping(opts: EarlyStoppingOptions): EarlyStopping {
  const fn = "earlyStopping";
  const patience = integer(fn, "patience", opts.patience, 1);
  const minDelta = nonNegative(fn, "minDelta", opts.minDelta ?? 0);
  const mode = opts.mode ?? "min";
  if (mode !== "min" && mode !== "max") throw new RangeError(`${fn}: mode must be "min" or "max", got ${JSON.stringify(mode)}`);
  const sign = mode === "min" ? 1 : -1;
  return {
    init: () => ({ best: sign * Infinity, bestStep: -1, step: 0, wait: 0, improved: false, shouldStop: false }),
    update: (state, metric) => {
      const m = metric instanceof NdArray ? Number(metric.item()) : metric;
      if (typeof m !== "number") throw new TypeError(`${fn}: metric must be a number or a scalar array, got ${typeof m}`);
      const improved = sign * (state.best - m) > minDelta || (state.bestStep < 0 && !Number.isNaN(m));
      if (improved) return { best: m, bestStep: state.step, step: state.step + 1, wait: 0, improved: true, shouldStop: state.shouldStop };
      const wait = state.wait + 1;
      return { ...state, step: state.step + 1, wait, improved: false, shouldStop: state.shouldStop || wait >= patience };
    },
  };
}
