import { describe, expect, it } from "vitest";
import { jit, np, type NdArray } from "@fluxion/core";
import { constant, cosineDecay, exponentialDecay, joinSchedules, linearSchedule, piecewiseConstant, warmupCosineDecay, type Schedule } from "../src/index.js";

/** The schedule's values at `steps`, as JS numbers. */
const at = (s: Schedule, steps: number[]) => steps.map((t) => s(t).item() as number);
const close = (got: number[], want: number[], digits = 6) => got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, digits));

describe("schedules", () => {
  it("constant", () => {
    close(at(constant(0.3), [0, 1, 1000]), [0.3, 0.3, 0.3]);
  });

  it("exponentialDecay: smooth, staircase, transitionBegin, endValue", () => {
    close(at(exponentialDecay(1, 10, 0.5), [0, 5, 10, 20, 25]), [1, Math.SQRT1_2, 0.5, 0.25, 0.25 * Math.SQRT1_2]);
    close(at(exponentialDecay(1, 10, 0.5, { staircase: true }), [0, 9, 10, 19, 20]), [1, 1, 0.5, 0.5, 0.25]);
    close(at(exponentialDecay(1, 10, 0.5, { transitionBegin: 5 }), [0, 5, 15]), [1, 1, 0.5]);
    close(at(exponentialDecay(1, 10, 0.5, { endValue: 0.3 }), [0, 10, 20, 100]), [1, 0.5, 0.3, 0.3]);
    close(at(exponentialDecay(1, 10, 2, { endValue: 3 }), [10, 20]), [2, 3]);
  });

  it("piecewiseConstant: scales apply strictly after their boundary (Optax)", () => {
    close(at(piecewiseConstant(1, { 10: 0.1, 20: 0.5 }), [0, 10, 11, 20, 21, 100]), [1, 1, 0.1, 0.1, 0.05, 0.05]);
  });

  it("cosineDecay with alpha and exponent", () => {
    close(at(cosineDecay(2, 100), [0, 50, 100, 200]), [2, 1, 0, 0]);
    close(at(cosineDecay(2, 100, { alpha: 0.1 }), [0, 50, 100, 150]), [2, 2 * (0.9 * 0.5 + 0.1), 0.2, 0.2]);
    close(at(cosineDecay(1, 100, { exponent: 2 }), [50]), [0.25]);
    close(at(cosineDecay(1, 100), [25]), [0.5 * (1 + Math.cos(Math.PI / 4))]);
  });

  it("linearSchedule with transitionBegin", () => {
    close(at(linearSchedule(1, 0, 10), [0, 5, 10, 20]), [1, 0.5, 0, 0]);
    close(at(linearSchedule(0, 1, 10, { transitionBegin: 5 }), [0, 5, 10, 15]), [0, 0, 0.5, 1]);
  });

  it("joinSchedules restarts each piece at its boundary", () => {
    const s = joinSchedules([constant(1), linearSchedule(2, 0, 4), constant(7)], [3, 5]);
    close(at(s, [0, 2, 3, 4, 5, 9]), [1, 1, 2, 1.5, 7, 7]);
  });

  it("warmupCosineDecay: linear ramp to the peak, then cosine to endValue at decaySteps", () => {
    const s = warmupCosineDecay(0, 1, 10, 110, { endValue: 0.1 });
    close(at(s, [0, 5, 10, 60, 110, 500]), [0, 0.5, 1, 0.1 + 0.9 * 0.5, 0.1, 0.1]);
    close(at(warmupCosineDecay(0.5, 1, 0, 100), [0, 50, 100]), [1, 0.5, 0]);
  });

  it("run on an int32 step count under jit", () => {
    const s = warmupCosineDecay(0, 1, 10, 110);
    const js = jit((t: NdArray) => s(t));
    for (const t of [0, 7, 10, 42, 110]) expect(js(np.array(t, { dtype: "int32" })).item()).toBeCloseTo(s(t).item() as number, 7);
  });
});
