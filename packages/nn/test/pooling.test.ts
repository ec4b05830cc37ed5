/** maxPool / avgPool: PyTorch fixtures (overlapping windows, padding), a naive loop, layouts, gradients. */
import { describe, expect, test } from "vitest";
import { grad, np } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { avgPool, maxPool } from "../src/index.js";
import { forEachIndex, fx, named, torchCases } from "./_util.js";

type TorchPool = { kernel_size: number; stride?: number; padding?: number; count_include_pad?: boolean };

describe("pooling matches PyTorch", () => {
  test.each(named(torchCases.pool))("%s", (_name, c) => {
    const o = c.opts as TorchPool;
    const window = c.dims === 1 ? [o.kernel_size] : o.kernel_size;
    const strides = o.stride === undefined ? undefined : c.dims === 1 ? [o.stride] : o.stride;
    const opts = { ...(strides !== undefined ? { strides } : {}), ...(o.padding ? { padding: o.padding } : {}) };
    const layer = c.kind === "max" ? maxPool(window, opts) : avgPool(window, { ...opts, countIncludePad: o.count_include_pad ?? true });
    const x = fx(c.x);
    assertAllclose(layer.apply({}, x), fx(c.y), { rtol: 1e-12, atol: 1e-14 });
    expect(layer.outputShape(x.shape)).toEqual(c.y.shape);
  });
});

describe("maxPool", () => {
  test("matches a naive loop for 3×3 stride 2 overlapping windows (seed 000's K=3, S=2)", () => {
    const x = randomArray([2, 3, 9, 8], 1);
    const y = maxPool(3, { strides: 2 }).apply({}, x);
    const xd = x.toArray() as number[][][][];
    const want: number[] = [];
    forEachIndex([2, 3, 4, 3], ([n, c, i, j]) => {
      let m = -Infinity;
      for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) m = Math.max(m, xd[n!]![c!]![2 * i! + p]![2 * j! + q]!);
      want.push(m);
    });
    assertAllclose(y, want);
    expect(y.shape).toEqual([2, 3, 4, 3]);
  });

  test("2×2 stride 2 keeps a quarter of the activations; gradient routes to each window's argmax", () => {
    const x = np.array([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, 0, 1, 2], [9, 1, 3, 7]]]], { dtype: "float64" });
    const y = maxPool(2).apply({}, x);
    expect(y.toArray()).toEqual([[[[5, 8], [9, 7]]]]);
    const g = grad((v: typeof x) => np.sum(maxPool(2).apply({}, v)))(x);
    expect(g.toArray()).toEqual([[[[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 1]]]]);
  });

  test("SAME padding pads with −∞ (negative inputs stay the max), channelsLast and single examples", () => {
    const x = np.subtract(randomArray([1, 2, 5, 5], 2), 5);
    const y = maxPool(2, { padding: "SAME" }).apply({}, x);
    expect(y.shape).toEqual([1, 2, 3, 3]);
    expect((np.max(y).item() as number) < 0).toBe(true);
    const yl = maxPool(2, { padding: "SAME", channelsLast: true }).apply({}, np.transpose(x, [0, 2, 3, 1]));
    assertAllclose(np.transpose(yl, [0, 3, 1, 2]), y);
    assertAllclose(maxPool(2, { padding: "SAME" }).apply({}, np.index(x, 0)), np.index(y, 0));
    expect(maxPool([3]).outputShape([4, 2, 10])).toEqual([4, 2, 3]);
  });

  test("checkGrads (order 1: max is piecewise linear), checkVmap, checkJit", () => {
    // Distinct values so no window has ties.
    const x = np.reshape(np.multiply(np.array(Array.from({ length: 2 * 6 * 5 }, (_, i) => ((i * 37) % 61) - 30), { dtype: "float64" }), 0.1), [1, 2, 6, 5]);
    const f = (v: typeof x) => maxPool(3, { strides: 2, padding: 1 }).apply({}, v);
    checkGrads(f, [x], { order: 1 });
    checkVmap(f, [x]);
    checkJit(f, [x]);
  });
});

describe("avgPool", () => {
  test("averages each window; countIncludePad false divides by the real elements", () => {
    const x = np.reshape(np.arange(1, 10, 1, { dtype: "float64" }), [1, 1, 3, 3]);
    expect(avgPool(2, { strides: 1 }).apply({}, x).toArray()).toEqual([[[[3, 4], [6, 7]]]]);
    const incl = avgPool(3, { strides: 1, padding: 1 }).apply({}, x);
    const excl = avgPool(3, { strides: 1, padding: 1, countIncludePad: false }).apply({}, x);
    expect((incl.toArray() as number[][][][])[0]![0]![0]![0]).toBeCloseTo((1 + 2 + 4 + 5) / 9, 14);
    expect((excl.toArray() as number[][][][])[0]![0]![0]![0]).toBeCloseTo((1 + 2 + 4 + 5) / 4, 14);
  });

  test("checkGrads (order 2), checkVmap, checkJit, 1-D windows", () => {
    const x = randomArray([2, 3, 7], 4);
    const f = (v: typeof x) => avgPool([3], { strides: [2], padding: "SAME", countIncludePad: false }).apply({}, v);
    checkGrads(f, [x], { order: 2 });
    checkVmap(f, [x]);
    checkJit(f, [x]);
    const x2 = randomArray([1, 2, 5, 6], 5);
    checkGrads((v: typeof x2) => avgPool(2).apply({}, v), [x2], { order: 2 });
  });

  test("errors: bad windows and too few axes", () => {
    expect(() => maxPool(0)).toThrow(/window must be integer/);
    expect(() => maxPool([2, 2, 2, 2])).toThrow(/1 to 3 dims/);
    expect(() => avgPool(2).apply({}, randomArray([4, 4], 1))).toThrow(/needs a channel axis and 2 spatial axes/);
  });
});
