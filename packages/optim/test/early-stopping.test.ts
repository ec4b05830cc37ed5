import { describe, expect, it } from "vitest";
import { np } from "@fluxion/core";
import { earlyStopping, type EarlyStoppingState } from "../src/index.js";

/** Feed metrics through a rule and return every state. */
function feed(rule: ReturnType<typeof earlyStopping>, metrics: number[]): EarlyStoppingState[] {
  let s = rule.init();
  return metrics.map((m) => (s = rule.update(s, m)));
}

describe("earlyStopping", () => {
  it("stops after `patience` consecutive checks without improvement and remembers the best", () => {
    const states = feed(earlyStopping({ patience: 2 }), [1.0, 0.8, 0.85, 0.7, 0.75, 0.72, 0.6]);
    expect(states.map((s) => s.shouldStop)).toEqual([false, false, false, false, false, true, true]);
    expect(states.map((s) => s.improved)).toEqual([true, true, false, true, false, false, true]);
    const last = states[5]!;
    expect(last).toMatchObject({ best: 0.7, bestStep: 3, step: 6, wait: 2 });
    // Once stopped, it stays stopped even if the metric improves again.
    expect(states[6]!.shouldStop).toBe(true);
  });

  it("minDelta: an improvement must exceed it", () => {
    const states = feed(earlyStopping({ patience: 1, minDelta: 0.1 }), [1.0, 0.95]);
    expect(states[1]).toMatchObject({ improved: false, shouldStop: true, best: 1 });
  });

  it("mode max for accuracies, scalar-array metrics, NaN never improves", () => {
    const rule = earlyStopping({ patience: 3, mode: "max" });
    let s = rule.update(rule.init(), np.array(0.9));
    expect(s.best).toBeCloseTo(0.9, 6);
    s = rule.update(s, 0.95);
    expect(s).toMatchObject({ best: 0.95, improved: true });
    s = rule.update(s, NaN);
    expect(s).toMatchObject({ best: 0.95, improved: false, wait: 1 });
  });

  it("is pure: the input state is not modified", () => {
    const rule = earlyStopping({ patience: 1 });
    const s0 = rule.init();
    const snapshot = { ...s0 };
    rule.update(s0, 1);
    expect(s0).toEqual(snapshot);
  });
});
