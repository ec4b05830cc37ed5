/** Condition numbers. */
import type { ArrayLike, NdArray } from "../array.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";
import { svdP } from "./lax.js";
import { type NormOrd, norm } from "./norm.js";
import { luSolveSquare } from "./solve.js";

/**
 * Condition number of a matrix (stack) (NumPy's `linalg.cond`): for p = null/2 (default) or −2 the ratio
 * of extreme singular values; otherwise ‖a‖_p · ‖a⁻¹‖_p for square a. A singular matrix gives Inf.
 */
export function cond(a: ArrayLike, p: NormOrd = null): NdArray {
  const x = asMatrix("cond", a, p !== null && p !== 2 && p !== -2);
  if (p === null || p === 2 || p === -2) {
    const s = svdP(x, false, false)[0]!;
    const big = np.max(s, -1);
    const small = np.min(s, -1);
    return p === -2 ? np.divide(small, big) : np.divide(big, small);
  }
  const axis = [x.ndim - 2, x.ndim - 1] as const;
  const n = x.shape[x.ndim - 1]!;
  const xInv = luSolveSquare("cond", x, np.broadcastTo(np.eye(n, n, { dtype: x.dtype }), x.shape), false);
  const r = np.multiply(norm(x, p, { axis }), norm(xInv, p, { axis }));
  // A singular matrix makes the inverse Inf/NaN; NumPy reports its condition number as Inf.
  return np.where(np.logicalAnd(np.isnan(r), np.logicalNot(np.any(np.isnan(x), [-2, -1]))), Infinity, r);
}
