/** Elementwise math with hand-computed values (NumPy-checked values are in fixtures.test.ts). */
import { describe, expect, it } from "vitest";
import { type NdArray, jit, np } from "../../src/index.js";
import { expectArray } from "./_util.js";

const f64 = (v: number[]) => np.array(v, { dtype: "float64" });

describe("arithmetic", () => {
  it("add, subtract, multiply, divide, negative", () => {
    const a = np.array([1, 2, 3]);
    const b = np.array([4, 5, 6]);
    expect(np.add(a, b).toArray()).toEqual([5, 7, 9]);
    expect(np.subtract(a, b).toArray()).toEqual([-3, -3, -3]);
    expect(np.multiply(a, b).toArray()).toEqual([4, 10, 18]);
    expect(np.divide(b, np.array([2, 4, 8])).toArray()).toEqual([2, 1.25, 0.75]);
    expect(np.negative(a).toArray()).toEqual([-1, -2, -3]);
    expect(np.divide(1, np.array([0, -0])).toArray()).toEqual([Infinity, -Infinity]);
  });
  it("power, square, reciprocal, sqrt, rsqrt, cbrt", () => {
    expect(np.power(np.array([2, 3]), 3).toArray()).toEqual([8, 27]);
    expect(np.power(4, np.array([0.5, -1])).toArray()).toEqual([2, 0.25]);
    expect(np.square(np.array([-3, 2])).toArray()).toEqual([9, 4]);
    expect(np.reciprocal(np.array([4, -0.5])).toArray()).toEqual([0.25, -2]);
    expect(np.sqrt(np.array([9, 0, 2.25])).toArray()).toEqual([3, 0, 1.5]);
    expect(Number.isNaN(np.sqrt(-1).item())).toBe(true);
    expect(np.rsqrt(np.array([4, 0.25])).toArray()).toEqual([0.5, 2]);
    expectArray(np.cbrt(f64([27, -8, 0])), [3, -2, 0], { rtol: 1e-12 });
  });
  it("abs, sign, floor, ceil, round (half to even)", () => {
    expect(np.abs(np.array([-1.5, 0, 2])).toArray()).toEqual([1.5, 0, 2]);
    expect(np.abs(np.array([-3, 4], { dtype: "int32" })).toArray()).toEqual([3, 4]);
    expect(np.sign(np.array([-2, 0, 5])).toArray()).toEqual([-1, 0, 1]);
    expect(np.sign(np.array([-2, 0, 5], { dtype: "int32" })).toArray()).toEqual([-1, 0, 1]);
    expect(np.floor(np.array([-1.5, 1.5])).toArray()).toEqual([-2, 1]);
    expect(np.ceil(np.array([-1.5, 1.5])).toArray()).toEqual([-1, 2]);
    expect(np.round(np.array([0.5, 1.5, 2.5, -0.5, -1.5])).toArray()).toEqual([0, 2, 2, -0, -2]);
    // Integers are already whole: returned unchanged, as NumPy 2 and JAX do.
    expect(np.floor(np.arange(3)).dtype).toBe("int32");
    expect(np.round(np.array([-2, 3], { dtype: "int32" })).toArray()).toEqual([-2, 3]);
    expect(np.ceil(np.array([true])).dtype).toBe("bool");
  });
  it("maximum / minimum propagate NaN", () => {
    expect(np.maximum(np.array([1, 5]), np.array([3, 2])).toArray()).toEqual([3, 5]);
    expect(np.minimum(np.array([1, 5]), 2).toArray()).toEqual([1, 2]);
    expect(Number.isNaN(np.maximum(np.array([NaN]), 1).item())).toBe(true);
    expect(Number.isNaN(np.minimum(1, np.array([NaN])).item())).toBe(true);
  });
  it("maximum / minimum / max / min are IEEE maximum/minimum: −0 below +0, eagerly and under jit", () => {
    const a = np.array([0, -0, -0, 1, -1]), b = np.array([-0, 0, -0, 1, -1]);
    const signs = (x: NdArray) => Array.from(x.toTypedArray(), (v) => (Object.is(v, -0) ? "-0" : String(v)));
    const pair = (p: NdArray, q: NdArray) => [np.maximum(p, q), np.minimum(p, q), np.max(p), np.min(q)];
    for (const [what, f] of [["eager", pair], ["jit", jit(pair)]] as const) {
      const [mx, mn, rmax, rmin] = f(a, b) as NdArray[];
      expect(signs(mx!), what).toEqual(["0", "0", "-0", "1", "-1"]);
      expect(signs(mn!), what).toEqual(["-0", "-0", "-0", "1", "-1"]);
      expect(signs(rmax!), what).toEqual(["1"]);
      expect(signs(rmin!), what).toEqual(["-1"]);
      const [, , zmax, zmin] = f(np.array([-0, -2, 0, -0]), np.array([0, 3, -0, 0])) as NdArray[];
      expect(signs(zmax!), what).toEqual(["0"]);
      expect(signs(zmin!), what).toEqual(["-0"]);
    }
  });
});

