/** paramCount and summary. */
import { describe, expect, test } from "vitest";
import { np, random } from "@fluxion/core";
import { batchNorm, conv2d, dense, dropout, flatten, maxPool, paramCount, relu, residual, serial, summary } from "../src/index.js";

describe("paramCount", () => {
  test("counts every scalar of a pytree", () => {
    expect(paramCount({ w: np.ones([3, 4]), b: np.ones([4]) })).toBe(16);
    expect(paramCount([{}, { a: np.ones([2, 2, 2]) }, null])).toBe(8);
    // Seed 000: a conv layer has K·K·D₁·F weights + F biases.
    expect(paramCount(conv2d(32, 5).init(random.key(0), [1, 3, 28, 28]))).toBe(5 * 5 * 3 * 32 + 32);
  });
});

describe("summary", () => {
  test("lists layers with output shapes and counts; nested stacks are expanded", () => {
    const cnn = serial(
      conv2d(8, 3, { padding: "SAME" }), relu, maxPool(2),
      serial(conv2d(16, 3, { padding: "SAME" }), batchNorm(), relu), maxPool(2),
      residual(conv2d(16, 3, { padding: "SAME" })),
      flatten(), dropout(0.5), dense(10),
    );
    const s = summary(cnn, [1, 1, 28, 28]);
    expect(s.rows.map((r) => r.name)).toEqual([
      "conv2d(8, 3×3, SAME)", "relu", "maxPool(2×2)", "conv2d(16, 3×3, SAME)", "batchNorm", "relu", "maxPool(2×2)",
      "residual(conv2d(16, 3×3, SAME))", "flatten", "dropout(0.5)", "dense(10)",
    ]);
    expect(s.rows.map((r) => r.outputShape)).toEqual([
      [1, 8, 28, 28], [1, 8, 28, 28], [1, 8, 14, 14], [1, 16, 14, 14], [1, 16, 14, 14], [1, 16, 14, 14], [1, 16, 7, 7],
      [1, 16, 7, 7], [1, 784], [1, 784], [1, 10],
    ]);
    expect(s.rows.map((r) => r.params)).toEqual([80, 0, 0, 1168, 32, 0, 0, 2320, 0, 0, 7850]);
    expect(s.totalParams).toBe(80 + 1168 + 32 + 2320 + 7850);
    expect(s.text).toContain("conv2d(8, 3×3, SAME)");
    expect(s.text).toMatch(/total\s+11450/);
    expect(s.text.split("\n")[0]).toMatch(/^layer\s+output shape\s+params$/);
  });

  test("a single layer, given params, and printing", () => {
    const d = dense(5);
    const params = d.init(random.key(0), [2, 3]);
    const s = summary(d, [2, 3], { params });
    expect(s.rows).toEqual([{ name: "dense(5)", outputShape: [2, 5], params: 20, depth: 0 }]);
    const logs: string[] = [];
    const orig = console.log;
    console.log = (m: string) => logs.push(m);
    try {
      summary(d, [2, 3], { params, print: true });
    } finally {
      console.log = orig;
    }
    expect(logs[0]).toBe(s.text);
  });
});
