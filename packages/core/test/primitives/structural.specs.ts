/** Specs for the movement primitives: iota, broadcast_in_dim, reshape, transpose, rev, pad, concatenate, slice. */
import { DTypeError, type NdArray, type PrimName, ShapeError, lax } from "../../src/index.js";
import { type BadCall, type Spec, rand } from "./_specs.js";

/** The primitives this family covers. */
export const STRUCTURAL_PRIMS: readonly PrimName[] = ["iota", "broadcast_in_dim", "reshape", "transpose", "rev", "pad", "concatenate", "slice"];

const f64 = (x: NdArray) => lax.convertElementType(x, "float64");

const iotaSpecs: Spec[] = [
  // iota has no operands: nothing to differentiate or batch; under vmap it meets a batched value.
  { prim: "iota", name: "float32 [3,4] dimension 0", f: () => lax.iota("float32", [3, 4], 0), args: [], grads: "none", vmap: false },
  { prim: "iota", name: "added to a batched value", f: (x) => lax.add(x, f64(lax.iota("int32", [2, 3], 1))), args: [rand([2, 3], 1)], grads: "none" },
];

const BROADCASTS: [string, number[], number[], number[]][] = [
  ["[3]→[2,3] dims [1]", [3], [2, 3], [1]],
  ["[3]→[3,2] dims [0]", [3], [3, 2], [0]],
  ["[3,1]→[3,4] expands a size-1 dim", [3, 1], [3, 4], [0, 1]],
  ["[3,1]→[2,3,5,4] dims [1,3]", [3, 1], [2, 3, 5, 4], [1, 3]],
  ["0-d→[2,2]", [], [2, 2], []],
  ["[1]→[0] (broadcast to empty)", [1], [0], [0]],
];
const broadcastSpecs: Spec[] = BROADCASTS.map(([name, inShape, shape, dims], k) => ({
  prim: "broadcast_in_dim" as const,
  name,
  f: (x: NdArray) => lax.broadcastInDim(x, shape, dims),
  args: [rand(inShape, 10 + k)],
  grads: "check" as const,
}));

const RESHAPES: [number[], number[]][] = [[[2, 3], [3, 2]], [[2, 3], [6]], [[2, 3], [1, 6, 1]], [[], [1, 1]], [[4], [2, 1, 2]]];
const reshapeSpecs: Spec[] = RESHAPES.map(([inShape, newSizes], k) => ({
  prim: "reshape" as const,
  name: `[${inShape}]→[${newSizes}]`,
  f: (x: NdArray) => lax.reshape(x, newSizes),
  args: [rand(inShape, 20 + k)],
  grads: "check" as const,
}));

const transposeSpecs: Spec[] = [[2, 0, 1], [1, 0, 2], [2, 1, 0]].map((perm, k) => ({
  prim: "transpose" as const,
  name: `[2,3,4] perm [${perm}]`,
  f: (x: NdArray) => lax.transpose(x, perm),
  args: [rand([2, 3, 4], 30 + k)],
  grads: "check" as const,
}));

const revSpecs: Spec[] = [[0], [2], [0, 2]].map((dims, k) => ({
  prim: "rev" as const,
  name: `[2,3,4] dims [${dims}]`,
  f: (x: NdArray) => lax.rev(x, dims),
  args: [rand([2, 3, 4], 40 + k)],
  grads: "check" as const,
}));

// Pad is linear in operand and pad value; checkVmap batches each alone (a batched pad value) and both.
type PadConfig = (readonly [number, number, number])[];
const PADS: [string, number[], PadConfig][] = [
  ["low/high", [5], [[1, 2, 0]]],
  ["interior", [5], [[0, 0, 2]]],
  ["negative low with interior", [5], [[-1, 1, 1]]],
  ["negative low and high with interior", [5], [[-2, -2, 1]]],
  ["2-d mixed", [2, 3], [[1, -1, 2], [0, 2, 1]]],
  ["2-d crop one dim, pad the other", [3, 4], [[-1, -1, 0], [2, 0, 0]]],
  ["crop everything", [5], [[-5, 0, 0]]],
  ["empty operand (all padding)", [0], [[2, 1, 3]]],
];
const padSpecs: Spec[] = PADS.map(([name, inShape, config], k) => ({
  prim: "pad" as const,
  name,
  f: (x: NdArray, v: NdArray) => lax.pad(x, v, config),
  args: [rand(inShape, 50 + k), rand([], 60 + k)],
  grads: "check" as const,
}));

