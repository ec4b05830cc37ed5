/** Creation: zeros/ones/full, arange, linspace, eye/identity, diag/diagonal, tril/triu, *Like. */
import { describe, expect, it } from "vitest";
import { np } from "../../src/index.js";
import { expectArray } from "./_util.js";

describe("zeros / ones / full", () => {
  it("default float32, shape and values", () => {
    const z = np.zeros([2, 3]);
    expect(z.dtype).toBe("float32");
    expect(z.shape).toEqual([2, 3]);
    expect(z.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(np.ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(np.full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
  });
  it("dtype option", () => {
    expect(np.zeros([2], { dtype: "int32" }).dtype).toBe("int32");
    expect(np.ones([2], { dtype: "float64" }).dtype).toBe("float64");
    expect(np.ones([2], { dtype: "bool" }).toArray()).toEqual([true, true]);
    expect(np.full([2], 3, { dtype: "uint32" }).toArray()).toEqual([3, 3]);
    expect(np.full([2], 2.7, { dtype: "int32" }).toArray()).toEqual([2, 2]);
  });
  it("full with a boolean is bool", () => {
    const t = np.full([2], true);
    expect(t.dtype).toBe("bool");
    expect(t.toArray()).toEqual([true, true]);
  });
  it("0-d and empty shapes", () => {
    expect(np.zeros([]).shape).toEqual([]);
    expect(np.zeros([]).item()).toBe(0);
    expect(np.ones([0, 3]).shape).toEqual([0, 3]);
    expect(np.ones([0, 3]).toArray()).toEqual([]);
    expect(np.ones([2, 0]).toArray()).toEqual([[], []]);
  });
  it("float32 rounding of the fill value", () => {
    expect(np.full([1], 0.1).item()).toBe(Math.fround(0.1));
    expect(np.full([1], 0.1, { dtype: "float64" }).item()).toBe(0.1);
  });
});

describe("*Like", () => {
  const x = np.arange(6).reshape([2, 3]);
  it("keeps shape and dtype", () => {
    const z = np.zerosLike(x);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe("int32");
    expect(z.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(np.onesLike(x).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(np.fullLike(x, 4).toArray()).toEqual([[4, 4, 4], [4, 4, 4]]);
  });
  it("dtype override", () => {
    const o = np.onesLike(x, { dtype: "float64" });
    expect(o.dtype).toBe("float64");
    expect(np.fullLike(x, 2.5, { dtype: "float32" }).toArray()).toEqual([[2.5, 2.5, 2.5], [2.5, 2.5, 2.5]]);
    expect(np.fullLike(np.zeros([2]), true).toArray()).toEqual([1, 1]);
  });
  it("int fill truncates into an int array (as NumPy's full_like)", () => {
    expect(np.fullLike(x, 2.5).toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
  });
});

describe("arange", () => {
  it("arange(n) is int32 0..n−1", () => {
    const a = np.arange(5);
    expect(a.dtype).toBe("int32");
    expect(a.toArray()).toEqual([0, 1, 2, 3, 4]);
  });
  it("start, stop, step", () => {
    expect(np.arange(2, 11, 3).toArray()).toEqual([2, 5, 8]);
    expect(np.arange(10, 0, -3).toArray()).toEqual([10, 7, 4, 1]);
    expect(np.arange(5, 0).toArray()).toEqual([]);
    expect(np.arange(0).shape).toEqual([0]);
  });
  it("float steps give float32", () => {
    const a = np.arange(0, 1, 0.25);
    expect(a.dtype).toBe("float32");
    expect(a.toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expectArray(np.arange(1, 2, 0.1), [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]);
    expectArray(np.arange(0.5, -0.5, -0.25), [0.5, 0.25, 0, -0.25]);
    expect(np.arange(0.5, 3).toArray()).toEqual([0.5, 1.5, 2.5]);
  });
  it("dtype option", () => {
    const a = np.arange(4, undefined, 1, { dtype: "float64" });
    expect(a.dtype).toBe("float64");
    expect(a.toArray()).toEqual([0, 1, 2, 3]);
    expect(np.arange(0, 1, 0.1, { dtype: "float64" }).toArray()).toEqual(Array.from({ length: 10 }, (_, i) => i * 0.1));
    expect(np.arange(3, undefined, 1, { dtype: "float32" }).dtype).toBe("float32");
  });
  it("rejects a zero or non-finite step", () => {
    expect(() => np.arange(0, 5, 0)).toThrow(RangeError);
    expect(() => np.arange(0, 5, NaN)).toThrow(RangeError);
  });
});

describe("linspace", () => {
  it("inclusive endpoints, exact stop", () => {
    const l = np.linspace(0, 1, 5);
    expect(l.dtype).toBe("float32");
    expect(l.toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const l64 = np.linspace(0, 0.3, 4, { dtype: "float64" }).toArray() as number[];
    expect(l64).toEqual([0, 0.3 / 3, (2 * 0.3) / 3, 0.3]); // NumPy's values exactly; the stop is exact
    expect(l64[3]).toBe(0.3);
  });
  it("endpoint: false", () => {
    expect(np.linspace(0, 1, 4, { endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
  });
  it("decreasing, single, empty", () => {
    expect(np.linspace(2, -2, 3).toArray()).toEqual([2, 0, -2]);
    expect(np.linspace(3, 7, 1).toArray()).toEqual([3]);
    expect(np.linspace(3, 7, 0).shape).toEqual([0]);
    expect(np.linspace(0, 1).shape).toEqual([50]);
  });
  it("rejects a negative or fractional num", () => {
    expect(() => np.linspace(0, 1, -1)).toThrow(RangeError);
    expect(() => np.linspace(0, 1, 2.5)).toThrow(RangeError);
  });
});

describe("eye / identity", () => {
  it("identity", () => {
    const i = np.identity(3);
    expect(i.dtype).toBe("float32");
    expect(i.toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(np.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
  });
  it("rectangular with k", () => {
    expect(np.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(np.eye(3, 3, { k: 1 }).toArray()).toEqual([[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
    expect(np.eye(3, 2, { k: -1 }).toArray()).toEqual([[0, 0], [1, 0], [0, 1]]);
    expect(np.eye(2, 3, { k: 5 }).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(np.eye(0).shape).toEqual([0, 0]);
  });
  it("dtype", () => {
    expect(np.eye(2, 2, { dtype: "int32" }).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(np.eye(2, 2, { dtype: "bool" }).toArray()).toEqual([[true, false], [false, true]]);
    expect(np.identity(2, { dtype: "float64" }).dtype).toBe("float64");
  });
});

describe("diag / diagonal", () => {
  it("diag(v) builds a matrix", () => {
    expect(np.diag(np.array([1, 2, 3])).toArray()).toEqual([[1, 0, 0], [0, 2, 0], [0, 0, 3]]);
    expect(np.diag(np.array([1, 2]), 1).toArray()).toEqual([[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
    expect(np.diag(np.array([1, 2]), -1).toArray()).toEqual([[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
    expect(np.diag(np.arange(2)).dtype).toBe("int32");
  });
  it("diag(A) extracts", () => {
    const a = np.arange(12).reshape([3, 4]);
    expect(np.diag(a).toArray()).toEqual([0, 5, 10]);
    expect(np.diag(a, 1).toArray()).toEqual([1, 6, 11]);
    expect(np.diag(a, 2).toArray()).toEqual([2, 7]);
    expect(np.diag(a, -1).toArray()).toEqual([4, 9]);
    expect(np.diag(a, -3).toArray()).toEqual([]);
    expect(np.diag(a, 4).toArray()).toEqual([]);
  });
  it("diag round trip", () => {
    const v = np.array([4, 5, 6]);
    expect(np.diag(np.diag(v)).toArray()).toEqual([4, 5, 6]);
    expect(np.diag(np.diag(v, -2), -2).toArray()).toEqual([4, 5, 6]);
  });
  it("diagonal works on the last two axes of a batch", () => {
    const b = np.arange(18).reshape([2, 3, 3]);
    expect(np.diagonal(b).toArray()).toEqual([[0, 4, 8], [9, 13, 17]]);
    expect(np.diagonal(b, 1).toArray()).toEqual([[1, 5], [10, 14]]);
    expect(np.diagonal(b, -2).toArray()).toEqual([[6], [15]]);
  });
  it("rejects other ranks", () => {
    expect(() => np.diag(np.zeros([2, 2, 2]))).toThrow(/diag.*f32\[2,2,2\]/);
    expect(() => np.diagonal(np.zeros([3]))).toThrow(/diagonal.*f32\[3\]/);
  });
});

describe("tril / triu", () => {
  const a = np.arange(1, 10).reshape([3, 3]);
  it("default diagonal", () => {
    expect(np.tril(a).toArray()).toEqual([[1, 0, 0], [4, 5, 0], [7, 8, 9]]);
    expect(np.triu(a).toArray()).toEqual([[1, 2, 3], [0, 5, 6], [0, 0, 9]]);
  });
  it("offset k", () => {
    expect(np.tril(a, -1).toArray()).toEqual([[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
    expect(np.triu(a, 1).toArray()).toEqual([[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
    expect(np.tril(a, 5).toArray()).toEqual(a.toArray());
  });
  it("tril + triu(k=1) = A, batched", () => {
    const b = np.arange(24).reshape([2, 3, 4]);
    expect(np.add(np.tril(b), np.triu(b, 1)).toArray()).toEqual(b.toArray());
  });
  it("a ones mask (causal attention)", () => {
    expect(np.tril(np.ones([3, 3])).toArray()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  });
});
