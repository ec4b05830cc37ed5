/** accuracy, rmse, r2: hand values and the supported label forms. */
import { describe, expect, test } from "vitest";
import { jit, np } from "@fluxion/core";
import { accuracy, r2, rmse } from "../src/index.js";

describe("accuracy", () => {
  const scores = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]]);
  test("multi-class scores against integer labels and one-hot labels", () => {
    expect(accuracy(scores, np.array([1, 0, 1, 1], { dtype: "int32" })).item()).toBeCloseTo(0.75, 7);
    expect(accuracy(scores, np.oneHot(np.array([1, 2, 2, 1], { dtype: "int32" }), 3)).item()).toBeCloseTo(0.75, 7);
  });
  test("binary predictions [N] or [N, 1], thresholded (0.5 for probabilities, 0 for logits)", () => {
    const p = np.array([0.9, 0.2, 0.6, 0.4]);
    const y = np.array([1, 0, 0, 0]);
    expect(accuracy(p, y).item()).toBeCloseTo(0.75, 7);
    expect(accuracy(np.reshape(p, [4, 1]), y).item()).toBeCloseTo(0.75, 7);
    expect(accuracy(np.reshape(p, [4, 1]), np.reshape(y, [4, 1])).item()).toBeCloseTo(0.75, 7);
    expect(accuracy(np.array([2, -1, 0.5, -3]), y, { threshold: 0 }).item()).toBeCloseTo(0.75, 7);
  });
  test("works under jit; unsupported shapes are an error", () => {
    const labels = np.array([1, 0, 2, 1], { dtype: "int32" });
    expect(jit((s: typeof scores, l: typeof labels) => accuracy(s, l))(scores, labels).item()).toBe(1);
    expect(() => accuracy(scores, np.array([1, 0], { dtype: "int32" }))).toThrow(/match no supported form/);
  });
});

describe("rmse and r2", () => {
  test("hand values (seed 004 §1.6)", () => {
    const y = np.array([3, -0.5, 2, 7], { dtype: "float64" });
    const p = np.array([2.5, 0, 2, 8], { dtype: "float64" });
    expect(rmse(p, y).item()).toBeCloseTo(Math.sqrt(0.375), 14);
    // scikit-learn's documented example: r2_score([3, -0.5, 2, 7], [2.5, 0, 2, 8]) = 0.9486081370449679.
    expect(r2(p, y).item()).toBeCloseTo(0.9486081370449679, 14);
    expect(r2(y, y).item()).toBe(1);
    expect(r2(np.full([4], np.mean(y).item() as number, { dtype: "float64" }), y).item()).toBeCloseTo(0, 14);
  });
  test("several outputs: the mean of per-output R² (uniform average)", () => {
    // scikit-learn: r2_score([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]) = 0.9368005266622779.
    const y = np.array([[0.5, 1], [-1, 1], [7, -6]], { dtype: "float64" });
    const p = np.array([[0, 2], [-1, 2], [8, -5]], { dtype: "float64" });
    expect(r2(p, y).item()).toBeCloseTo(0.9368005266622779, 14);
    expect(() => r2(p, np.ones([3]))).toThrow(/same shape/);
  });
});
