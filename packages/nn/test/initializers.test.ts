/** Initialisers: fans (dense and OIHW conv kernels), variances of every variant, exact JAX formulas, bounds. */
import { describe, expect, test } from "vitest";
import { type NdArray, np, random } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import { initializers as I } from "../src/index.js";

const variance = (x: NdArray) => np.variance(x).item() as number;
const absMax = (x: NdArray) => np.max(np.abs(x)).item() as number;
const key = random.key(42);

describe("computeFans", () => {
  test("dense [in, out]; conv OIHW = channels × receptive field; rank 0/1; batch axes", () => {
    expect(I.computeFans([30, 20])).toEqual([30, 20]);
    expect(I.computeFans([16, 8, 3, 5], { inAxis: 1, outAxis: 0 })).toEqual([8 * 15, 16 * 15]);
    // JAX's HWIO convention (in −2, out −1) is the default.
    expect(I.computeFans([3, 5, 8, 16])).toEqual([8 * 15, 16 * 15]);
    expect(I.computeFans([])).toEqual([1, 1]);
    expect(I.computeFans([7])).toEqual([7, 7]);
    expect(I.computeFans([4, 30, 20], { batchAxis: [0] })).toEqual([30, 20]);
    expect(() => I.computeFans([3, 4], { inAxis: 2 })).toThrow(/inAxis 2 is out of range/);
  });
});

describe("variances for large fans", () => {
  // [fanIn = 200, fanOut = 300] dense kernel: 60 000 samples, variance within a few percent.
  const shape = [200, 300];
  const cases: [string, I.Initializer, number, number | null][] = [
    ["glorotNormal: 2/(in + out)", I.glorotNormal(), 2 / 500, 2 * Math.sqrt(2 / 500) / I.TRUNCATED_NORMAL_STDDEV],
    ["glorotUniform: U(±√(6/(in + out)))", I.glorotUniform(), 2 / 500, Math.sqrt(6 / 500)],
    ["heNormal: 2/in", I.heNormal(), 2 / 200, 2 * Math.sqrt(2 / 200) / I.TRUNCATED_NORMAL_STDDEV],
    ["heUniform: U(±√(6/in))", I.heUniform(), 2 / 200, Math.sqrt(6 / 200)],
    ["lecunNormal: 1/in", I.lecunNormal(), 1 / 200, 2 * Math.sqrt(1 / 200) / I.TRUNCATED_NORMAL_STDDEV],
    ["lecunUniform: U(±√(3/in))", I.lecunUniform(), 1 / 200, Math.sqrt(3 / 200)],
    ["varianceScaling(2, fanOut, normal)", I.varianceScaling(2, "fanOut", "normal"), 2 / 300, null],
    ["varianceScaling(1, fanAvg, normal) (Xavier normal, seed 004)", I.varianceScaling(1, "fanAvg", "normal"), 2 / 500, null],
    ["varianceScaling(2, fanAvg, uniform) (seed 004's He uniform ±√(12/(in + out)))", I.varianceScaling(2, "fanAvg", "uniform"), 4 / 500, Math.sqrt(12 / 500)],
  ];
  test.each(cases)("%s", (_name, init, want, bound) => {
    const w = init(key, shape, { dtype: "float64" });
    expect(w.shape).toEqual(shape);
    expect(Math.abs(variance(w) / want - 1)).toBeLessThan(0.03);
    expect(Math.abs(np.mean(w).item() as number)).toBeLessThan(4 * Math.sqrt(want / 60000));
    if (bound !== null) {
      expect(absMax(w)).toBeLessThanOrEqual(bound * (1 + 1e-12));
      expect(absMax(w)).toBeGreaterThan(bound * 0.97);
    }
  });

  test("He normal on an OIHW conv kernel has variance 2/(in·kh·kw)", () => {
    const w = I.heNormal()(key, [64, 32, 3, 3], { dtype: "float64", inAxis: 1, outAxis: 0 });
    expect(Math.abs(variance(w) * (32 * 9) / 2 - 1)).toBeLessThan(0.03);
  });
});

describe("exact formulas (jax.nn.initializers)", () => {
  test("normal, truncated normal and uniform variants are the core draws scaled exactly as JAX", () => {
    const shape = [5, 7];
    const v = 2 / 5;
    assertAllclose(I.varianceScaling(2, "fanIn", "normal")(key, shape), np.multiply(random.normal(key, shape), Math.sqrt(v)), { rtol: 0, atol: 0 });
    assertAllclose(I.heNormal()(key, shape), np.multiply(random.truncatedNormal(key, -2, 2, shape), Math.sqrt(v) / 0.87962566103423978), { rtol: 0, atol: 0 });
    assertAllclose(I.heUniform()(key, shape), np.multiply(random.uniform(key, shape, { minval: -1, maxval: 1 }), Math.sqrt(3 * v)), { rtol: 0, atol: 0 });
    assertAllclose(I.normal(0.5)(key, shape), np.multiply(random.normal(key, shape), 0.5), { rtol: 0, atol: 0 });
    expect(I.TRUNCATED_NORMAL_STDDEV).toBe(0.87962566103423978);
  });

  test("zeros, ones, constant; normal(stddev); uniform(scale) is U[0, scale) as JAX, or any range", () => {
    expect(I.zeros()(key, [2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(I.ones()(key, [3], { dtype: "float64" }).toArray()).toEqual([1, 1, 1]);
    expect(I.constant(2.5)(key, [2]).toArray()).toEqual([2.5, 2.5]);
    expect(I.constant(3)(key, [1], { dtype: "int32" }).dtype).toBe("int32");
    const n = I.normal()(key, [100, 100], { dtype: "float64" });
    expect(Math.abs(Math.sqrt(variance(n)) / 0.01 - 1)).toBeLessThan(0.03);
    const u = I.uniform(0.2)(key, [100, 100], { dtype: "float64" });
    expect(np.min(u).item() as number).toBeGreaterThanOrEqual(0);
    expect(np.max(u).item() as number).toBeLessThan(0.2);
    const r = I.uniform({ minval: -3, maxval: -1 })(key, [1000]);
    expect(np.min(r).item() as number).toBeGreaterThanOrEqual(-3);
    expect(np.max(r).item() as number).toBeLessThan(-1);
  });

  test("deterministic per key; errors for bad arguments", () => {
    assertAllclose(I.glorotNormal()(random.key(1), [4, 4]), I.glorotNormal()(random.key(1), [4, 4]), { rtol: 0, atol: 0 });
    expect(I.glorotNormal()(random.key(1), [4, 4]).toArray()).not.toEqual(I.glorotNormal()(random.key(2), [4, 4]).toArray());
    expect(() => I.varianceScaling(0, "fanIn", "normal")).toThrow(/scale must be positive/);
    expect(() => I.heNormal()(key, [2, 2], { dtype: "int32" })).toThrow(/float32 or float64/);
    expect(() => I.uniform({ minval: 1, maxval: 1 })).toThrow(/minval < maxval/);
  });
});
