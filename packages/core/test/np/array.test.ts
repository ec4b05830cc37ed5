/** np.array, reading data back, weak typing / promotion, broadcasting. */
import { describe, expect, it } from "vitest";
import { DTypeError, type NdArray, ShapeError, np, promoteTypes } from "../../src/index.js";
import { expectArray } from "./_util.js";

describe("np.array", () => {
  it("nested lists default to float32", () => {
    const a = np.array([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe("float32");
    expect(a.ndim).toBe(2);
    expect(a.size).toBe(6);
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
  it("scalars are 0-d", () => {
    const s = np.array(2.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(2.5);
    expect(s.toArray()).toBe(2.5);
  });
  it("booleans are bool; mixed with numbers they are numeric", () => {
    expect(np.array([true, false]).dtype).toBe("bool");
    expect(np.array([[true], [false]]).toArray()).toEqual([[true], [false]]);
    const m = np.array([true, 2] as never);
    expect(m.dtype).toBe("float32");
    expect(m.toArray()).toEqual([1, 2]);
  });
  it("empty lists", () => {
    expect(np.array([]).shape).toEqual([0]);
    expect(np.array([]).dtype).toBe("float32");
    expect(np.array([[], []]).shape).toEqual([2, 0]);
  });
  it("dtype option converts (truncation for ints, non-zero for bool)", () => {
    expect(np.array([1.7, -1.7, 3], { dtype: "int32" }).toArray()).toEqual([1, -1, 3]);
    expect(np.array([0, 0.5, -2, NaN], { dtype: "bool" }).toArray()).toEqual([false, true, true, true]);
    expect(np.array([1, 2], { dtype: "float64" }).dtype).toBe("float64");
    expect(np.array([0.1], { dtype: "float64" }).item()).toBe(0.1);
    expect(np.array([0.1]).item()).toBe(Math.fround(0.1));
    expect(np.array([5], { dtype: "uint32" }).dtype).toBe("uint32");
  });
  it("typed arrays keep their dtype", () => {
    expect(np.array(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(np.array(new Float32Array([1, 2])).dtype).toBe("float32");
    expect(np.array(new Int32Array([1, -2])).toArray()).toEqual([1, -2]);
    expect(np.array(new Uint32Array([7])).dtype).toBe("uint32");
    expect(np.array(new Uint8Array([0, 1])).toArray()).toEqual([false, true]);
  });
  it("typed arrays with a dtype option", () => {
    expect(np.array(new Float64Array([1.5, 2.5]), { dtype: "int32" }).toArray()).toEqual([1, 2]);
    expect(np.array(new Float32Array([0.5, 0]), { dtype: "bool" }).toArray()).toEqual([true, false]);
    expect(np.array(new Int32Array([3]), { dtype: "float32" }).dtype).toBe("float32");
  });
  it("copies its input", () => {
    const src = new Float32Array([1, 2, 3]);
    const a = np.array(src);
    src[0] = 100;
    expect(a.toArray()).toEqual([1, 2, 3]);
  });
  it("an NdArray passes through, or is cast", () => {
    const a = np.arange(3);
    expect(np.array(a)).toBe(a);
    expect(np.array(a, { dtype: "float32" }).toArray()).toEqual([0, 1, 2]);
    expect(np.asArray(a)).toBe(a);
    expect(np.asArray(3).dtype).toBe("float32");
  });
  it("rejects ragged lists and bad elements", () => {
    expect(() => np.array([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => np.array([[1, 2], 3] as never)).toThrow(ShapeError);
    expect(() => np.array([1, [2]] as never)).toThrow(ShapeError);
    expect(() => np.array(["a"] as never)).toThrow(TypeError);
    expect(() => np.array([1], { dtype: "int64" as never })).toThrow(DTypeError);
  });
});

describe("reading data", () => {
  it("toArray / toTypedArray / item", () => {
    const a = np.array([[1, 2], [3, 4]]);
    expect(a.toArray()).toEqual([[1, 2], [3, 4]]);
    const t = a.toTypedArray();
    expect(t).toBeInstanceOf(Float32Array);
    expect(Array.from(t)).toEqual([1, 2, 3, 4]);
    expect(np.arange(3).toTypedArray()).toBeInstanceOf(Int32Array);
    expect(np.array([true]).toTypedArray()).toBeInstanceOf(Uint8Array);
    expect(np.array([[7]]).item()).toBe(7);
    expect(np.array([true]).item()).toBe(true);
    expect(np.arange(3).sum().item()).toBe(3);
  });
  it("returns fresh copies", () => {
    const a = np.array([1, 2]);
    const t = a.toTypedArray();
    t[0] = 99;
    expect(a.toArray()).toEqual([1, 2]);
    const n = a.toArray() as number[];
    n[0] = 99;
    expect(a.toArray()).toEqual([1, 2]);
  });
  it("item() needs exactly one element", () => {
    expect(() => np.ones([3]).item()).toThrow(TypeError);
    expect(() => np.ones([0]).item()).toThrow(TypeError);
  });
  it("toString looks like NumPy's repr", () => {
    expect(np.array([1, 2.5]).toString()).toBe("array([1., 2.5], dtype=float32)");
    expect(np.array(3).toString()).toBe("array(3., dtype=float32)");
    expect(np.arange(4).reshape([2, 2]).toString()).toBe("array([[0, 1],\n       [2, 3]], dtype=int32)");
    expect(np.array([true, false]).toString()).toBe("array([true, false], dtype=bool)");
    expect(np.array([NaN, Infinity, -Infinity]).toString()).toBe("array([nan, inf, -inf], dtype=float32)");
    expect(np.array([0.1]).toString()).toBe("array([0.1], dtype=float32)");
    expect(np.array([0.1], { dtype: "float64" }).toString()).toBe("array([0.1], dtype=float64)");
    expect(String(np.zeros([0]))).toBe("array([], dtype=float32)");
  });
});

describe("weak typing and promotion", () => {
  const f32 = np.ones([2]);
  const f64 = np.ones([2], { dtype: "float64" });
  const i32 = np.arange(2);
  const u32 = np.ones([2], { dtype: "uint32" });
  const b = np.array([true, false]);
  it("a JS number takes the array's dtype", () => {
    expect(np.add(f32, 1).dtype).toBe("float32");
    expect(np.add(f64, 1).dtype).toBe("float64");
    expect(np.add(i32, 1).dtype).toBe("int32");
    expect(np.add(u32, 1).dtype).toBe("uint32");
    expect(np.multiply(2, i32).dtype).toBe("int32");
    expect(np.add(f64, 0.1).toArray()).toEqual([1.1, 1.1]); // 0.1 is not rounded to float32 first
  });
  it("int32 array + 1.5 → float32", () => {
    const y = np.add(i32, 1.5);
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual([1.5, 2.5]);
    expect(np.multiply(u32, 0.5).dtype).toBe("float32");
  });
  it("bool + number → float32; bool + bool stays bool", () => {
    const y = np.add(b, 1);
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual([2, 1]);
    expect(np.logicalAnd(b, true).dtype).toBe("bool");
    expect(np.where(b, true, false).dtype).toBe("bool");
  });
  it("array + array follows the lattice", () => {
    expect(np.add(f32, f64).dtype).toBe("float64");
    expect(np.add(i32, f32).dtype).toBe("float32");
    expect(np.add(i32, u32).dtype).toBe("int32");
    expect(np.add(u32, b).dtype).toBe("uint32");
    expect(np.add(i32, f64).dtype).toBe("float64");
    expect(promoteTypes("int32", "uint32")).toBe("int32");
    expect(promoteTypes("bool", "float32")).toBe("float32");
  });
  it("scalars alone default to float32", () => {
    expect(np.add(1, 2).dtype).toBe("float32");
    expect(np.add(1, 2).item()).toBe(3);
  });
  it("true division promotes ints, floorDivide does not", () => {
    expect(np.divide(i32, 2).dtype).toBe("float32");
    expect(np.divide(np.arange(3), 2).toArray()).toEqual([0, 0.5, 1]);
    expect(np.floorDivide(np.arange(5), 2).dtype).toBe("int32");
    expect(np.floorDivide(np.arange(5), 2).toArray()).toEqual([0, 0, 1, 1, 2]);
  });
  it("comparisons give bool", () => {
    expect(np.less(i32, 0.5).dtype).toBe("bool");
    expect(np.less(i32, 0.5).toArray()).toEqual([true, false]);
    expect(np.equal(f32, 1).toArray()).toEqual([true, true]);
  });
  it("astype", () => {
    expect(np.astype(np.array([1.9, -1.9]), "int32").toArray()).toEqual([1, -1]);
    expect(np.array([0, 2]).astype("bool").toArray()).toEqual([false, true]);
    expect(b.astype("float32").toArray()).toEqual([1, 0]);
  });
});

describe("broadcasting", () => {
  const col = np.array([[1], [2], [3]]); // [3,1]
  const row = np.array([10, 20]); // [2]
  it("column + row", () => {
    const y = np.add(col, row);
    expect(y.shape).toEqual([3, 2]);
    expect(y.toArray()).toEqual([[11, 21], [12, 22], [13, 23]]);
  });
  it("scalar and 0-d", () => {
    expect(np.multiply(row, np.array(2)).toArray()).toEqual([20, 40]);
    expect(np.subtract(5, row).toArray()).toEqual([-5, -15]);
  });
  it("leading dimensions and size-1 axes", () => {
    const a = np.ones([2, 1, 4]);
    const c = np.ones([3, 1]);
    expect(np.add(a, c).shape).toEqual([2, 3, 4]);
    expect(np.add(np.ones([1, 1]), np.ones([5])).shape).toEqual([1, 5]);
    expect(np.add(np.ones([0, 3]), np.ones([1, 3])).shape).toEqual([0, 3]);
  });
  it("broadcastTo", () => {
    expect(np.broadcastTo(row, [2, 2]).toArray()).toEqual([[10, 20], [10, 20]]);
    expect(np.broadcastTo(col, [2, 3, 4]).shape).toEqual([2, 3, 4]);
    expect(np.broadcastTo(3, [2]).toArray()).toEqual([3, 2].map(() => 3));
  });
  it("incompatible shapes name the op and both operands", () => {
    expect(() => np.add(np.ones([3]), np.ones([4]))).toThrow(ShapeError);
    expect(() => np.add(np.ones([3]), np.ones([4]))).toThrow(/add.*f32\[3\].*f32\[4\]/);
    expect(() => np.where(np.array([true, false]), np.ones([3]), 0)).toThrow(/where.*bool\[2\].*f32\[3\]/);
    expect(() => np.broadcastTo(np.ones([2, 3]), [3])).toThrow(/broadcastTo.*f32\[2,3\].*\[3\]/);
  });
});

describe("fluent methods", () => {
  it("x.add(y).mul(2).sum()", () => {
    const x = np.array([1, 2, 3]);
    const y = np.array([4, 5, 6]);
    const s: NdArray = x.add(y).mul(2).sum();
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(42);
  });
  it("chains of the other aliases", () => {
    const x = np.arange(6).reshape([2, 3]).astype("float32");
    expect(x.T.shape).toEqual([3, 2]);
    expect(x.transpose([1, 0]).toArray()).toEqual(x.T.toArray());
    expect(x.sub(1).div(2).toArray()).toEqual([[-0.5, 0, 0.5], [1, 1.5, 2]]);
    expect(x.pow(2).sum(1).toArray()).toEqual([5, 50]);
    expect(x.neg().abs().max().item()).toBe(5);
    expect(x.mean(0, { keepdims: true }).shape).toEqual([1, 3]);
    expect(x.min(1).toArray()).toEqual([0, 3]);
    expect(x.argmax(1).toArray()).toEqual([2, 2]);
    expect(x.matmul(x.T).toArray()).toEqual([[5, 14], [14, 50]]);
    expect(x.reshape([3, 2]).dot(np.ones([2])).toArray()).toEqual([1, 5, 9]);
    expect(x.flatten().shape).toEqual([6]);
    expect(x.expandDims(0).squeeze(0).shape).toEqual([2, 3]);
    expect(x.gt(2).toArray()).toEqual([[false, false, false], [true, true, true]]);
    expect(x.le(2).toArray()).toEqual([[true, true, true], [false, false, false]]);
    expect(x.ge(3).toArray()).toEqual([[false, false, false], [true, true, true]]);
    expect(x.eq(1).ne(true).lt(1).toArray()).toEqual([[false, true, false], [false, false, false]]);
    expect(x.maximum(2).minimum(4).toArray()).toEqual([[2, 2, 2], [3, 4, 4]]);
    expectArray(x.exp().log(), x.toArray());
    expectArray(x.sqrt().square(), x.toArray(), { rtol: 1e-6 });
    expectArray(x.sin().square().add(x.cos().square()), [[1, 1, 1], [1, 1, 1]]);
    expectArray(x.tanh(), (x.toArray() as number[][]).map((r) => r.map(Math.tanh)));
  });
});
