/** Indexing: slice, take, takeAlongAxis, oneHot, scatterAdd. */
import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, np } from "../../src/index.js";

const A = np.arange(12).reshape([3, 4]);
const ints = (v: number[] | number[][] | number[][][]) => np.array(v, { dtype: "int32" });

describe("slice (basic indexing)", () => {
  it("integers drop axes: A[i,:], A[:,i], A[:,:,i]", () => {
    expect(np.slice(A, 1).toArray()).toEqual([4, 5, 6, 7]);
    expect(np.slice(A, null, 2).toArray()).toEqual([2, 6, 10]);
    expect(np.slice(A, ":", -1).toArray()).toEqual([3, 7, 11]);
    expect(np.slice(A, 2, 3).shape).toEqual([]);
    expect(np.slice(A, 2, 3).item()).toBe(11);
    expect(np.slice(A, -1, -4).item()).toBe(8);
    const B = np.arange(24).reshape([2, 3, 4]);
    expect(np.slice(B, ":", ":", 1).toArray()).toEqual([[1, 5, 9], [13, 17, 21]]);
    expect(np.index(A, 0).toArray()).toEqual([0, 1, 2, 3]);
  });
  it("ranges as [start, stop, step] with nulls", () => {
    expect(np.slice(A, [1, 3]).toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(np.slice(A, [null, null, 2], [1, null]).toArray()).toEqual([[1, 2, 3], [9, 10, 11]]);
    expect(np.slice(A, [0, 1], [null, null, 3]).toArray()).toEqual([[0, 3]]);
    expect(np.slice(A, [-2]).shape).toEqual([2, 4]);
    expect(np.slice(A, [5, 9]).shape).toEqual([0, 4]);
  });
  it("negative steps", () => {
    expect(np.slice(A, [null, null, -1]).toArray()).toEqual([[8, 9, 10, 11], [4, 5, 6, 7], [0, 1, 2, 3]]);
    expect(np.slice(A, 0, [null, null, -2]).toArray()).toEqual([3, 1]);
    expect(np.slice(A, 0, [2, null, -1]).toArray()).toEqual([2, 1, 0]);
    expect(np.slice(A, 0, [3, 0, -1]).toArray()).toEqual([3, 2, 1]);
    expect(np.slice(A, 0, [-1, -3, -1]).toArray()).toEqual([3, 2]);
    expect(np.slice(A, 0, [0, 3, -1]).toArray()).toEqual([]);
  });
  it("NumPy strings", () => {
    const v = np.arange(6);
    expect(np.slice(v, "::-1").toArray()).toEqual([5, 4, 3, 2, 1, 0]);
    expect(np.slice(v, "1:5:2").toArray()).toEqual([1, 3]);
    expect(np.slice(v, "-2:").toArray()).toEqual([4, 5]);
    expect(np.slice(v, ":-2").toArray()).toEqual([0, 1, 2, 3]);
    expect(np.slice(v, "4:1:-1").toArray()).toEqual([4, 3, 2]);
    expect(np.slice(v, ":").toArray()).toEqual(v.toArray());
    expect(np.slice(v, "-1").item()).toBe(5);
    expect(np.slice(v, " 1 : 3 ").toArray()).toEqual([1, 2]);
    expect(np.slice(A, "::2", "::-3").toArray()).toEqual([[3, 0], [11, 8]]);
  });
  it("errors", () => {
    expect(() => np.slice(A, 3)).toThrow(RangeError);
    expect(() => np.slice(A, 0, 0, 0)).toThrow(/slice.*too many indices.*i32\[3,4\]/);
    expect(() => np.slice(A, "1:2:3:4")).toThrow(TypeError);
    expect(() => np.slice(A, "a:b")).toThrow(TypeError);
    expect(() => np.slice(A, "x")).toThrow(TypeError);
    expect(() => np.slice(A, [0, 2, 0])).toThrow(RangeError);
    expect(() => np.slice(A, 1.5)).toThrow(TypeError);
  });
});

describe("take", () => {
  it("along an axis (embedding lookup)", () => {
    const emb = np.array([[0, 0], [1, 1], [2, 2], [3, 3]]);
    const tokens = ints([[3, 0], [1, 1]]);
    const e = np.take(emb, tokens, 0);
    expect(e.shape).toEqual([2, 2, 2]);
    expect(e.toArray()).toEqual([[[3, 3], [0, 0]], [[1, 1], [1, 1]]]);
    expect(np.take(A, [0, 2], 1).toArray()).toEqual([[0, 2], [4, 6], [8, 10]]);
  });
  it("negative indices count from the end", () => {
    expect(np.take(A, [-1, 0], 0).toArray()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(np.take(A, ints([-1, -4]), 1).toArray()).toEqual([[3, 0], [7, 4], [11, 8]]);
  });
  it("flattened without an axis; scalar index drops the axis", () => {
    expect(np.take(A, [0, 5, 11]).toArray()).toEqual([0, 5, 11]);
    expect(np.take(A, 2, 1).toArray()).toEqual([2, 6, 10]);
    expect(np.take(A, np.array(1, { dtype: "int32" }), 0).shape).toEqual([4]);
  });
  it("rejects float and out-of-bounds indices", () => {
    expect(() => np.take(A, np.array([0, 1]), 0)).toThrow(DTypeError);
    expect(() => np.take(A, [0, 1.5], 0)).toThrow(DTypeError);
    expect(() => np.take(A, 0.5, 0)).toThrow(DTypeError);
    expect(() => np.take(A, [3], 0)).toThrow(RangeError);
    expect(() => np.take(A, [-5], 1)).toThrow(/take.*-5.*axis 1.*i32\[3,4\]/);
  });
});

describe("takeAlongAxis", () => {
  it("gathers per row", () => {
    const x = np.array([[10, 30, 20], [60, 40, 50]]);
    const idx = ints([[1, 2, 0], [1, 2, 0]]);
    expect(np.takeAlongAxis(x, idx, 1).toArray()).toEqual([[30, 20, 10], [40, 50, 60]]);
    expect(np.takeAlongAxis(x, ints([[0], [2]]), 1).toArray()).toEqual([[10], [50]]);
    expect(np.takeAlongAxis(x, ints([[1, 0, 0]]), 0).toArray()).toEqual([[60, 30, 20]]);
    expect(np.takeAlongAxis(x, ints([[-1], [-3]]), -1).toArray()).toEqual([[20], [60]]);
  });
  it("picks the log-probability of each label", () => {
    const logp = np.log(np.array([[0.1, 0.9], [0.8, 0.2]]));
    const labels = ints([1, 0]);
    const picked = np.takeAlongAxis(logp, np.expandDims(labels, 1), 1);
    expect(picked.shape).toEqual([2, 1]);
    expect(np.exp(picked).toArray()).toEqual([[0.9], [0.8]].map((r) => r.map(Math.fround)));
  });
  it("broadcasts indices against the other axes", () => {
    const x = np.arange(24).reshape([2, 3, 4]);
    const idx = ints([[[3, 0]]]); // [1,1,2]
    const y = np.takeAlongAxis(x, idx, 2);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(np.slice(y, 1, 2).toArray()).toEqual([23, 20]);
  });
  it("errors", () => {
    expect(() => np.takeAlongAxis(A, ints([0, 1]), 1)).toThrow(ShapeError);
    expect(() => np.takeAlongAxis(A, ints([[4]]), 1)).toThrow(RangeError);
    expect(() => np.takeAlongAxis(A, ints([[0, 0], [0, 0]]), 1)).toThrow(/takeAlongAxis.*i32\[2,2\].*i32\[3,4\]/);
  });
});

describe("oneHot", () => {
  it("int labels, dtype, out-of-range rows are zero", () => {
    const y = np.oneHot(ints([0, 2, 1]), 3);
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(np.oneHot(ints([-1, 3]), 3).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(np.oneHot(ints([[1], [0]]), 2, { dtype: "int32" }).toArray()).toEqual([[[0, 1]], [[1, 0]]]);
    expect(np.oneHot(2, 4).toArray()).toEqual([0, 0, 1, 0]);
  });
  it("float labels compare exactly (1.5 is no class)", () => {
    expect(np.oneHot(np.array([1, 1.5]), 3).toArray()).toEqual([[0, 1, 0], [0, 0, 0]]);
  });
  it("rejects a bad class count", () => {
    expect(() => np.oneHot(ints([0]), 2.5)).toThrow(RangeError);
  });
});

describe("scatterAdd", () => {
  it("repeated indices accumulate", () => {
    const y = np.scatterAdd(np.zeros([4]), [1, 1, 3, 1], np.array([1, 2, 3, 4]));
    expect(y.toArray()).toEqual([0, 7, 0, 3]);
  });
  it("rows along axis 0, broadcast updates, negative indices", () => {
    const y = np.scatterAdd(np.zeros([3, 2]), ints([0, -1, 0]), 1);
    expect(y.toArray()).toEqual([[2, 2], [0, 0], [1, 1]]);
    const z = np.scatterAdd(np.ones([2, 3]), [2, 0], np.array([[10, 20], [30, 40]]), 1);
    expect(z.toArray()).toEqual([[21, 1, 11], [41, 1, 31]]);
  });
  it("is the transpose of take (gradient of an embedding lookup)", () => {
    const idx = ints([[0, 2], [2, 2]]);
    const u = np.arange(8).reshape([2, 2, 2]).astype("float32");
    const y = np.scatterAdd(np.zeros([3, 2]), idx, u, 0);
    expect(y.toArray()).toEqual([[0, 1], [0, 0], [2 + 4 + 6, 3 + 5 + 7]]);
  });
  it("errors", () => {
    expect(() => np.scatterAdd(np.zeros([3]), [3], 1)).toThrow(RangeError);
    expect(() => np.scatterAdd(np.zeros([3]), np.array([0]), 1)).toThrow(DTypeError);
    expect(() => np.scatterAdd(np.zeros([3, 2]), [0], np.ones([1, 3]))).toThrow(ShapeError);
  });
});
