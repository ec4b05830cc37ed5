/** `scaleByLearningRate(lr)`: multiply by −η (a constant or a schedule), the last link of every alias. */
import { type ArrayLike, type NdArray, np } from "@fluxion/core";
import { scale } from "./scale.js";
import { scaleBySchedule, type ScaleByScheduleState } from "./scale-by-schedule.js";
import type { EmptyState, GradientTransformation, ScalarOrSchedule } from "./types.js";
import { nonNegative } from "./validate.js";

/** Options of `scaleByLearningRate`. */
export type ScaleByLearningRateOptions = {
  /** Negate so that `applyUpdates` descends (default true); false gives gradient ascent. */
  flipSign?: boolean;
};

/**
 * Multiply updates by −η (or +η with `flipSign: false`). A number must be finite and ≥ 0; a schedule
 * `(count) → η` is evaluated at the number of previous updates, kept as an int32 count in the state.
 */
export function scaleByLearningRate(learningRate: number, opts?: ScaleByLearningRateOptions): GradientTransformation<EmptyState>;
/** With a schedule, the state counts the updates made. */
export function scaleByLearningRate(learningRate: (count: NdArray) => ArrayLike, opts?: ScaleByLearningRateOptions): GradientTransformation<ScaleByScheduleState>;
/** Either form, when the caller accepts both (the aliases). */
export function scaleByLearningRate(learningRate: ScalarOrSchedule, opts?: ScaleByLearningRateOptions): GradientTransformation<EmptyState> | GradientTransformation<ScaleByScheduleState>;
export function scaleByLearningRate(learningRate: ScalarOrSchedule, opts: ScaleByLearningRateOptions = {}): GradientTransformation<EmptyState> | GradientTransformation<ScaleByScheduleState> {
  const sign = opts.flipSign === false ? 1 : -1;
  if (typeof learningRate === "function") {
    return scaleBySchedule((count: NdArray) => np.multiply(learningRate(count), sign));
  }
  nonNegative("scaleByLearningRate", "learning rate", learningRate);
  return scale(sign * learningRate);
}
