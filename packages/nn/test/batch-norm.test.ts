/** batchNorm: PyTorch fixtures over two training steps and evaluation, the EMA, layouts, errors, transformations. */
import { describe, expect, test } from "vitest";
import { jit, np, random, valueAndGrad } from "@fluxion/core";
import { assertAllclose, checkGrads, checkVmap, randomArray } from "@fluxion/core/testing";
import { batchNorm } from "../src/index.js";
import { fx, named, torchCases } from "./_util.js";

describe("batchNorm", () => {
  test.each(named(torchCases.batchNorm))("matches PyTorch (train, train, eval): %s", (_name, c) => {
    const layer = batchNorm({ dtype: "float64" });
    const params = { gamma: fx(c.gamma), beta: fx(c.beta) };
    let state = layer.initState(c.xa.shape);
    let y;
    [y, state] = layer.apply(params, state, fx(c.xa), { train: true });
    assertAllclose(y, fx(c.ya), { rtol: 1e-10, atol: 1e-12 }, "step 1");
    [y, state] = layer.apply(params, state, fx(c.xb), { train: true });
    assertAllclose(y, fx(c.yb), { rtol: 1e-10, atol: 1e-12 }, "step 2");
    assertAllclose(state.mean, fx(c.mean), { rtol: 1e-12, atol: 1e-14 }, "running mean");
    assertAllclose(state.var, fx(c.var), { rtol: 1e-12, atol: 1e-14 }, "running var");
    const [ye, same] = layer.apply(params, state, fx(c.xe), { train: false });
    assertAllclose(ye, fx(c.ye), { rtol: 1e-10, atol: 1e-12 }, "eval");
    expect(same).toBe(state);
  });

  test("training output has per-channel mean β and variance γ²·σ²/(σ² + ε); eval uses the running averages", () => {
    const x = np.add(np.multiply(randomArray([8, 3, 4, 4], 1), 5), 2);
    const layer = batchNorm({ dtype: "float64" });
    const params = layer.init(random.key(0), x.shape);
    const state0 = layer.initState(x.shape);
    expect(state0.mean.toArray()).toEqual([0, 0, 0]);
    expect(state0.var.toArray()).toEqual([1, 1, 1]);
    const [y, state1] = layer.apply(params, state0, x, { train: true });
    const m = np.mean(y, [0, 2, 3]).toArray() as number[];
    m.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
    // The EMA with momentum 0.9: 0.9·old + 0.1·batch.
    assertAllclose(state1.mean, np.multiply(np.mean(x, [0, 2, 3]), 0.1), { rtol: 1e-12 });
    const n = 8 * 16;
    assertAllclose(state1.var, np.add(0.9, np.multiply(np.variance(x, [0, 2, 3]), (0.1 * n) / (n - 1))), { rtol: 1e-12 });
    // Evaluation with the initial state is (x − 0)/√(1 + ε).
    const [ye] = layer.apply(params, state0, x);
    assertAllclose(ye, np.divide(x, Math.sqrt(1 + 1e-5)), { rtol: 1e-12 });
  });

  test("momentum, eps, biased running variance and channelsLast options", () => {
    const x = randomArray([6, 5, 2], 2);
    const layer = batchNorm({ momentum: 0.5, eps: 1e-3, unbiasedRunningVar: false, channelsLast: true, dtype: "float64" });
    const params = { gamma: np.ones([2], { dtype: "float64" }), beta: np.zeros([2], { dtype: "float64" }) };
    const [y, s] = layer.apply(params, layer.initState([6, 5, 2]), x, { train: true });
    assertAllclose(s.var, np.add(0.5, np.multiply(np.variance(x, [0, 1]), 0.5)), { rtol: 1e-12 });
    const want = np.divide(np.subtract(x, np.mean(x, [0, 1], { keepdims: true })), np.sqrt(np.add(np.variance(x, [0, 1], { keepdims: true }), 1e-3)));
    assertAllclose(y, want, { rtol: 1e-12, atol: 1e-14 });
  });

  test("seed variants: whole-dataset statistics (cumulative average) and ε added to the standard deviation", () => {
    const layer = batchNorm({ momentum: "cumulative", dtype: "float64" });
    const params = { gamma: np.ones([2], { dtype: "float64" }), beta: np.zeros([2], { dtype: "float64" }) };
    const batches = [randomArray([5, 2], 11), randomArray([5, 2], 12), randomArray([5, 2], 13)];
    let state = layer.initState([5, 2]);
    for (const b of batches) [, state] = layer.apply(params, state, b, { train: true });
    expect(state.count!.item()).toBe(3);
    // E[μ_B] and m/(m − 1)·E[σ²_B] over the batches (Ioffe's inference statistics).
    assertAllclose(state.mean, np.mean(np.stack(batches.map((b) => np.mean(b, 0))), 0), { rtol: 1e-12 });
    assertAllclose(state.var, np.mean(np.stack(batches.map((b) => np.variance(b, 0, { ddof: 1 }))), 0), { rtol: 1e-12 });
    expect(() => layer.apply(params, { mean: state.mean, var: state.var }, batches[0]!, { train: true })).toThrow(/needs the batch count/);
    const stdLayer = batchNorm({ epsOnStd: true, eps: 0.1, dtype: "float64" });
    const x = randomArray([6, 2], 14);
    const [y] = stdLayer.apply(params, stdLayer.initState([6, 2]), x, { train: true });
    const want = np.divide(np.subtract(x, np.mean(x, 0)), np.add(np.std(x, 0), 0.1));
    assertAllclose(y, want, { rtol: 1e-12 });
  });

  test("state keeps its dtype; the whole train step (grad with state as aux) jits", () => {
    const layer = batchNorm();
    const x = randomArray([5, 3], 3);
    const params = layer.init(random.key(0), [5, 3]);
    const state = layer.initState([5, 3]);
    const [, s1] = layer.apply(params, state, x, { train: true });
    expect(s1.mean.dtype).toBe("float32");
    const loss = (p: typeof params, s: typeof state, xx: typeof x) => {
      const [y, ns] = layer.apply(p, s, xx, { train: true });
      return [np.sum(np.square(y)), ns] as const;
    };
    const step = jit((p: typeof params, s: typeof state, xx: typeof x) => valueAndGrad(loss, { hasAux: true })(p, s, xx));
    const [[, ns], g] = step(params, state, x) as [[unknown, typeof state], typeof params];
    assertAllclose(ns.mean, s1.mean, { rtol: 1e-6 });
    expect(g.gamma.shape).toEqual([3]);
  });

  test("checkGrads (order 2) in training and evaluation modes; checkVmap over independent batches", () => {
    const layer = batchNorm({ dtype: "float64" });
    const x = randomArray([4, 2, 3], 4);
    const gamma = randomArray([2], 5, { lo: 0.5, hi: 1.5 });
    const beta = randomArray([2], 6);
    const state = { mean: randomArray([2], 7), var: randomArray([2], 8, { lo: 0.5, hi: 2 }) };
    const train = (xx: typeof x, g: typeof gamma, b: typeof beta) => layer.apply({ gamma: g, beta: b }, state, xx, { train: true })[0];
    const evalF = (xx: typeof x, g: typeof gamma, b: typeof beta) => layer.apply({ gamma: g, beta: b }, state, xx)[0];
    checkGrads(train, [x, gamma, beta], { order: 2 });
    checkGrads(evalF, [x, gamma, beta], { order: 2 });
    checkVmap((xx: typeof x) => layer.apply({ gamma, beta }, state, xx, { train: true }), [x]);
  });

  test("errors: feature mismatch, a single value per feature in training, bad momentum", () => {
    const layer = batchNorm();
    const params = { gamma: np.ones([3]), beta: np.zeros([3]) };
    const state = layer.initState([2, 3]);
    expect(() => layer.apply(params, state, np.ones([2, 4]))).toThrow(/has 4 features on axis 1, parameters have 3/);
    expect(() => layer.apply(params, state, np.ones([1, 3]), { train: true })).toThrow(/more than one value per feature/);
    expect(() => batchNorm({ momentum: 1.5 })).toThrow(/momentum/);
    expect(() => batchNorm().initState()).toThrow(/cannot infer numFeatures/);
    expect(batchNorm({ numFeatures: 4 }).initState().mean.shape).toEqual([4]);
  });
});
