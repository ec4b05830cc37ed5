import { describe, expect, it } from "vitest";
import { np, tree, type NdArray } from "../src/index.js";

describe("pytrees", () => {
  const t = { w: np.array([1, 2]), b: [np.array(3), null, { z: 4 }] };

  it("flattens with sorted keys and rebuilds the same structure", () => {
    const [leaves, def] = tree.flatten(t);
    // keys sorted: b before w; null contributes no leaf
    expect(leaves.map((l) => (typeof l === "number" ? l : (l as NdArray).toArray()))).toEqual([3, 4, [1, 2]]);
    expect(tree.treedefToString(def)).toBe("{b: [*, null, {z: *}], w: *}");
    const back = tree.unflatten<typeof t>(def, leaves);
    expect(back.b[1]).toBeNull();
    expect((back.w as NdArray).toArray()).toEqual([1, 2]);
  });

  it("structure ignores key insertion order", () => {
    expect(tree.treedefEquals(tree.structure({ a: 1, b: 2 }), tree.structure({ b: 5, a: 6 }))).toBe(true);
    expect(tree.treedefEquals(tree.structure([1, 2]), tree.structure([1, [2]]))).toBe(false);
  });

  it("map over several trees, leaves, numLeaves", () => {
    const doubled = tree.map((a, b) => (a as NdArray).add(b as NdArray), { x: np.array(1), y: np.array(2) }, { x: np.array(10), y: np.array(20) }) as { x: NdArray; y: NdArray };
    expect(doubled.y.item()).toBe(22);
    expect(tree.leaves(t)).toHaveLength(3);
    expect(tree.numLeaves(tree.structure(t))).toBe(3);
  });

  it("rejects mismatched structures and non-tree values", () => {
    expect(() => tree.map((a) => a, { x: 1 }, { y: 1 })).toThrow(/structures differ/);
    expect(() => tree.flatten({ d: new Date() } as never)).toThrow(/not a pytree node/);
    expect(() => tree.unflatten(tree.structure([1, 2]), [1])).toThrow(RangeError);
  });
});
