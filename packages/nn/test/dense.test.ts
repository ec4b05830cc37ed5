/** dense: values, shapes, init, errors, transformations. */
import { describe, expect, test } from "vitest";
import { ShapeError, np, random } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { dense, initializers } from "../src/index.js";

describe("dense", () => {
  const x = randomArray([4, 3], 1);
  const w = randomArray([3, 2], 2);
  const b = randomArray([2], 3);

  test("computes x W + b over the last axis, for any leading axes", () => {
    const layer = dense(2);
    const y = layer.apply({ w, b }, x);
    const xd = x.toArray() as number[][];
    const wd = w.toArray() as number[][];
    const bd = b.toArray() as number[];
    const want = xd.map((r) => [0, 1].map((j) => bd[j]! + r.reduce((s, v, i) => s + v * wd[i]![j]!, 0)));
    assertAllclose(y, want.flat(), { rtol: 1e-14 });
    const x3 = randomArray([2, 5, 3], 4);
    expect(layer.apply({ w, b }, x3).shape).toEqual([2, 5, 2]);
    expect(layer.apply({ w, b }, np.index(x, 0)).shape).toEqual([2]);
    expect(layer.outputShape([7, 5, 3])).toEqual([7, 5, 2]);
    assertAllclose(dense(2, { useBias: false }).apply({ w }, x), np.matmul(x, w));
  });

  test("init: kernel [in, out] from the input shape or inFeatures, zero bias, LeCun variance 1/in", () => {
    const p = dense(300, { dtype: "float64" }).init(random.key(0), [8, 500]);
    expect(p.w.shape).toEqual([500, 300]);
    expect(p.b!.shape).toEqual([300]);
    expect(np.max(np.abs(p.b!)).item()).toBe(0);
    expect(Math.abs((np.variance(p.w).item() as number) * 500 - 1)).toBeLessThan(0.03);
    expect(dense(3, { inFeatures: 4 }).init(random.key(0)).w.shape).toEqual([4, 3]);
    const he = dense(10, { inFeatures: 4, kernelInit: initializers.heNormal(), biasInit: initializers.constant(0.1), useBias: true }).init(random.key(1));
    expect(he.b!.toArray()).toEqual(new Array(10).fill(0.1).map((v) => Math.fround(v)));
    expect(dense(3, { useBias: false, inFeatures: 2 }).init(random.key(0)).b).toBeUndefined();
  });

  test("errors: mismatched features, unknown input size, bad sizes", () => {
    expect(() => dense(2).apply({ w, b }, randomArray([4, 5], 1))).toThrow(/dense: input .* must end in 3 features/);
    expect(() => dense(2).init(random.key(0))).toThrow(/cannot infer inFeatures/);
    expect(() => dense(2, { inFeatures: 3 }).init(random.key(0), [1, 4])).toThrow(ShapeError);
    expect(() => dense(0)).toThrow(/positive integer/);
  });

  test("checkGrads (order 2), checkVmap, checkJit", () => {
    const f = (xx: typeof x, ww: typeof w, bb: typeof b) => dense(2).apply({ w: ww, b: bb }, xx);
    checkGrads(f, [x, w, b], { order: 2 });
    checkVmap(f, [x, w, b]);
    checkJit(f, [x, w, b]);
  });
});