describe("mod and floorDivide (NumPy sign conventions)", () => {
  const a = np.array([7, -7, 7, -7], { dtype: "int32" });
  const b = np.array([3, 3, -3, -3], { dtype: "int32" });
  it("ints", () => {
    expect(np.mod(a, b).toArray()).toEqual([1, 2, -2, -1]);
    expect(np.floorDivide(a, b).toArray()).toEqual([2, -3, -3, 2]);
    expect(np.mod(a, b).dtype).toBe("int32");
  });
  it("floats", () => {
    const x = np.array([5.5, -5.5, 5.5, -5.5]);
    const y = np.array([2, 2, -2, -2]);
    expect(np.mod(x, y).toArray()).toEqual([1.5, 0.5, -0.5, -1.5]);
    expect(np.floorDivide(x, y).toArray()).toEqual([2, -3, -3, 2]);
    // Exact multiples give a zero remainder (its sign follows JAX: the dividend's, not NumPy's divisor's).
    expect((np.mod(np.array([6, -6]), 3).toArray() as number[]).map((v) => v + 0)).toEqual([0, 0]);
  });
  it("x == floorDivide(x, y)·y + mod(x, y)", () => {
    const x = np.arange(-10, 10);
    for (const y of [3, -4, 7]) {
      expect(np.add(np.multiply(np.floorDivide(x, y), y), np.mod(x, y)).toArray()).toEqual(x.toArray());
    }
  });
});

describe("exponentials, logs and special functions", () => {
  it("exp, log, exp2, log2, log10", () => {
    expectArray(np.exp(f64([0, 1])), [1, Math.E], { rtol: 1e-14 });
    expectArray(np.log(f64([1, Math.E])), [0, 1], { rtol: 1e-14 });
    expect(np.log(np.array([0])).item()).toBe(-Infinity);
    expectArray(np.exp2(f64([3, -1])), [8, 0.5], { rtol: 1e-14 });
    expectArray(np.log2(f64([8, 0.5])), [3, -1], { rtol: 1e-14 });
    expectArray(np.log10(f64([1000, 0.01])), [3, -2], { rtol: 1e-14 });
  });
  it("log1p / expm1 are accurate near 0", () => {
    const tiny = f64([1e-10, -1e-12]);
    expectArray(np.log1p(tiny), [1e-10 - 5e-21, -1e-12 - 5e-25], { rtol: 1e-12, atol: 0 });
    expectArray(np.expm1(tiny), [1e-10 + 5e-21, -1e-12 + 5e-25], { rtol: 1e-12, atol: 0 });
    expect(np.log1p(np.array([1e-10])).item()).toBeCloseTo(1e-10, 15);
    expect(np.expm1(np.array([1e-10])).item()).not.toBe(0);
    expect(np.log1p(np.array([-1])).item()).toBe(-Infinity);
  });
  it("erf / erfinv", () => {
    expectArray(np.erf(f64([0, 0.5, 1, 2, -1, Infinity])), [0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.8427007929497149, 1], { rtol: 1e-12 });
    expectArray(np.erfinv(f64([0, 0.5, -0.5])), [0, 0.4769362762044699, -0.4769362762044699], { rtol: 1e-9 });
    expect(np.erfinv(np.array([1, -1])).toArray()).toEqual([Infinity, -Infinity]);
    const y = f64([-0.99, -0.3, 0.2, 0.95]);
    expectArray(np.erf(np.erfinv(y)), y.toArray(), { rtol: 1e-10 });
    // Gaussian CDF Φ(1.96) ≈ 0.975
    expect(np.multiply(0.5, np.add(1, np.erf(np.divide(1.96, Math.SQRT2)))).item()).toBeCloseTo(0.9750021, 6);
  });
  it("sigmoid / softplus are stable at ±large x", () => {
    const x = f64([-1000, -1, 0, 1, 1000]);
    expectArray(np.sigmoid(x), [0, 1 / (1 + Math.E), 0.5, 1 / (1 + 1 / Math.E), 1], { rtol: 1e-14 });
    expectArray(np.softplus(x), [0, Math.log1p(Math.exp(-1)), Math.LN2, 1 + Math.log1p(Math.exp(-1)), 1000], { rtol: 1e-14 });
    expect(np.softplus(np.array([100])).item()).toBe(100);
    expect(np.sigmoid(np.array([-100])).item()).toBeGreaterThan(0);
  });
  it("logaddexp handles huge and infinite arguments", () => {
    expectArray(np.logaddexp(f64([1000, 0, -Infinity]), f64([1000, 0, 2])), [1000 + Math.LN2, Math.LN2, 2], { rtol: 1e-14 });
    expect(np.logaddexp(np.array([-Infinity]), np.array([-Infinity])).item()).toBe(-Infinity);
    expect(np.logaddexp(np.array([Infinity]), np.array([1])).item()).toBe(Infinity);
  });
  it("trigonometric and hyperbolic", () => {
    const x = f64([0.3, -1.2]);
    const v = [0.3, -1.2];
    expectArray(np.sin(x), v.map(Math.sin), { rtol: 1e-14 });
    expectArray(np.cos(x), v.map(Math.cos), { rtol: 1e-14 });
    expectArray(np.tan(x), v.map(Math.tan), { rtol: 1e-14 });
    expectArray(np.arcsin(f64([0.5])), [Math.asin(0.5)], { rtol: 1e-14 });
    expectArray(np.arccos(f64([0.5])), [Math.acos(0.5)], { rtol: 1e-14 });
    expectArray(np.arctan(x), v.map(Math.atan), { rtol: 1e-14 });
    expectArray(np.arctan2(f64([1, -1]), f64([-1, -1])), [Math.atan2(1, -1), Math.atan2(-1, -1)], { rtol: 1e-14 });
    expectArray(np.sinh(x), v.map(Math.sinh), { rtol: 1e-14 });
    expectArray(np.cosh(x), v.map(Math.cosh), { rtol: 1e-14 });
    expectArray(np.tanh(x), v.map(Math.tanh), { rtol: 1e-14 });
  });
  it("float results for integer inputs", () => {
    expect(np.exp(np.arange(2)).dtype).toBe("float32");
    expect(np.sqrt(np.array([4], { dtype: "int32" })).toArray()).toEqual([2]);
  });
});

