/** Specs for reductions, argmax/argmin and cumsum. */
import { DTypeError, type NdArray, type PrimName, ShapeError, lax, np } from "../../src/index.js";
import { type BadCall, type Spec, rand } from "./_specs.js";

/** The primitives this family covers. */
export const REDUCTION_PRIMS: readonly PrimName[] = ["reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "argmax", "argmin", "cumsum"];

const f64 = (x: unknown) => np.array(x as never, { dtype: "float64" });
const AXES: readonly (readonly number[])[] = [[0], [1], [2], [0, 2], [2, 0], [0, 1, 2]];
type Reduce = (x: NdArray, axes: readonly number[]) => NdArray;
const REDUCERS: [PrimName, Reduce][] = [
  ["reduce_sum", lax.reduceSum],
  ["reduce_max", lax.reduceMax],
  ["reduce_min", lax.reduceMin],
  ["reduce_prod", lax.reduceProd],
];

// Random values are distinct, so max/min have a unique winner and are smooth there.
const reduceSpecs: Spec[] = REDUCERS.flatMap(([prim, op], k) =>
  AXES.map((axes, j) => ({
    prim,
    name: `[2,3,4] axes ${JSON.stringify(axes)}`,
    f: (x: NdArray) => op(x, axes),
    args: [rand([2, 3, 4], 10 * k + j, 0.5, 1.5)],
    grads: "check" as const,
  })),
);

reduceSpecs.push(
  // Exactly two tied extremes: JAX averages their tangents, which is what central differences see
  // to first order (for two ties, (max t + min t)/2 is the mean).
  { prim: "reduce_max", name: "two tied maxima", f: (x) => lax.reduceMax(x, [1]), args: [f64([[1, 3, 3, 2], [0, 1, 2, 5]])], grads: "check", gradOpts: { order: 1 } },
  { prim: "reduce_min", name: "two tied minima", f: (x) => lax.reduceMin(x, [1]), args: [f64([[1, 3, 1, 2], [0, 1, 2, 5]])], grads: "check", gradOpts: { order: 1 } },
  // A product through zeros (one zero, then two) is still a polynomial: exact derivatives exist.
  { prim: "reduce_prod", name: "through a zero", f: (x) => lax.reduceProd(x, [1]), args: [f64([[0, 2, 3, 0.5, 1.5], [0, 0, 2, 1, 3]])], grads: "check" },
  { prim: "reduce_prod", name: "odd length", f: (x) => lax.reduceProd(x, [0]), args: [rand([7], 3, 0.5, 1.5)], grads: "check" },
  // Empty arrays: a reduced empty axis gives the identity; an empty kept axis gives an empty result.
  { prim: "reduce_sum", name: "over an empty axis", f: (x) => lax.reduceSum(x, [0]), args: [rand([0, 3], 1)], grads: "check" },
  { prim: "reduce_prod", name: "over an empty axis", f: (x) => lax.reduceProd(x, [0]), args: [rand([0, 3], 1)], grads: "check" },
  { prim: "reduce_max", name: "keeping an empty axis", f: (x) => lax.reduceMax(x, [1]), args: [rand([0, 3], 1)], grads: "check" },
  // max over an empty axis is −inf with a NaN tangent (0/0 ties, as JAX): vmap only.
  { prim: "reduce_max", name: "over an empty axis", f: (x) => lax.reduceMax(x, [0]), args: [rand([0, 3], 1)], grads: "none" },
  { prim: "reduce_sum", name: "i32 vmap", f: (x) => lax.reduceSum(x, [0]), args: [np.array([[1, 2], [3, -4]], { dtype: "int32" })], grads: "none" },
  { prim: "reduce_max", name: "i32 vmap", f: (x) => lax.reduceMax(x, [1]), args: [np.array([[1, 2], [3, -4]], { dtype: "int32" })], grads: "none" },
);

const argSpecs: Spec[] = (["argmax", "argmin"] as const).flatMap((prim) =>
  [0, 1, 2].map((axis) => ({
    prim,
    name: `[2,3,4] axis ${axis}`,
    f: (x: NdArray) => (prim === "argmax" ? lax.argmax : lax.argmin)(x, axis),
    args: [rand([2, 3, 4], 50 + axis)],
    grads: "zero" as const,
  })),
);
argSpecs.push(
  { prim: "argmax", name: "1-d to 0-d", f: (x) => lax.argmax(x, 0), args: [rand([5], 9)], grads: "zero" },
  { prim: "argmin", name: "1-d to 0-d", f: (x) => lax.argmin(x, 0), args: [rand([5], 9)], grads: "zero" },
);

argSpecs.push({ prim: "argmax", name: "empty kept axis", f: (x) => lax.argmax(x, 1), args: [rand([0, 3], 1)], grads: "zero" });

const cumsumSpecs: Spec[] = [0, 1, 2].flatMap((axis) =>
  [false, true].map((reverse) => ({
    prim: "cumsum" as const,
    name: `[2,3,4] axis ${axis}${reverse ? " reverse" : ""}`,
    f: (x: NdArray) => lax.cumsum(x, axis, reverse),
    args: [rand([2, 3, 4], 70 + axis)],
    grads: "check" as const,
  })),
);

cumsumSpecs.push({ prim: "cumsum", name: "empty axis, reverse", f: (x) => lax.cumsum(x, 0, true), args: [rand([0, 3], 1)], grads: "check" });

/** Every reduction spec. */
export const REDUCTION_SPECS: readonly Spec[] = [...reduceSpecs, ...argSpecs, ...cumsumSpecs];

const x23 = np.ones([2, 3], { dtype: "float64" });
/** Calls the reduction rules must reject. */
export const REDUCTION_BAD_CALLS: readonly BadCall[] = [
  ["reduce_sum: axis out of range", () => lax.reduceSum(x23, [2]), ShapeError, /axis 2 out of range for f64\[2,3\]/],
  ["reduce_sum: repeated axes", () => lax.reduceSum(x23, [0, 0]), ShapeError, /repeated axes/],
  ["reduce_sum of bool", () => lax.reduceSum(np.array([true]), [0]), DTypeError, /bool/],
  ["argmax: negative axis (lax takes none)", () => lax.argmax(x23, -1), ShapeError, /axis -1 out of range/],
  ["argmax of an empty axis", () => lax.argmax(np.ones([0, 2]), 0), ShapeError, /empty axis 0/],
  ["cumsum: fractional axis", () => lax.cumsum(x23, 0.5), ShapeError, /axis 0.5 out of range/],
  ["cumsum of bool", () => lax.cumsum(np.array([true, false]), 0), DTypeError, /cumsum.*bool/],
];