const concatSpecs: Spec[] = [
  { prim: "concatenate", name: "three operands, dim 1", f: (a, b, c) => lax.concatenate([a!, b!, c!], 1), args: [rand([2, 3], 1), rand([2, 1], 2), rand([2, 4], 3)], grads: "check" },
  { prim: "concatenate", name: "two operands, dim 0", f: (a, b) => lax.concatenate([a!, b!], 0), args: [rand([2, 3], 4), rand([1, 3], 5)], grads: "check" },
  { prim: "concatenate", name: "with an empty operand", f: (a, b, c) => lax.concatenate([a!, b!, c!], 1), args: [rand([2, 3], 8), rand([2, 0], 9), rand([2, 1], 10)], grads: "check" },
  { prim: "concatenate", name: "3-d, middle dim", f: (a, b) => lax.concatenate([a!, b!], 1), args: [rand([2, 3, 2], 6), rand([2, 1, 2], 7)], grads: "check" },
];

const SLICES: [string, number[], number[], number[], number[]][] = [
  ["unit strides", [6, 7], [1, 2], [5, 6], [1, 1]],
  ["strides [2,3]", [6, 7], [0, 1], [6, 7], [2, 3]],
  ["stride past the end", [6, 7], [1, 0], [6, 7], [4, 10]],
  ["3-d strided", [2, 5, 4], [1, 0, 1], [2, 5, 4], [1, 2, 2]],
  ["1-d stride 3, not ending on a stride", [8], [1], [7], [3]],
  ["empty result", [6, 7], [2, 3], [2, 7], [1, 1]],
];
const sliceSpecs: Spec[] = SLICES.map(([name, inShape, start, limit, strides], k) => ({
  prim: "slice" as const,
  name,
  f: (x: NdArray) => lax.slice(x, start, limit, strides),
  args: [rand(inShape, 70 + k)],
  grads: "check" as const,
}));

/** Every structural spec. */
export const STRUCTURAL_SPECS: readonly Spec[] = [
  ...iotaSpecs, ...broadcastSpecs, ...reshapeSpecs, ...transposeSpecs, ...revSpecs, ...padSpecs, ...concatSpecs, ...sliceSpecs,
];

const x23 = lax.full([2, 3], 1, "float64");
const zero = lax.scalar(0, "float64");
/** Calls the structural rules must reject. */
export const STRUCTURAL_BAD_CALLS: readonly BadCall[] = [
  ["iota: dimension out of range", () => lax.iota("int32", [2, 3], 2), ShapeError, /dimension 2 out of range/],
  ["iota: negative size", () => lax.iota("int32", [-2], 0), ShapeError, /non-negative/],
  ["iota: unknown dtype", () => lax.iota("int8" as never, [2], 0), DTypeError, /unknown dtype "int8"/],
  ["broadcast_in_dim: incompatible dims", () => lax.broadcastInDim(x23, [3, 3], [0, 1]), ShapeError, /cannot broadcast f64\[2,3\] to \[3,3\]/],
  ["broadcast_in_dim: negative size", () => lax.broadcastInDim(zero, [-1], []), ShapeError, /non-negative/],
  ["reshape: sizes differ", () => lax.reshape(x23, [4]), ShapeError, /6 elements.*4 elements/],
  ["transpose: not a permutation", () => lax.transpose(x23, [0, 0]), ShapeError, /not a permutation/],
  ["rev: axis out of range", () => lax.rev(x23, [2]), ShapeError, /axis 2 out of range/],
  ["rev: repeated axes", () => lax.rev(x23, [1, 1]), ShapeError, /repeated axes/],
  ["pad: config per dimension", () => lax.pad(x23, zero, [[1, 1, 0]]), ShapeError, /one \[low, high, interior\] per dimension/],
  ["pad: pad value dtype", () => lax.pad(x23, lax.scalar(0, "float32"), [[1, 1, 0], [0, 0, 0]]), DTypeError, /same dtype/],
  ["pad: negative interior", () => lax.pad(x23, zero, [[1, 1, -1], [0, 0, 0]]), ShapeError, /interior padding must be non-negative/],
  ["pad: crops more than the dimension has", () => lax.pad(x23, zero, [[-2, -1, 0], [0, 0, 0]]), ShapeError, /removes more than dimension 0/],
  ["concatenate: shapes differ off the axis", () => lax.concatenate([x23, lax.full([2, 2], 1, "float64")], 0), ShapeError, /must match except along axis 0/],
  ["slice: limit past the end", () => lax.slice(x23, [0, 0], [3, 3]), ShapeError, /do not fit f64\[2,3\]/],
  ["slice: zero stride", () => lax.slice(x23, [0, 0], [2, 3], [1, 0]), ShapeError, /strides \[1,0\]/],
];