describe("predicates, logic, where, clip", () => {
  it("isfinite / isnan / isinf", () => {
    const x = np.array([1, NaN, Infinity, -Infinity]);
    expect(np.isfinite(x).toArray()).toEqual([true, false, false, false]);
    expect(np.isnan(x).toArray()).toEqual([false, true, false, false]);
    expect(np.isinf(x).toArray()).toEqual([false, false, true, true]);
  });
  it("logical ops accept numbers as truth values", () => {
    const a = np.array([0, 1, 2, 0]);
    const b = np.array([true, true, false, false]);
    expect(np.logicalAnd(a, b).toArray()).toEqual([false, true, false, false]);
    expect(np.logicalOr(a, b).toArray()).toEqual([true, true, true, false]);
    expect(np.logicalXor(a, b).toArray()).toEqual([true, false, true, false]);
    expect(np.logicalNot(a).toArray()).toEqual([true, false, false, true]);
  });
  it("where broadcasts and promotes", () => {
    const c = np.array([[true], [false]]);
    expect(np.where(c, np.array([1, 2, 3]), 0).toArray()).toEqual([[1, 2, 3], [0, 0, 0]]);
    expect(np.where(np.array([1, 0, 2]), 5, -5).toArray()).toEqual([5, -5, 5]);
    expect(np.where(np.array([true, false]), np.arange(2), 0.5).dtype).toBe("float32");
    expect(np.where(np.array([true, false]), np.arange(2), 7).dtype).toBe("int32");
    expect(np.where(true, np.ones([2]), np.zeros([2])).toArray()).toEqual([1, 1]);
  });
  it("indicator Π(x > 0)", () => {
    expect(np.greater(np.array([-1, 0, 2]), 0).astype("float32").toArray()).toEqual([0, 0, 1]);
  });
  it("clip with scalar, array and null bounds", () => {
    const x = np.array([-2, -0.5, 0.5, 2]);
    expect(np.clip(x, -1, 1).toArray()).toEqual([-1, -0.5, 0.5, 1]);
    expect(np.clip(x, null, 0).toArray()).toEqual([-2, -0.5, 0, 0]);
    expect(np.clip(x, 0, null).toArray()).toEqual([0, 0, 0.5, 2]);
    expect(np.clip(x, np.array([0, 0, 1, 1]), 1.5).toArray()).toEqual([0, 0, 1, 1.5]);
    expect(np.clip(np.arange(5), 1, 3).toArray()).toEqual([1, 1, 2, 3, 3]);
    expect(np.clip(np.arange(5), 1, 3).dtype).toBe("int32");
  });
});

describe("power with integer exponents", () => {
  it("is exact and differentiable for negative bases", async () => {
    const { grad, jvp } = await import("../../src/index.js");
    const x = np.array([-2, -0.5, 3], { dtype: "float64" });
    expect(Array.from(np.power(x, 3).toTypedArray())).toEqual([-8, -0.125, 27]);
    expect(Array.from(np.power(x, -2).toTypedArray())).toEqual([0.25, 4, 1 / 9]);
    const [, t] = jvp((v: NdArray) => np.power(v, 3), [x], [np.onesLike(x)]);
    expect(Array.from(t.toTypedArray())).toEqual([12, 0.75, 27]);
    expect((grad((v: NdArray) => np.sum(np.power(v, 3)))(x) as NdArray).toArray()).toEqual([12, 0.75, 27]);
    expect(np.power(x, 0).toArray()).toEqual([1, 1, 1]);
  });
});
