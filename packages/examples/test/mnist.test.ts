import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMnist } from "../src/data/mnist.js";
import { runMnistCnn } from "../src/mnist-cnn.js";
import { runMnistMlp } from "../src/mnist-mlp.js";

process.env.FLUXION_RESULTS = mkdtempSync(join(tmpdir(), "fluxion-results-"));

describe("mnist data", () => {
  it("loads the package's 10,000 digits with their documented class counts", () => {
    const { n, labels, images } = loadMnist();
    expect(n).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const l of labels) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(Math.max(...images.subarray(0, 784 * 5))).toBeLessThanOrEqual(1);
  });
});

describe("mnist examples (short seeded runs)", () => {
  it("MLP reaches ≥ 0.80 test accuracy on 2,000 digits in 2 epochs and writes its curves", async () => {
    const r = await runMnistMlp({ epochs: 2, trainSize: 2000, testSize: 500, seed: 0, log: false });
    expect(r.history).toHaveLength(2);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(r.history[1]!.trainLoss).toBeLessThan(r.history[0]!.trainLoss);
    const [svg, png] = r.plot!;
    expect(existsSync(png)).toBe(true);
    expect(readFileSync(svg, "utf8")).toContain("<svg");
  }, 120_000);

  it("CNN reaches ≥ 0.82 on 1,000 digits in two epochs", async () => {
    const r = await runMnistCnn({ epochs: 2, trainSize: 1000, testSize: 300, batchSize: 32, seed: 0, log: false, plot: false });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.82);
  }, 300_000);
});
