/** Test harnesses shared by every package: finite-difference gradient checks, vmap checks, allclose. */
export { allclose, assertAllclose, mismatch, type Tolerance } from "./allclose.js";
export { checkGrads, numericalJvp, type CheckGradsOptions } from "./check-grads.js";
export { checkVmap, type CheckVmapOptions } from "./check-vmap.js";
export { randomArray, seededUniform } from "./rng.js";
export { checkJit } from "./check-jit.js";
export { forEachIndex, flatAt } from "./indices.js";
