import { describe, expect, it } from "vitest";
import { type NdArray, type PyTree, jit, np, random, valueAndGrad } from "@fluxion/core";
import { assertAllclose, randomArray } from "@fluxion/core/testing";
import { adam, applyUpdates, batches, earlyStopping, exponentialDecay, sgd, type GradientTransformation } from "../src/index.js";

// Linear regression y = Xw + b + noise; the whole step (valueAndGrad, update, applyUpdates) is jitted (DESIGN §4).
const X = randomArray([200, 3], 11);
const wTrue = np.array([1.5, -2, 0.5], { dtype: "float64" });
const Y = np.add(np.add(np.matmul(X, wTrue), 0.3), randomArray([200], 12, { lo: -0.05, hi: 0.05 }));
type Params = { w: NdArray; b: NdArray };
type Batch = { x: NdArray; y: NdArray };
const loss = (p: Params, batch: Batch) => np.mean(np.square(np.subtract(np.add(np.matmul(batch.x, p.w), p.b), batch.y)));

function train<S extends PyTree>(opt: GradientTransformation<S>, epochs: number, batchSize: number) {
  const step = jit((p: Params, s: S, batch: Batch): [Params, S, NdArray] => {
    const [l, g] = valueAndGrad(loss)(p, batch) as [NdArray, Params];
    const [u, s2] = opt.update(g, s, p);
    return [applyUpdates(p, u), s2, l];
  });
  let params: Params = { w: np.zeros([3], { dtype: "float64" }), b: np.zeros([], { dtype: "float64" }) };
  let state = opt.init(params);
  let key = random.key(0);
  const data = { x: X, y: Y };
  const rule = earlyStopping({ patience: 3, minDelta: 1e-7 });
  let es = rule.init();
  let epoch = 0;
  for (; epoch < epochs && !es.shouldStop; epoch++) {
    const keys = random.split(key);
    key = np.index(keys, 0);
    for (const batch of batches(np.index(keys, 1), data, batchSize)) [params, state] = step(params, state, batch);
    es = rule.update(es, loss(params, data));
  }
  return { params, epochs: epoch, stopped: es.shouldStop, step };
}

describe("a jitted mini-batch training loop", () => {
  it("SGD with mini-batches of 20 (seed 000) and a decaying rate recovers the regression weights", () => {
    const r = train(sgd(exponentialDecay(0.1, 100, 0.9), { momentum: 0.5 }), 60, 20);
    assertAllclose(r.params.w, [1.5, -2, 0.5], { atol: 0.02 });
    expect(r.params.b.item()).toBeCloseTo(0.3, 1);
    // One compilation for the whole run: state and batch signatures never change (200 = 10 × 20).
    expect(r.step.cacheInfo().misses).toBe(1);
  });

  it("Adam with a ragged last batch, stopped early once the loss stops improving", () => {
    const r = train(adam(0.05), 500, 32);
    assertAllclose(r.params.w, [1.5, -2, 0.5], { atol: 0.02 });
    expect(r.stopped).toBe(true);
    expect(r.epochs).toBeLessThan(500);
    // 200 = 6 × 32 + 8: two batch shapes, two compilations.
    expect(r.step.cacheInfo().misses).toBe(2);
  });
});
