/**
 * Learning-rate schedules: pure functions of the step count written with `np` ops, so the same
 * function runs on a JS number (`schedule(10).item()`) and on the traced int32 count inside `jit`.
 * Definitions follow Optax's `schedule` module.
 */
import { type ArrayLike, type NdArray, np } from "@fluxion/core";
import type { Schedule } from "./types.js";
import { finite, integer, nonNegative, positive, unitInterval } from "./validate.js";

/** The step as a float32 array (JS numbers and int32 counts alike). */
function stepOf(count: ArrayLike): NdArray {
  return np.astype(np.asArray(count), "float32");
}

/** Always `value`. */
export function constant(value: number): Schedule {
  finite("constant", "value", value);
  return (count) => np.fullLike(stepOf(count), value);
}

/** Options of `exponentialDecay`. */
export type ExponentialDecayOptions = {
  /** Steps before decay starts (held at `initValue` until then; default 0). */
  transitionBegin?: number;
  /** Decay in discrete jumps every `transitionSteps` (floor of the exponent; default false). */
  staircase?: boolean;
  /** Bound the value: a floor when decaying (rate < 1), a ceiling when growing. */
  endValue?: number;
};

/**
 * η₀ · rate^((t − begin)/transitionSteps), the exponent floored with `staircase`; held at η₀ before
 * `transitionBegin` and clipped at `endValue` if given.
 */
export function exponentialDecay(initValue: number, transitionSteps: number, decayRate: number, opts: ExponentialDecayOptions = {}): Schedule {
  const fn = "exponentialDecay";
  finite(fn, "initValue", initValue);
  integer(fn, "transitionSteps", transitionSteps, 1);
  positive(fn, "decayRate", decayRate);
  const begin = integer(fn, "transitionBegin", opts.transitionBegin ?? 0, 0);
  const end = opts.endValue === undefined ? undefined : finite(fn, "endValue", opts.endValue);
  return (count) => {
    const t = np.subtract(stepOf(count), begin);
    let p = np.divide(t, transitionSteps);
    if (opts.staircase) p = np.floor(p);
    let v = np.multiply(initValue, np.power(decayRate, p));
    if (begin > 0) v = np.where(np.lessEqual(t, 0), initValue, v);
    if (end !== undefined) v = decayRate < 1 ? np.maximum(v, end) : np.minimum(v, end);
    return v;
  };
}

/**
 * η₀ times the product of every `scales[b]` whose boundary b < t (strictly, as Optax: the new value
 * takes effect on the step after the boundary). Boundaries are integer step counts ≥ 0.
 */
export function piecewiseConstant(initValue: number, boundariesAndScales: Readonly<Record<number, number>> = {}): Schedule {
  const fn = "piecewiseConstant";
  finite(fn, "initValue", initValue);
  const pairs = Object.entries(boundariesAndScales).map(([b, s]) => [integer(fn, "boundary", Number(b), 0), nonNegative(fn, `scale at boundary ${b}`, s)] as const);
  pairs.sort((a, b) => a[0] - b[0]);
  return (count) => {
    const t = stepOf(count);
    let v = np.fullLike(t, initValue);
    for (const [b, s] of pairs) v = np.where(np.greater(t, b), np.multiply(v, s), v);
    return v;
  };
}

/** Options of `cosineDecay`. */
export type CosineDecayOptions = {
  /** Final value as a fraction of `initValue`, in [0, 1] (default 0). */
  alpha?: number;
  /** Power applied to the cosine factor (default 1). */
  exponent?: number;
};

