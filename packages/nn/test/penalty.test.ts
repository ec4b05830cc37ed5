/** l2Penalty: weights only by default, custom predicates, gradients. */
import { describe, expect, test } from "vitest";
import { grad, np, random } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import { batchNorm, conv2d, dense, flatten, l2Penalty, layerNorm, leavesWithPaths, relu, serial } from "../src/index.js";

describe("l2Penalty", () => {
  const net = serial(conv2d(2, 3), relu, flatten(), dense(3), layerNorm());
  const params = net.init(random.key(0), [1, 1, 5, 5]);

  test("sums squares of kernels only: biases and norm γ/β are skipped", () => {
    const want = (np.sum(np.square(params[0].w)).item() as number) + (np.sum(np.square(params[3].w)).item() as number);
    expect(l2Penalty(params).item()).toBeCloseTo(want, 4);
    const paths = leavesWithPaths(params).map((l) => l.path.join("."));
    expect(paths).toEqual(["0.b", "0.w", "3.b", "3.w", "4.beta", "4.gamma"]);
  });

  test("a predicate by name, e.g. also penalising biases", () => {
    const all = l2Penalty(params, { predicate: () => true }).item() as number;
    const manual = leavesWithPaths(params).reduce((s, { leaf }) => s + (np.sum(np.square(leaf)).item() as number), 0);
    expect(all).toBeCloseTo(manual, 4);
    const onlyDense = l2Penalty(params, { predicate: (path) => path[0] === "3" && path[1] === "w" }).item() as number;
    expect(onlyDense).toBeCloseTo(np.sum(np.square(params[3].w)).item() as number, 4);
    expect(l2Penalty({ gamma: np.ones([2, 2]) }).item()).toBe(0);
  });

  test("its gradient is 2w on weights and 0 elsewhere (weight decay)", () => {
    const g = grad((p: typeof params) => l2Penalty(p))(params);
    assertAllclose(g[3].w, np.multiply(params[3].w, 2));
    expect(np.max(np.abs(g[3].b!)).item()).toBe(0);
    expect(np.max(np.abs(g[4].gamma!)).item()).toBe(0);
  });

  test("batch-norm state is not a parameter: only params are passed, and γ/β are 1-D", () => {
    const bn = batchNorm({ numFeatures: 4 });
    expect(l2Penalty(bn.init(random.key(0))).item()).toBe(0);
  });
});
