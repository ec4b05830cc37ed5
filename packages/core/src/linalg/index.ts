/** `linalg`: NumPy/SciPy-style linear algebra on the last two axes (leading axes are batch axes). */
export { LinAlgError } from "./errors.js";
export { cholesky, type CholeskyOptions } from "./cholesky.js";
export { triangularSolve, type TriangularSolveOptions } from "./triangular-solve.js";
export { lu, luFactor } from "./lu.js";
export { qr, type QrMode } from "./qr.js";
export { eigh, eigvalsh } from "./eigh.js";
export { svd, type SvdOptions } from "./svd.js";
export { solve } from "./solve.js";
export { inv } from "./inv.js";
export { det, slogdet } from "./det.js";
export { pinv, type PinvOptions } from "./pinv.js";
export { lstsq, type LstsqOptions } from "./lstsq.js";
export { norm, type NormOrd, type NormOptions } from "./norm.js";
export { cond } from "./cond.js";
export { matrixRank, type MatrixRankOptions } from "./matrix-rank.js";
export { trace } from "./trace.js";
export { matrixPower } from "./matrix-power.js";
export { cg, type CgOptions } from "./cg.js";
