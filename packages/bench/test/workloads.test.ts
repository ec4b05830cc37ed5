/** Smoke test: the suite's workload definitions are well-formed and every system module has an entry for each. */
import { describe, expect, it } from "vitest";
import { workloads } from "../src/workloads.js";
import { systemNames } from "../src/systems/registry.js";
import { median } from "../src/timing.js";

describe("bench workloads", () => {
  it("have unique ids and sane sampling budgets", () => {
    expect(new Set(workloads.map((w) => w.id)).size).toBe(workloads.length);
    for (const w of workloads) {
      expect(w.minReps).toBeGreaterThanOrEqual(1);
      expect(w.reps).toBeGreaterThanOrEqual(w.minReps);
      expect(w.maxMs).toBeGreaterThan(0);
    }
    expect(workloads.filter((w) => w.kind === "gemm").map((w) => w.size.n)).toEqual([64, 128, 256, 512, 1024]);
  });

  it("lists Fluxion first, as the ratios' baseline", () => {
    expect(systemNames[0]).toBe("fluxion-jit");
  });

  it("takes medians of odd and even sample counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
