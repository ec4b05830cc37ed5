/** mse, gaussianNll (fixed and learned σ), heteroscedastic NLL: PyTorch values, hand values, gradients. */
import { describe, expect, test } from "vitest";
import { grad, np } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap } from "@fluxion/core/testing";
import { gaussianNll, heteroscedasticGaussianNll, mse } from "../src/index.js";
import { fx, torchCases } from "./_util.js";

const L = torchCases.losses;
const [p, y, sig, lv] = [fx(L.pred), fx(L.target), fx(L.sigma), fx(L.logVar)];

describe("mse", () => {
  test("matches PyTorch (mean and sum) and a hand value", () => {
    expect(mse(p, y).item()).toBeCloseTo(L.mse, 14);
    expect(mse(p, y, { reduction: "sum" }).item()).toBeCloseTo(L.mseSum, 13);
    expect(mse(np.array([1, 2, 3]), np.array([1, 4, 0])).item()).toBeCloseTo(13 / 3, 6);
    expect(mse(p, y, { reduction: "none" }).shape).toEqual([4, 3]);
    expect(() => mse(p, np.ones([3, 4]))).toThrow(/same shape/);
  });
  test("gradient 2(ŷ − y)/n; checkGrads, checkVmap, checkJit", () => {
    assertAllclose(grad((q: typeof p) => mse(q, y))(p), np.divide(np.multiply(np.subtract(p, y), 2), 12), { rtol: 1e-12 });
    checkGrads((a: typeof p, b: typeof y) => mse(a, b), [p, y], { order: 2 });
    checkVmap((a: typeof p, b: typeof y) => mse(a, b), [p, y]);
    checkJit((a: typeof p, b: typeof y) => mse(a, b), [p, y]);
  });
});

describe("gaussianNll", () => {
  test("matches PyTorch's full GaussianNLLLoss with per-element (learned) and fixed σ", () => {
    expect(gaussianNll(p, y, sig).item()).toBeCloseTo(L.gaussianNll, 12);
    expect(gaussianNll(p, y, 0.7).item()).toBeCloseTo(L.gaussianNllFixed, 12);
  });
  test("hand value: N(y; μ, σ²) at y = μ + σ is ½ log 2π + log σ + ½", () => {
    const v = gaussianNll(np.array([1]), np.array([3]), 2).item() as number;
    expect(v).toBeCloseTo(0.5 * Math.log(2 * Math.PI) + Math.log(2) + 0.5, 6);
    expect(gaussianNll(np.array([1]), np.array([3]), 2, { full: false }).item()).toBeCloseTo(Math.log(2) + 0.5, 6);
  });
  test("σ as a learned parameter: its gradient vanishes at the MLE σ² = mean squared residual (seed 000 eq. 4.15)", () => {
    const mle = Math.sqrt(mse(p, y).item() as number);
    const s = np.array(mle, { dtype: "float64" });
    expect(Math.abs(grad((t: typeof s) => gaussianNll(p, y, t))(s).item() as number)).toBeLessThan(1e-12);
    checkGrads((a: typeof p, t: typeof sig) => gaussianNll(a, y, t), [p, sig], { order: 2 });
    expect(() => gaussianNll(p, y, np.ones([5]))).toThrow();
  });
});

describe("heteroscedasticGaussianNll", () => {
  test("matches PyTorch with variance e^logVar; a hand value", () => {
    expect(heteroscedasticGaussianNll(p, lv, y).item()).toBeCloseTo(L.heteroscedastic, 12);
    const v = heteroscedasticGaussianNll(np.array([0]), np.array([Math.log(4)]), np.array([2])).item() as number;
    expect(v).toBeCloseTo(0.5 * (Math.log(2 * Math.PI) + Math.log(4) + 1), 6);
  });
  test("checkGrads in mean and log-variance; vmap; jit", () => {
    const f = (m: typeof p, l: typeof lv) => heteroscedasticGaussianNll(m, l, y);
    checkGrads(f, [p, lv], { order: 2 });
    checkVmap(f, [p, lv]);
    checkJit(f, [p, lv]);
  });
});
