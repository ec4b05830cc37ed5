/** Reductions with axis/keepdims (hand-computed; NumPy sweeps are in fixtures.test.ts). */
import { describe, expect, it } from "vitest";
import { ShapeError, np } from "../../src/index.js";
import { expectArray } from "./_util.js";

const x = np.array([[1, 2, 3], [4, 5, 6]]);

describe("sum / mean / prod", () => {
  it("all, per axis, negative axis, several axes", () => {
    expect(np.sum(x).item()).toBe(21);
    expect(np.sum(x).shape).toEqual([]);
    expect(np.sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(np.sum(x, 1).toArray()).toEqual([6, 15]);
    expect(np.sum(x, -1).toArray()).toEqual([6, 15]);
    expect(np.sum(x, [0, 1]).item()).toBe(21);
    expect(np.sum(x, null).item()).toBe(21);
    expect(np.sum(x, []).toArray()).toEqual(x.toArray());
  });
  it("keepdims", () => {
    expect(np.sum(x, 1, { keepdims: true }).toArray()).toEqual([[6], [15]]);
    expect(np.sum(x, undefined, { keepdims: true }).shape).toEqual([1, 1]);
    expect(np.mean(x, 0, { keepdims: true }).toArray()).toEqual([[2.5, 3.5, 4.5]]);
    expect(np.prod(x, [0, 1], { keepdims: true }).toArray()).toEqual([[720]]);
  });
  it("dtypes: bools are counted as int32, mean of ints is float32", () => {
    const b = np.array([true, false, true]);
    expect(np.sum(b).dtype).toBe("int32");
    expect(np.sum(b).item()).toBe(2);
    expect(np.sum(np.arange(4)).dtype).toBe("int32");
    expect(np.mean(np.arange(4)).dtype).toBe("float32");
    expect(np.mean(np.arange(4)).item()).toBe(1.5);
    expect(np.prod(np.arange(1, 5)).item()).toBe(24);
    expect(np.mean(np.ones([2], { dtype: "float64" })).dtype).toBe("float64");
  });
  it("empty reductions", () => {
    expect(np.sum(np.zeros([0])).item()).toBe(0);
    expect(np.prod(np.zeros([0])).item()).toBe(1);
    expect(np.sum(np.zeros([0, 3]), 0).toArray()).toEqual([0, 0, 0]);
    expect(Number.isNaN(np.mean(np.zeros([0])).item())).toBe(true);
  });
  it("mean over several axes", () => {
    const y = np.arange(24).reshape([2, 3, 4]);
    expect(np.mean(y, [0, 2]).toArray()).toEqual([7.5, 11.5, 15.5]);
  });
});

describe("var / std", () => {
  it("population and sample (ddof)", () => {
    const v = np.array([1, 2, 3, 4]);
    expect(np.var(v).item()).toBe(1.25);
    expect(np.var(v, undefined, { ddof: 1 }).item()).toBeCloseTo(5 / 3, 6);
    expect(np.std(v).item()).toBeCloseTo(Math.sqrt(1.25), 6);
    expect(np.std(v, null, { ddof: 1 }).item()).toBeCloseTo(Math.sqrt(5 / 3), 6);
    expect(np.variance).toBe(np.var);
  });
  it("per axis with keepdims", () => {
    expect(np.var(x, 1).toArray()).toEqual([2 / 3, 2 / 3].map(Math.fround));
    expect(np.var(x, 0, { keepdims: true }).toArray()).toEqual([[2.25, 2.25, 2.25]]);
    expect(np.std(x, 0, { ddof: 1 }).toArray()).toEqual([Math.fround(Math.SQRT2 * 1.5), Math.fround(Math.SQRT2 * 1.5), Math.fround(Math.SQRT2 * 1.5)]);
  });
  it("is numerically two-pass (large offset)", () => {
    const big = np.array([1e8 + 1, 1e8 + 2, 1e8 + 3], { dtype: "float64" });
    expect(np.var(big).item()).toBeCloseTo(2 / 3, 8);
  });
  it("constant input has zero variance; ints are promoted", () => {
    expect(np.var(np.full([5], 3)).item()).toBe(0);
    expect(np.var(np.arange(4)).dtype).toBe("float32");
  });
});

describe("max / min / argmax / argmin", () => {
  it("values", () => {
    const y = np.array([[3, -1, 7], [2, 9, -4]]);
    expect(np.max(y).item()).toBe(9);
    expect(np.min(y).item()).toBe(-4);
    expect(np.max(y, 0).toArray()).toEqual([3, 9, 7]);
    expect(np.min(y, 1, { keepdims: true }).toArray()).toEqual([[-1], [-4]]);
    expect(np.max(np.arange(5)).dtype).toBe("int32");
  });
  it("NaN propagates through max/min", () => {
    expect(Number.isNaN(np.max(np.array([1, NaN, 3])).item())).toBe(true);
    expect(Number.isNaN(np.min(np.array([1, NaN, 3])).item())).toBe(true);
    expect(np.max(np.array([-Infinity, -Infinity])).item()).toBe(-Infinity);
  });
  it("argmax/argmin: int32, first occurrence on ties, flattened without axis", () => {
    const y = np.array([[3, 9, 9], [9, 1, 1]]);
    expect(np.argmax(y).dtype).toBe("int32");
    expect(np.argmax(y).item()).toBe(1);
    expect(np.argmin(y).item()).toBe(4);
    expect(np.argmax(y, 0).toArray()).toEqual([1, 0, 0]);
    expect(np.argmax(y, 1).toArray()).toEqual([1, 0]);
    expect(np.argmin(y, -1).toArray()).toEqual([0, 1]);
    expect(np.argmax(y, 1, { keepdims: true }).toArray()).toEqual([[1], [0]]);
    expect(np.argmin(y, undefined, { keepdims: true }).toArray()).toEqual([[4]]);
  });
  it("empty reductions without identity are errors", () => {
    expect(() => np.max(np.zeros([0]))).toThrow(ShapeError);
    expect(() => np.argmin(np.zeros([2, 0]), 1)).toThrow(/argmin.*f32\[2,0\]/);
    expect(np.max(np.zeros([0, 2]), 1).shape).toEqual([0]);
  });
});

describe("logsumexp", () => {
  it("matches log Σ e^x and is stable for large values", () => {
    expect(np.logsumexp(np.array([0, 0])).item()).toBeCloseTo(Math.LN2, 6);
    const big = np.array([1000, 1000, 1000], { dtype: "float64" });
    expect(np.logsumexp(big).item()).toBeCloseTo(1000 + Math.log(3), 10);
    expect(np.logsumexp(np.array([-1000, -1000], { dtype: "float64" })).item()).toBeCloseTo(-1000 + Math.LN2, 10);
  });
  it("−∞ rows give −∞, +∞ gives +∞, NaN propagates", () => {
    const a = np.array([[-Infinity, -Infinity], [0, -Infinity], [Infinity, 1], [NaN, 1]]);
    const r = np.logsumexp(a, 1).toArray() as number[];
    expect(r[0]).toBe(-Infinity);
    expect(r[1]).toBe(0);
    expect(r[2]).toBe(Infinity);
    expect(Number.isNaN(r[3])).toBe(true);
  });
  it("axis and keepdims", () => {
    const a = np.log(np.array([[1, 3], [2, 2]], { dtype: "float64" }));
    expectArray(np.logsumexp(a, 1), [Math.log(4), Math.log(4)], { rtol: 1e-14 });
    expectArray(np.logsumexp(a, 0, { keepdims: true }), [[Math.log(3), Math.log(5)]], { rtol: 1e-14 });
    expectArray(np.logsumexp(a), [Math.log(8)], { shape: [], rtol: 1e-14 });
  });
  it("log-softmax rows sum to one", () => {
    const logits = np.array([[1, 2, 3], [-5, 0, 5]]);
    const p = np.exp(np.subtract(logits, np.logsumexp(logits, 1, { keepdims: true })));
    expectArray(np.sum(p, 1), [1, 1]);
  });
});

describe("cumsum / all / any", () => {
  it("cumsum flattened, per axis, reversed", () => {
    const y = np.array([[1, 2, 3], [4, 5, 6]]);
    expect(np.cumsum(y).toArray()).toEqual([1, 3, 6, 10, 15, 21]);
    expect(np.cumsum(y, 0).toArray()).toEqual([[1, 2, 3], [5, 7, 9]]);
    expect(np.cumsum(y, 1).toArray()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(np.cumsum(y, -1, { reverse: true }).toArray()).toEqual([[6, 5, 3], [15, 11, 6]]);
    expect(np.cumsum(np.array([true, true, false])).toArray()).toEqual([1, 2, 2]);
  });
  it("empirical CDF", () => {
    const counts = np.array([1, 3, 0, 4]);
    expect(np.divide(np.cumsum(counts), np.sum(counts)).toArray()).toEqual([0.125, 0.5, 0.5, 1]);
  });
  it("all / any", () => {
    const b = np.array([[true, false], [true, true]]);
    expect(np.all(b).item()).toBe(false);
    expect(np.any(b).item()).toBe(true);
    expect(np.all(b, 0).toArray()).toEqual([true, false]);
    expect(np.any(b, 1, { keepdims: true }).toArray()).toEqual([[true], [true]]);
    expect(np.all(np.array([1, 2, 0]), 0).item()).toBe(false);
    expect(np.any(np.array([0, 0, 0.5])).item()).toBe(true);
    expect(np.all(np.zeros([0])).item()).toBe(true);
    expect(np.any(np.zeros([0])).item()).toBe(false);
    expect(np.all(b).dtype).toBe("bool");
  });
});
