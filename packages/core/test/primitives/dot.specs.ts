/** Specs for dot_general: every dimension-number pattern, differentiated in both operands and batched. */
import { DTypeError, type NdArray, type PrimName, ShapeError, lax } from "../../src/index.js";
import { type BadCall, type Spec, rand } from "./_specs.js";

/** The primitives this family covers. */
export const DOT_PRIMS: readonly PrimName[] = ["dot_general"];

type Dims = [readonly [number[], number[]], readonly [number[], number[]]];
// checkVmap batches each operand alone (at every axis position) and both together.
const DOTS: [string, number[], number[], Dims][] = [
  ["matmul", [2, 3], [3, 4], [[[1], [0]], [[], []]]],
  ["contract leading dims (xᵀy)", [3, 2], [3, 4], [[[0], [0]], [[], []]]],
  ["vector dot", [5], [5], [[[0], [0]], [[], []]]],
  ["outer product", [2], [3], [[[], []], [[], []]]],
  ["batched matmul", [2, 3, 4], [2, 4, 5], [[[2], [1]], [[0], [0]]]],
  ["batch dims not leading", [3, 2, 4], [4, 5, 2], [[[2], [0]], [[1], [2]]]],
  ["two contracting dims, crossed order", [2, 3, 4], [4, 3, 5], [[[1, 2], [1, 0]], [[], []]]],
  ["batch and contract, rhs reversed", [2, 3, 4], [3, 2], [[[1], [0]], [[0], [1]]]],
  ["matrix-vector", [3, 4], [4], [[[1], [0]], [[], []]]],
  ["empty contraction gives zeros", [2, 0], [0, 3], [[[1], [0]], [[], []]]],
  ["0-d times 0-d", [], [], [[[], []], [[], []]]],
];

/** Every dot spec. */
export const DOT_SPECS: readonly Spec[] = DOTS.map(([name, a, b, [contracting, batch]], k) => ({
  prim: "dot_general" as const,
  name,
  f: (x: NdArray, y: NdArray) => lax.dotGeneral(x, y, contracting, batch),
  args: [rand(a, 10 + k), rand(b, 20 + k)],
  grads: "check" as const,
}));

const m = (shape: number[], dtype: "float32" | "float64" = "float64") => lax.full(shape, 1, dtype);
/** Calls the dot_general rule must reject. */
export const DOT_BAD_CALLS: readonly BadCall[] = [
  ["contracting sizes differ", () => lax.dotGeneral(m([2, 3]), m([4, 2]), [[1], [0]]), ShapeError, /^dot_general: contracting dimensions differ: f64\[2,3\] · f64\[4,2\]/],
  ["dtypes differ", () => lax.dotGeneral(m([2, 3]), m([3, 2], "float32"), [[1], [0]]), DTypeError, /^dot_general: .*same dtype.*f64\[2,3\] · f32\[3,2\]/],
  ["batch sizes differ", () => lax.dotGeneral(m([2, 3]), m([3, 3]), [[1], [0]], [[0], [1]]), ShapeError, /batch dimensions differ/],
  ["a dimension contracted twice", () => lax.dotGeneral(m([2, 3]), m([3, 3]), [[1, 1], [0, 1]]), ShapeError, /repeated/],
  ["a dimension both batch and contracting", () => lax.dotGeneral(m([3, 3]), m([3, 3]), [[0], [0]], [[0], [0]]), ShapeError, /repeated/],
  ["dimension out of range", () => lax.dotGeneral(m([2, 3]), m([3, 2]), [[2], [0]]), ShapeError, /out of range/],
  ["bool operands", () => lax.dotGeneral(lax.full([2], true, "bool"), lax.full([2], true, "bool"), [[0], [0]]), DTypeError, /bool/],
];
