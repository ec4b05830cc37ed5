/** klGaussian and elbo: PyTorch's KL, hand values, gradients. */
import { describe, expect, test } from "vitest";
import { np } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap } from "@fluxion/core/testing";
import { elbo, klGaussian } from "../src/index.js";
import { fx, torchCases } from "./_util.js";

const L = torchCases.losses;
const [mu, lv, prior] = [fx(L.mu), fx(L.muLogVar), fx(L.priorMean)];

describe("klGaussian", () => {
  test("matches torch.distributions.kl_divergence vs N(0, I) and vs N(m, I), per example", () => {
    assertAllclose(klGaussian(mu, lv, { reduction: "none" }), fx(L.klStd), { rtol: 1e-12 });
    assertAllclose(klGaussian(mu, lv, { priorMean: prior, reduction: "none" }), fx(L.klPrior), { rtol: 1e-12 });
    expect(klGaussian(mu, lv).item()).toBeCloseTo(np.mean(fx(L.klStd)).item() as number, 14);
  });
  test("zero exactly when q is the prior; seed 000's 2-D special case", () => {
    expect(klGaussian(np.zeros([2, 3]), np.zeros([2, 3])).item()).toBe(0);
    expect(klGaussian(np.ones([1, 3]), np.zeros([1, 3]), { priorMean: 1 }).item()).toBe(0);
    // ½(σ₁² + σ₂² + μ₁² + μ₂² − 2 − log σ₁² − log σ₂²)
    const [m1, m2, s1, s2] = [0.3, -1.2, 0.5, 2];
    const v = klGaussian(np.array([[m1, m2]]), np.array([[Math.log(s1 ** 2), Math.log(s2 ** 2)]])).item() as number;
    expect(v).toBeCloseTo(0.5 * (s1 ** 2 + s2 ** 2 + m1 ** 2 + m2 ** 2 - 2 - Math.log(s1 ** 2) - Math.log(s2 ** 2)), 6);
  });
  test("checkGrads, checkVmap, checkJit; shape errors", () => {
    const f = (m: typeof mu, l: typeof lv) => klGaussian(m, l, { priorMean: prior });
    checkGrads(f, [mu, lv], { order: 2 });
    checkVmap((m: typeof mu, l: typeof lv) => klGaussian(m, l, { reduction: "none" }), [mu, lv]);
    checkJit(f, [mu, lv]);
    expect(() => klGaussian(mu, np.zeros([4, 2]))).toThrow(/same shape/);
  });
});

describe("elbo", () => {
  test("log-likelihood minus β·KL, per example then averaged", () => {
    const ll = np.array([-3, -1, -2, -5], { dtype: "float64" });
    const kl = fx(L.klStd);
    assertAllclose(elbo(ll, mu, lv, { reduction: "none" }), np.subtract(ll, kl), { rtol: 1e-12 });
    expect(elbo(ll, mu, lv, { beta: 0.5 }).item()).toBeCloseTo(np.mean(np.subtract(ll, np.multiply(kl, 0.5))).item() as number, 13);
    checkGrads((l: typeof ll, m: typeof mu, v: typeof lv) => elbo(l, m, v), [ll, mu, lv], { order: 2 });
    expect(() => elbo(np.zeros([3]), mu, lv)).toThrow(/one value per example/);
  });
});
