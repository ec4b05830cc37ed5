import { describe, expect, it } from "vitest";
import { type NdArray, np } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import {
  adagrad,
  adam,
  adamw,
  applyUpdates,
  chain,
  cosineDecay,
  exponentialDecay,
  momentum,
  nesterov,
  rmsprop,
  scaleByAdam,
  scaleByLearningRate,
  sgd,
  type GradientTransformation,
} from "../src/index.js";
import { f64, minimise, quadratic, rosenbrock } from "./_util.js";
import fixture from "./fixtures/torch.json" with { type: "json" };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOpt = GradientTransformation<any>;

// Hyper-parameters per alias: each converges within the step budget from Rosenbrock's (−1.2, 1).
const rosenbrockCases: [string, () => AnyOpt, number][] = [
  ["sgd", () => sgd(1e-3), 20000],
  ["sgd with a cosine schedule", () => sgd(cosineDecay(1.5e-3, 20000, { alpha: 0.5 })), 20000],
  ["momentum", () => momentum(2e-4, 0.9), 10000],
  ["nesterov", () => nesterov(2e-4, 0.9), 10000],
  ["adagrad", () => adagrad(0.5), 20000],
  ["rmsprop", () => rmsprop(exponentialDecay(1e-2, 1000, 0.5)), 10000],
  ["rmsprop with Nesterov momentum", () => rmsprop(exponentialDecay(1e-3, 1000, 0.5), { momentum: 0.9, nesterov: true }), 10000],
  ["adam", () => adam(0.01), 10000],
  ["adamw", () => adamw(0.01, { weightDecay: 1e-4 }), 10000],
];

describe("every alias converges", () => {
  for (const [name, make, steps] of rosenbrockCases) {
    it(`${name} on Rosenbrock from (−1.2, 1)`, () => {
      const p = minimise(make(), rosenbrock, f64([-1.2, 1]), steps);
      assertAllclose(p, [1, 1], { atol: 2e-3 });
      expect(rosenbrock(p).item()).toBeLessThan(1e-5);
    });
  }

  const quadraticCases: [string, AnyOpt][] = [
    ["sgd", sgd(0.1)],
    ["momentum", momentum(0.05, 0.9)],
    ["nesterov", nesterov(0.05, 0.9)],
    ["adagrad (default η = 0.01 is slow; η = 1)", adagrad(1)],
    ["rmsprop", rmsprop(exponentialDecay(0.05, 100, 0.5))],
    ["adam", adam(0.05)],
    ["adamw", adamw(0.05, { weightDecay: 1e-5 })],
  ];
  for (const [name, opt] of quadraticCases) {
    it(`${name} on an ill-conditioned quadratic`, () => {
      const p = minimise(opt, quadratic, f64([0, 0]), 3000);
      assertAllclose(p, [1, -2], { atol: 1e-4 });
    });
  }

  it("with float32 parameters too", () => {
    const p = minimise(adam(0.01), rosenbrock, np.array([-1.2, 1]), 10000);
    expect(p.dtype).toBe("float32");
    assertAllclose(p, [1, 1], { atol: 1e-2 });
  });
});

describe("aliases match PyTorch's optimisers step by step (fixtures/make_torch_fixtures.py)", () => {
  const make: Record<string, (h: Record<string, number>) => AnyOpt> = {
    sgd: (h) => sgd(h.lr!),
    momentum: (h) => sgd(h.lr!, { momentum: h.momentum! }),
    nesterov: (h) => nesterov(h.lr!, h.momentum!),
    adagrad: (h) => adagrad(h.lr!, { eps: h.eps! }),
    rmsprop: (h) => rmsprop(h.lr!, { decay: h.decay!, eps: h.eps! }),
    rmsprop_momentum: (h) => rmsprop(h.lr!, { decay: h.decay!, eps: h.eps!, momentum: h.momentum! }),
    adam: (h) => adam(h.lr!, { b1: h.b1!, b2: h.b2!, eps: h.eps! }),
    adamw: (h) => adamw(h.lr!, { b1: h.b1!, b2: h.b2!, eps: h.eps!, weightDecay: h.weightDecay! }),
  };
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(name, () => {
      const opt = make[name]!(c.hyper as Record<string, number>);
      let p: NdArray = f64(fixture.theta0);
      let s = opt.init(p);
      fixture.grads.forEach((g, k) => {
        const [u, s2] = opt.update(f64(g), s, p);
        s = s2;
        p = applyUpdates(p, u);
        assertAllclose(p, c.params[k]!, { rtol: 1e-12, atol: 1e-14 }, `${name} step ${k + 1}`);
      });
    });
  }
});

describe("aliases are their chains", () => {
  it("adam(η) = chain(scaleByAdam(), scaleByLearningRate(η))", () => {
    const a = adam(0.1);
    const b = chain(scaleByAdam(), scaleByLearningRate(0.1));
    const p = f64([0.5, -1.5]);
    let [sa, sb] = [a.init(p), b.init(p)];
    for (const g of [[1, -2], [0.5, 0.5]]) {
      const [ua, na] = a.update(f64(g), sa, p);
      const [ub, nb] = b.update(f64(g), sb, p);
      assertAllclose(ua, ub, { rtol: 0 });
      [sa, sb] = [na, nb];
    }
  });

  it("adamw's mask keeps biases from decaying", () => {
    const params = { w: f64([1, 1]), b: f64([1]) };
    const zero = { w: f64([0, 0]), b: f64([0]) };
    const opt = adamw(0.1, { weightDecay: 0.5, mask: { w: true, b: false } });
    const [u] = opt.update(zero, opt.init(params), params);
    assertAllclose(u.w, [-0.05, -0.05], { rtol: 1e-12 });
    assertAllclose(u.b, [0], { atol: 0 });
  });
});
