/** serial: composition, parameter/state/key threading, shapes, transformations. */
import { describe, expect, test } from "vitest";
import { type NdArray, jit, np, random, valueAndGrad } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { batchNorm, conv2d, dense, dropout, flatten, maxPool, relu, serial, softmaxCrossEntropy, tanh } from "../src/index.js";

describe("serial", () => {
  test("applies layers in order; params are a list, one entry per layer (functions get {})", () => {
    const mlp = serial(dense(4), relu, dense(2));
    const params = mlp.init(random.key(0), [3, 5]);
    expect(params.length).toBe(3);
    expect(params[0].w.shape).toEqual([5, 4]);
    expect(params[1]).toEqual({});
    expect(params[2].w.shape).toEqual([4, 2]);
    const x = randomArray([3, 5], 1, { dtype: "float32" });
    const want = dense(2).apply(params[2], relu(dense(4).apply(params[0], x)));
    assertAllclose(mlp.apply(params, x), want);
    expect(mlp.outputShape([3, 5])).toEqual([3, 2]);
    expect(mlp.layers.map((l) => l.name)).toEqual(["dense(4)", "relu", "dense(2)"]);
  });

  test("init threads shapes through the stack: a small CNN infers every size", () => {
    const cnn = serial(conv2d(4, 3, { padding: "SAME" }), relu, maxPool(2), conv2d(8, 3), relu, flatten(), dense(10));
    const params = cnn.init(random.key(1), [2, 1, 10, 10]);
    expect(params[3].w.shape).toEqual([8, 4, 3, 3]);
    expect(params[6].w.shape).toEqual([8 * 3 * 3, 10]);
    expect(cnn.outputShape([2, 1, 10, 10])).toEqual([2, 10]);
    expect(cnn.apply(params, np.ones([2, 1, 10, 10])).shape).toEqual([2, 10]);
  });

  test("init splits its key once per layer: layer i gets split(key, n)[i]", () => {
    const stack = serial(dense(3, { inFeatures: 2 }), dense(3, { inFeatures: 3 }));
    const p = stack.init(random.key(5));
    const keys = random.split(random.key(5), 2);
    assertAllclose(p[1].w, dense(3, { inFeatures: 3 }).init(np.index(keys, 1)).w);
  });

  test("apply splits opts.key per layer, so two dropouts draw independent masks", () => {
    const stack = serial(dropout(0.5), dropout(0.5));
    const x = np.ones([50, 50]);
    const key = random.key(2);
    const y = stack.apply([{}, {}], x, { train: true, key });
    const [k0, k1] = [0, 1].map((i) => np.index(random.split(key, 2), i));
    const want = dropout(0.5).apply({}, dropout(0.5).apply({}, x, { train: true, key: k0 }), { train: true, key: k1 });
    assertAllclose(y, want);
    expect(stack.apply([{}, {}], x)).toBe(x);
  });

  test("with a stateful layer the stack is stateful: state list with null for stateless layers", () => {
    const net = serial(dense(4), batchNorm(), relu, dense(1));
    expect(net.stateful).toBe(true);
    const x = randomArray([6, 3], 2, { dtype: "float32" });
    const params = net.init(random.key(0), x.shape);
    const state = net.initState(x.shape);
    expect(state[0]).toBeNull();
    expect(state[1]!.mean.shape).toEqual([4]);
    const [y, s1] = net.apply(params, state, x, { train: true });
    expect(y.shape).toEqual([6, 1]);
    expect(s1[1]!.mean.toArray()).not.toEqual([0, 0, 0, 0]);
    const [, s2] = net.apply(params, s1, x);
    expect(s2[1]).toBe(s1[1]);
  });

  test("a training step through a stateful stack: valueAndGrad with state as aux, under jit", () => {
    const net = serial(dense(8), batchNorm(), relu, dropout(0.2), dense(3));
    const x = randomArray([10, 4], 3, { dtype: "float32" });
    const labels = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], { dtype: "int32" });
    const params = net.init(random.key(0), x.shape);
    const state = net.initState(x.shape);
    const loss = (p: typeof params, s: typeof state, key: NdArray) => {
      const [logits, ns] = net.apply(p, s, x, { train: true, key });
      return [softmaxCrossEntropy(logits, labels), ns] as const;
    };
    const step = jit((p: typeof params, s: typeof state, key: NdArray) => valueAndGrad(loss, { hasAux: true })(p, s, key));
    const [[l, ns], g] = step(params, state, random.key(9)) as [[NdArray, typeof state], typeof params];
    const [[l2], g2] = valueAndGrad(loss, { hasAux: true })(params, state, random.key(9)) as [[NdArray, typeof state], typeof params];
    assertAllclose(l, l2, { rtol: 1e-5 });
    assertAllclose(g[0].w, g2[0].w, { rtol: 1e-4, atol: 1e-6 });
    expect(ns[1]!.var.shape).toEqual([8]);
  });

  test("checkGrads, checkVmap and checkJit on a small stack's apply", () => {
    const net = serial(dense(3), tanh, dense(2));
    const params = net.init(random.key(0), [4, 2]);
    const p64 = params.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, np.astype(v as NdArray, "float64")])));
    const x = randomArray([4, 2], 1);
    const f = (xx: NdArray, w0: NdArray, w2: NdArray) => net.apply([{ ...p64[0], w: w0 }, {}, { ...p64[2], w: w2 }] as typeof params, xx);
    checkGrads(f, [x, p64[0]!.w!, p64[2]!.w!], { order: 2 });
    checkVmap(f, [x, p64[0]!.w!, p64[2]!.w!]);
    checkJit(f, [x, p64[0]!.w!, p64[2]!.w!]);
  });

  test("an empty stack is an error", () => {
    expect(() => serial()).toThrow(/at least one layer/);
  });
});
