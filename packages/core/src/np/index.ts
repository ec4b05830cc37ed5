/** `np`: the NumPy-like API, every function a composition of lax primitives. */
export { array, asArray, type ArrayOptions, type NestedArray } from "./convert.js";
export * from "./creation.js";
export * from "./elementwise.js";
export { sum, prod, max, min, mean, variance, variance as var, std, argmax, argmin, logsumexp, cumsum, all, any, type Axis, type ReduceOptions, type VarOptions } from "./reductions.js";
export * from "./movement.js";
export * from "./indexing.js";
export * from "./products.js";
export * from "./conv.js";
