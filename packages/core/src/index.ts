/** @fluxion/core: immutable n-d arrays and composable transformations in the style of JAX. */
export { NdArray, type ArrayLike } from "./array.js";
export { ShapedArray } from "./aval.js";
export { type DType, promoteTypes, isFloat } from "./dtype.js";
export { ShapeError, DTypeError, ConcretizationError, EscapedTracerError, CheckpointError, FloatingPointError } from "./errors.js";
export { debugNans } from "./debug.js";
export * as np from "./np/index.js";
export * as lax from "./lax/index.js";
export * as tree from "./tree.js";
export type { PyTree, TreeDef, Leaf } from "./tree.js";
export { jvp, linearize, vjp, grad, valueAndGrad, type GradOptions } from "./transforms/autodiff.js";
export { vmap, type VmapOptions } from "./transforms/vmap.js";
export { jacfwd, jacrev, hessian, type JacOptions } from "./transforms/jacobians.js";
export { customJvp, customVjp } from "./transforms/custom.js";
export { stopGradient, makeJaxpr, type TracedJaxpr } from "./transforms/misc.js";
export { type Backend, getBackend, setBackend, referenceBackend } from "./backend/backend.js";
export type { PrimName, PrimParams } from "./primitives.js";
export { primitiveNames } from "./rules/table.js";
export { jit, type JitOptions, type Jitted, type JitCacheInfo, type Lowered } from "./transforms/jit.js";
