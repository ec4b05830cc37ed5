/** Least-squares solutions of linear systems. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as np from "../np/index.js";
import { promoteFloat } from "./input.js";
import { epsOf, mm, svdP } from "./lax.js";
import { pinv } from "./pinv.js";

/** Options of `lstsq`. */
export type LstsqOptions = {
  /** Singular values ≤ rcond · max(s) count as zero (default max(m, n) · eps, as NumPy). */
  rcond?: number;
};

/**
 * Least-squares solution of a·x ≈ b (NumPy's `linalg.lstsq`, 2-D a, b of shape (m,) or (m, k)):
 * [x, residuals, rank, s]. x minimises ‖b − a·x‖₂ (minimum norm when a is rank deficient), through the
 * pseudo-inverse. Unlike NumPy, residuals (‖b − a·x‖² per column) are always returned, as JAX does,
 * so the shapes do not depend on the rank; rank is int32 and s the singular values of a.
 */
export function lstsq(a: ArrayLike, b: ArrayLike, opts: LstsqOptions = {}): [NdArray, NdArray, NdArray, NdArray] {
  const [am, b0] = promoteFloat(a, b);
  if (am.ndim !== 2) throw new ShapeError(`lstsq: a must be a 2-D matrix, got ${am.aval.str()}`);
  if (b0.ndim !== 1 && b0.ndim !== 2) throw new ShapeError(`lstsq: b must be 1-D or 2-D, got ${b0.aval.str()}`);
  const [m, n] = am.shape as [number, number];
  if (b0.shape[0] !== m) throw new ShapeError(`lstsq: a is ${am.aval.str()} but b ${b0.aval.str()} has ${b0.shape[0]} rows; they must match`);
  const rcond = opts.rcond ?? Math.max(m, n) * epsOf(am.dtype);
  const bm = b0.ndim === 1 ? np.expandDims(b0, -1) : b0;
  const x = mm(pinv(am, { rcond }), bm);
  const residuals = np.sum(np.square(np.subtract(bm, mm(am, x))), 0);
  const s = svdP(am, false, false)[0]!;
  const rank = s.size === 0 ? np.zeros([], { dtype: "int32" }) : np.sum(np.greater(s, np.multiply(np.max(s), rcond)));
  return [b0.ndim === 1 ? np.squeeze(x, -1) : x, residuals, rank.astype("int32"), s];
}
