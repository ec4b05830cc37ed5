/** Numerical rank of matrices. */
import type { ArrayLike, NdArray } from "../array.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";
import { epsOf, svdP } from "./lax.js";

/** Options of `matrixRank`: an absolute `tol`, or `rtol` relative to the largest singular value. */
export type MatrixRankOptions = { tol?: number; rtol?: number };

/**
 * Number of singular values above the threshold (NumPy's `linalg.matrix_rank`), int32: `tol` if given,
 * else rtol · max(s) with rtol defaulting to max(m, n) · eps.
 */
export function matrixRank(a: ArrayLike, opts: MatrixRankOptions = {}): NdArray {
  const x = asMatrix("matrixRank", a);
  if (opts.tol !== undefined && opts.rtol !== undefined) throw new TypeError("matrixRank: pass tol or rtol, not both");
  const [m, n] = x.shape.slice(-2) as [number, number];
  if (m === 0 || n === 0) return np.zeros(x.shape.slice(0, -2), { dtype: "int32" });
  const s = svdP(x, false, false)[0]!;
  const rtol = opts.rtol ?? Math.max(m, n) * epsOf(x.dtype);
  const tol = opts.tol !== undefined ? opts.tol : np.multiply(np.max(s, -1, { keepdims: true }), rtol);
  return np.sum(np.greater(s, tol), -1).astype("int32");
}
