/** Shape manipulation: reshape, transpose, axes, stacking, splitting, tiling, padding, flipping. */
import { describe, expect, it } from "vitest";
import { ShapeError, np } from "../../src/index.js";

const a = np.arange(6).reshape([2, 3]);

describe("reshape / ravel", () => {
  it("row-major, with −1 inferred", () => {
    expect(np.reshape(a, [3, 2]).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(np.reshape(a, [-1]).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(np.reshape(a, [-1, 2]).shape).toEqual([3, 2]);
    expect(np.reshape(a, [1, -1, 1]).shape).toEqual([1, 6, 1]);
    expect(np.reshape(np.zeros([0, 3]), [-1, 3]).shape).toEqual([0, 3]);
    expect(np.reshape(np.array([5]), []).shape).toEqual([]);
    expect(np.ravel(a).shape).toEqual([6]);
  });
  it("rejects bad targets", () => {
    expect(() => np.reshape(a, [4, 2])).toThrow(ShapeError);
    expect(() => np.reshape(a, [-1, -1])).toThrow(ShapeError);
    expect(() => np.reshape(a, [-1, 4])).toThrow(/reshape.*i32\[2,3\]/);
    expect(() => np.reshape(a, [2.5, 2])).toThrow(ShapeError);
  });
});

describe("transpose / moveaxis / swapaxes", () => {
  const b = np.arange(24).reshape([2, 3, 4]);
  it("transpose reverses by default, or permutes", () => {
    expect(np.transpose(a).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(np.transpose(b).shape).toEqual([4, 3, 2]);
    expect(np.transpose(b, [1, 0, 2]).shape).toEqual([3, 2, 4]);
    expect(np.transpose(b, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(np.transpose(np.array(3)).shape).toEqual([]);
    const t = np.transpose(b, [2, 0, 1]);
    // t[k, i, j] = b[i, j, k]
    expect(np.slice(t, 3, 1, 2).item()).toBe(np.slice(b, 1, 2, 3).item());
  });
  it("moveaxis / swapaxes", () => {
    expect(np.moveaxis(b, 0, -1).shape).toEqual([3, 4, 2]);
    expect(np.moveaxis(b, -1, 0).shape).toEqual([4, 2, 3]);
    expect(np.moveaxis(b, 1, 1).toArray()).toEqual(b.toArray());
    expect(np.swapaxes(b, 0, 2).shape).toEqual([4, 3, 2]);
    expect(np.swapaxes(b, 0, 2).toArray()).toEqual(np.transpose(b, [2, 1, 0]).toArray());
    expect(np.swapaxes(a, 1, 1).toArray()).toEqual(a.toArray());
  });
});

describe("expandDims / squeeze / broadcastTo", () => {
  it("expandDims at any position, including negative", () => {
    expect(np.expandDims(a, 0).shape).toEqual([1, 2, 3]);
    expect(np.expandDims(a, 1).shape).toEqual([2, 1, 3]);
    expect(np.expandDims(a, 2).shape).toEqual([2, 3, 1]);
    expect(np.expandDims(a, -1).shape).toEqual([2, 3, 1]);
    expect(np.expandDims(a, -3).shape).toEqual([1, 2, 3]);
    expect(() => np.expandDims(a, 3)).toThrow(RangeError);
  });
  it("squeeze all size-1 axes or the listed ones", () => {
    const c = np.zeros([1, 3, 1, 2]);
    expect(np.squeeze(c).shape).toEqual([3, 2]);
    expect(np.squeeze(c, 0).shape).toEqual([3, 1, 2]);
    expect(np.squeeze(c, [0, -2]).shape).toEqual([3, 2]);
    expect(np.squeeze(np.zeros([1, 1])).shape).toEqual([]);
    expect(() => np.squeeze(c, 1)).toThrow(/squeeze.*axis 1.*f32\[1,3,1,2\]/);
  });
  it("broadcastTo", () => {
    expect(np.broadcastTo(np.array([1, 2]), [3, 2]).toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(np.broadcastTo(np.array([[1], [2]]), [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(() => np.broadcastTo(np.array([1, 2]), [3])).toThrow(ShapeError);
  });
});

describe("concatenate / stack / split", () => {
  it("concatenate along an axis, promoting dtypes", () => {
    const b = np.array([[6, 7, 8]]);
    const c = np.concatenate([a, b]);
    expect(c.shape).toEqual([3, 3]);
    expect(c.dtype).toBe("float32");
    expect(c.toArray()).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(np.concatenate([a, a], 1).toArray()).toEqual([[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]]);
    expect(np.concatenate([a, a], -1).shape).toEqual([2, 6]);
    expect(np.concatenate([a]).toArray()).toEqual(a.toArray());
    expect(np.concatenate([np.zeros([0, 3]), a]).shape).toEqual([2, 3]);
  });
  it("LSTM-style [h, x] concatenation", () => {
    const h = np.ones([4, 3]);
    const x = np.zeros([4, 5]);
    expect(np.concatenate([h, x], 1).shape).toEqual([4, 8]);
  });
  it("stack along a new axis", () => {
    const x = np.array([1, 2]);
    const y = np.array([3, 4]);
    expect(np.stack([x, y]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(np.stack([x, y], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(np.stack([x, y], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(np.stack([np.array(1), np.array(2)]).toArray()).toEqual([1, 2]);
    expect(() => np.stack([x, np.ones([3])])).toThrow(/stack.*f32\[2\].*f32\[3\]/);
  });
  it("split into equal sections", () => {
    const parts = np.split(np.arange(6), 3);
    expect(parts.map((p) => p.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    const cols = np.split(a, 3, 1);
    expect(cols.map((p) => p.shape)).toEqual([[2, 1], [2, 1], [2, 1]]);
    expect(() => np.split(np.arange(5), 2)).toThrow(/split.*i32\[5\]/);
  });
  it("split at indices (including empty and out-of-range pieces)", () => {
    const parts = np.split(np.arange(6), [1, 4]);
    expect(parts.map((p) => p.toArray())).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(np.split(np.arange(4), [0, 0, 9]).map((p) => p.shape[0])).toEqual([0, 0, 4, 0]);
    expect(np.split(np.arange(4), [3, 1]).map((p) => p.toArray())).toEqual([[0, 1, 2], [], [1, 2, 3]]);
    expect(np.split(a, [2], -1).map((p) => p.shape)).toEqual([[2, 2], [2, 1]]);
    // negative indices count from the end (Python slicing of each piece)
    expect(np.split(np.arange(6), [-2]).map((p) => p.toArray())).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(np.split(np.arange(6), [4, -4]).map((p) => p.toArray())).toEqual([[0, 1, 2, 3], [], [2, 3, 4, 5]]);
    expect(() => np.split(np.arange(6), [1.5])).toThrow(TypeError);
  });
});

describe("tile / repeat", () => {
  it("tile", () => {
    expect(np.tile(np.array([1, 2]), 3).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(np.tile(np.array([1, 2]), [2, 2]).toArray()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(np.tile(a, [2, 1]).shape).toEqual([4, 3]);
    expect(np.tile(a, 2).toArray()).toEqual([[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]]);
    expect(np.tile(a, [1, 1, 2]).shape).toEqual([1, 2, 6]);
    expect(np.tile(a, 0).shape).toEqual([2, 0]);
    expect(() => np.tile(a, -1)).toThrow(RangeError);
    expect(() => np.tile(a, [1, 1.5])).toThrow(/tile.*i32\[2,3\]/);
  });
  it("repeat (nearest-neighbour upsampling)", () => {
    expect(np.repeat(np.array([1, 2]), 2).toArray()).toEqual([1, 1, 2, 2]);
    expect(np.repeat(a, 2).toArray()).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(np.repeat(a, 2, 0).toArray()).toEqual([[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]]);
    expect(np.repeat(a, 2, -1).toArray()).toEqual([[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]]);
    const img = np.array([[1, 2], [3, 4]]);
    expect(np.repeat(np.repeat(img, 2, 0), 2, 1).toArray()).toEqual([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    expect(np.repeat(a, 0, 1).shape).toEqual([2, 0]);
    expect(() => np.repeat(a, -1)).toThrow(RangeError);
  });
});

describe("pad", () => {
  const v = np.array([1, 2, 3]);
  it("constant (zero by default, or a value), width forms", () => {
    expect(np.pad(v, 1).toArray()).toEqual([0, 1, 2, 3, 0]);
    expect(np.pad(v, [2, 0]).toArray()).toEqual([0, 0, 1, 2, 3]);
    expect(np.pad(v, [[0, 1]], { constantValue: -1 }).toArray()).toEqual([1, 2, 3, -1]);
    expect(np.pad(np.array([[1]]), [[1, 0], [0, 2]]).toArray()).toEqual([[0, 0, 0], [1, 0, 0]]);
    expect(np.pad(np.arange(2), 1).dtype).toBe("int32");
  });
  it("reflect / wrap / edge", () => {
    expect(np.pad(v, 2, { mode: "reflect" }).toArray()).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(np.pad(v, 2, { mode: "wrap" }).toArray()).toEqual([2, 3, 1, 2, 3, 1, 2]);
    expect(np.pad(v, 2, { mode: "edge" }).toArray()).toEqual([1, 1, 1, 2, 3, 3, 3]);
    expect(np.pad(np.array([5]), 2, { mode: "reflect" }).toArray()).toEqual([5, 5, 5, 5, 5]);
    const m = np.array([[1, 2], [3, 4]]);
    expect(np.pad(m, [[1, 0], [0, 1]], { mode: "reflect" }).toArray()).toEqual([[3, 4, 3], [1, 2, 1], [3, 4, 3]]);
    expect(np.pad(m, [[0, 0], [1, 1]], { mode: "wrap" }).toArray()).toEqual([[2, 1, 2, 1], [4, 3, 4, 3]]);
  });
  it("rejects bad widths", () => {
    expect(() => np.pad(v, -1)).toThrow(ShapeError);
    expect(() => np.pad(v, [[1, 1], [1, 1]])).toThrow(/pad.*f32\[3\]/);
    expect(() => np.pad(np.zeros([0]), 1, { mode: "reflect" })).toThrow(ShapeError);
  });
});

describe("flip", () => {
  it("one axis, several, all", () => {
    expect(np.flip(a, 0).toArray()).toEqual([[3, 4, 5], [0, 1, 2]]);
    expect(np.flip(a, 1).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(np.flip(a, -1).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(np.flip(a).toArray()).toEqual([[5, 4, 3], [2, 1, 0]]);
    expect(np.flip(a, [0, 1]).toArray()).toEqual([[5, 4, 3], [2, 1, 0]]);
  });
});
