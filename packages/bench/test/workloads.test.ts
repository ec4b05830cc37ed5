/** The suite's workload definitions are well-formed, medians are medians, and rounds pool into one result per workload. */
import { describe, expect, it } from "vitest";
import { workloads } from "../src/workloads.js";
import { systemNames } from "../src/systems/registry.js";
import { measure, median } from "../src/timing.js";
import { type WorkerLine, poolRounds } from "../src/worker-line.js";

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

describe("bench timing", () => {
  const sleeper = (ms: number) => {
    let calls = 0;
    return { fn: () => { calls++; const t = performance.now(); while (performance.now() - t < ms); }, calls: () => calls };
  };

  it("warms up for at least warmupMs as well as for the warm-up count, before timing", async () => {
    const starts: number[] = [];
    const fn = () => {
      starts.push(performance.now());
      while (performance.now() - starts.at(-1)! < 2);
    };
    const before = performance.now();
    const t = await measure(fn, { warmup: 2, warmupMs: 40, reps: 3, minReps: 3, maxMs: 1000 });
    expect(t.samplesMs).toHaveLength(3);
    // The first timed call starts only once 40 ms of warm-up have passed; the count alone (2 calls of
    // ~2 ms) would have ended after ~4 ms. Measured by time, not by calls, so a slow machine cannot fail it.
    const firstTimed = starts[starts.length - 3]!;
    expect(firstTimed - before).toBeGreaterThanOrEqual(40);
  });

  it("does not warm up a workload whose warm-up count is 0, whatever warmupMs says", async () => {
    const s = sleeper(1);
    await measure(s.fn, { warmup: 0, warmupMs: 100, reps: 2, minReps: 2, maxMs: 1000 });
    expect(s.calls()).toBe(2);
  });
});

describe("bench rounds", () => {
  const res = (system: string, id: string, samplesMs: number[]): WorkerLine => ({ type: "result", system, id, samplesMs, medianMs: median(samplesMs), minMs: Math.min(...samplesMs) });

  it("pool each workload's samples across processes into one median and minimum", () => {
    const pooled = poolRounds([
      { type: "setup", system: "a", description: "A" },
      res("a", "w", [5, 9, 7]),
      { type: "setup", system: "a", description: "A" },
      res("a", "w", [1, 2]),
      res("a", "v", [4]),
    ]);
    expect(pooled).toEqual([{ type: "setup", system: "a", description: "A" }, res("a", "w", [5, 9, 7, 1, 2]), res("a", "v", [4])]);
    expect(pooled[1]).toMatchObject({ medianMs: 5, minMs: 1 });
  });

  it("count a workload measured in any round as measured, and keep other skips once", () => {
    const skip = (system: string, id: string, reason: string): WorkerLine => ({ type: "skip", system, id, reason });
    const pooled = poolRounds([skip("a", "w", "timeout"), skip("b", "w", "not installed"), res("a", "w", [3]), skip("b", "w", "not installed")]);
    expect(pooled).toEqual([skip("b", "w", "not installed"), res("a", "w", [3])]);
  });
});