/** η₀ · ((1 − α) · ½(1 + cos(π · min(t, T)/T))^p + α): a half cosine from η₀ down to αη₀ over T steps, then flat. */
export function cosineDecay(initValue: number, decaySteps: number, opts: CosineDecayOptions = {}): Schedule {
  const fn = "cosineDecay";
  finite(fn, "initValue", initValue);
  integer(fn, "decaySteps", decaySteps, 1);
  const alpha = unitInterval(fn, "alpha", opts.alpha ?? 0);
  const exponent = positive(fn, "exponent", opts.exponent ?? 1);
  return (count) => {
    const t = np.minimum(stepOf(count), decaySteps);
    const cosine = np.multiply(0.5, np.add(1, np.cos(np.multiply(t, Math.PI / decaySteps))));
    return np.multiply(initValue, np.add(np.multiply(np.power(cosine, exponent), 1 - alpha), alpha));
  };
}

/** Options of `linearSchedule`. */
export type LinearScheduleOptions = {
  /** Steps held at `initValue` before the ramp starts (default 0). */
  transitionBegin?: number;
};

/** Linear interpolation from `initValue` to `endValue` over `transitionSteps` steps (after `transitionBegin`), then `endValue`. */
export function linearSchedule(initValue: number, endValue: number, transitionSteps: number, opts: LinearScheduleOptions = {}): Schedule {
  const fn = "linearSchedule";
  finite(fn, "initValue", initValue);
  finite(fn, "endValue", endValue);
  integer(fn, "transitionSteps", transitionSteps, 1);
  const begin = integer(fn, "transitionBegin", opts.transitionBegin ?? 0, 0);
  return (count) => {
    const t = np.clip(np.subtract(stepOf(count), begin), 0, transitionSteps);
    return np.add(np.multiply(initValue - endValue, np.subtract(1, np.divide(t, transitionSteps))), endValue);
  };
}

/**
 * Run `schedules[0]` until `boundaries[0]`, then `schedules[1]` restarted at step 0, and so on
 * (`schedules.length` = `boundaries.length` + 1; boundaries are increasing integer steps).
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const fn = "joinSchedules";
  if (schedules.length === 0 || schedules.length !== boundaries.length + 1) {
    throw new RangeError(`${fn}: need one more schedule than boundaries, got ${schedules.length} schedules and ${boundaries.length} boundaries`);
  }
  boundaries.forEach((b, i) => {
    integer(fn, "boundary", b, 0);
    if (i > 0 && b < boundaries[i - 1]!) throw new RangeError(`${fn}: boundaries must be non-decreasing, got ${JSON.stringify(boundaries)}`);
  });
  return (count) => {
    const t = stepOf(count);
    let v = np.asArray(schedules[0]!(t));
    boundaries.forEach((b, i) => {
      v = np.where(np.less(t, b), v, schedules[i + 1]!(np.subtract(t, b)));
    });
    return v;
  };
}

/** Options of `warmupCosineDecay`. */
export type WarmupCosineDecayOptions = {
  /** Value reached at `decaySteps` and kept after (default 0). */
  endValue?: number;
  /** Power applied to the cosine factor (default 1). */
  exponent?: number;
};

/**
 * Linear warm-up from `initValue` to `peakValue` over `warmupSteps`, then a cosine decay to `endValue`
 * ending at step `decaySteps` (which counts the warm-up, as Optax).
 */
export function warmupCosineDecay(initValue: number, peakValue: number, warmupSteps: number, decaySteps: number, opts: WarmupCosineDecayOptions = {}): Schedule {
  const fn = "warmupCosineDecay";
  finite(fn, "initValue", initValue);
  finite(fn, "peakValue", peakValue);
  integer(fn, "warmupSteps", warmupSteps, 0);
  integer(fn, "decaySteps", decaySteps, warmupSteps + 1);
  const endValue = finite(fn, "endValue", opts.endValue ?? 0);
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`${fn}: endValue must lie between 0 and peakValue, got endValue ${endValue} with peakValue ${peakValue}`);
  const decay = cosineDecay(peakValue, decaySteps - warmupSteps, { alpha, exponent: opts.exponent ?? 1 });
  // Zero warm-up steps means no ramp at all (a 0-step linear schedule is undefined).
  if (warmupSteps === 0) return decay;
  return joinSchedules([linearSchedule(initValue, peakValue, warmupSteps), decay], [warmupSteps]);
}
