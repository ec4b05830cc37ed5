/** `scaleBySchedule(schedule)`: multiply updates by a schedule of the step count kept in state. */
import { type NdArray, np, tree } from "@fluxion/core";
import { safeIncrement, zeroCount } from "./count.js";
import { leafArray, sameDtype } from "./tree-util.js";
import type { GradientTransformation } from "./types.js";

/** State of `scaleBySchedule`: how many updates have been made (int32 scalar). */
export type ScaleByScheduleState = { count: NdArray };

/**
 * Multiply updates by `schedule(count)`, where count is the number of previous updates (the first
 * update uses `schedule(0)`), then increment the count.
 */
export function scaleBySchedule(schedule: (count: NdArray) => NdArray | number): GradientTransformation<ScaleByScheduleState> {
  if (typeof schedule !== "function") throw new TypeError(`scaleBySchedule: schedule must be a function of the step count, got ${typeof schedule}`);
  return {
    init: () => ({ count: zeroCount() }),
    update: (updates, state) => {
      const step = np.asArray(schedule(state.count));
      const out = tree.map<typeof updates>((u) => sameDtype(np.multiply(leafArray(u), step), u), updates);
      return [out, { count: safeIncrement(state.count) }];
    },
  };
}
