/** Specs for gather (take along an axis) and scatter_add. */
import { DTypeError, type NdArray, type PrimName, ShapeError, lax, np } from "../../src/index.js";
import { type BadCall, type Spec, rand } from "./_specs.js";

/** The primitives this family covers. */
export const INDEXING_PRIMS: readonly PrimName[] = ["gather", "scatter_add"];

const i32 = (x: unknown) => np.array(x as never, { dtype: "int32" });
const f64 = (x: unknown) => np.array(x as never, { dtype: "float64" });
const toIndex = (x: NdArray) => lax.convertElementType(x, "int32");

const GATHERS: [string, number[], NdArray, number][] = [
  ["axis 0 with repeats", [3, 4], i32([2, 0, 2]), 0],
  ["axis 1, 2-d indices", [3, 4], i32([[3, 1], [0, 0]]), 1],
  // Out-of-range indices clamp; the derivative must flow to the clamped element.
  ["out-of-range indices clamp", [3, 4], i32([-1, 5, 1, -100]), 0],
  ["0-d index drops the axis", [3, 4], i32(2), 1],
  ["3-d operand, middle axis", [2, 3, 4], i32([[1, 2], [2, 0]]), 1],
  ["empty indices", [3, 4], i32([]), 1],
];
const gatherSpecs: Spec[] = GATHERS.map(([name, shape, idx, axis], k) => ({
  prim: "gather" as const,
  name,
  f: (x: NdArray, i: NdArray) => lax.gather(x, i, axis),
  args: [rand(shape, 10 + k), idx],
  grads: "check" as const,
}));

// checkVmap repeats integer arguments across the batch; indices cast from floats differ per example
// (x·(1 + k/4) + k/8), including out-of-range ones, so batched indices really are batched.
gatherSpecs.push({
  prim: "gather",
  name: "per-example indices (cast from float), some out of range",
  f: (x, fi) => lax.gather(x, toIndex(fi!), 1),
  args: [rand([2, 4], 20), f64([[0.5, 3.5], [-1.5, 2.5], [1.5, 5.5]])],
  grads: "check",
});

const SCATTERS: [string, number[], NdArray, number][] = [
  ["axis 0 with duplicates", [3, 4], i32([2, 0, 2]), 0],
  ["axis 1, 2-d indices with duplicates", [3, 4], i32([[3, 1], [1, 1]]), 1],
  // Out-of-range updates are dropped; their derivative must be zero.
  ["out-of-range updates dropped", [3, 4], i32([-1, 4, 1, 7]), 1],
  ["0-d index", [3, 4], i32(1), 1],
  ["3-d operand, middle axis", [2, 3, 4], i32([0, 2, 2]), 1],
  ["empty indices", [3, 4], i32([]), 0],
];
const updatesShape = (shape: number[], idx: NdArray, axis: number) => [...shape.slice(0, axis), ...idx.shape, ...shape.slice(axis + 1)];
const scatterSpecs: Spec[] = SCATTERS.map(([name, shape, idx, axis], k) => ({
  prim: "scatter_add" as const,
  name,
  f: (op: NdArray, i: NdArray, u: NdArray) => lax.scatterAdd(op, i, u, axis),
  args: [rand(shape, 30 + k), idx, rand(updatesShape(shape, idx, axis), 40 + k)],
  grads: "check" as const,
}));
scatterSpecs.push({
  prim: "scatter_add",
  name: "per-example indices (cast from float), some out of range",
  f: (op, fi, u) => lax.scatterAdd(op!, toIndex(fi!), u!, 0),
  args: [rand([4, 2], 50), f64([0.5, -1.5, 3.5, 2.5, 5.5]), rand([5, 2], 51)],
  grads: "check",
});

/** Every indexing spec. */
export const INDEXING_SPECS: readonly Spec[] = [...gatherSpecs, ...scatterSpecs];

const x23 = lax.full([2, 3], 1, "float64");
/** Calls the indexing rules must reject. */
export const INDEXING_BAD_CALLS: readonly BadCall[] = [
  ["gather: float indices", () => lax.gather(x23, f64([0]), 0), DTypeError, /indices must be int32/],
  ["gather: axis out of range", () => lax.gather(x23, i32([0]), 2), ShapeError, /axis 2 out of range/],
  ["gather: indices into an empty axis", () => lax.gather(lax.full([0, 3], 1, "float64"), i32([0, 1]), 0), ShapeError, /empty axis 0/],
  ["scatter_add: updates shape", () => lax.scatterAdd(x23, i32([0]), x23, 0), ShapeError, /updates must be f64\[1,3\]/],
  ["scatter_add: updates dtype", () => lax.scatterAdd(x23, i32([0]), lax.full([1, 3], 1, "float32"), 0), ShapeError, /updates must be f64\[1,3\]/],
];
