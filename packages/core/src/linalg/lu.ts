/** LU decomposition with partial pivoting. */
import type { ArrayLike, NdArray } from "../array.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";
import { block, luP, mT, permutationMatrix } from "./lax.js";

/**
 * LU decomposition with partial pivoting, as SciPy's `lu`: [p, l, u] with a = p·l·u, p a permutation
 * matrix (m×m), l unit lower triangular (m×k) and u upper triangular (k×n), k = min(m, n).
 */
export function lu(a: ArrayLike): [NdArray, NdArray, NdArray] {
  const x = asMatrix("lu", a);
  const [m, n] = x.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const [packed, , perm] = luP(x);
  // The primitive gives a[perm] = L·U, i.e. P·a = L·U with P[i, perm[i]] = 1, so a = Pᵀ·L·U.
  const p = mT(permutationMatrix(perm, x.dtype));
  const l = np.add(np.tril(block(packed, [0, m], [0, k]), -1), np.eye(m, k, { dtype: x.dtype }));
  const u = np.triu(block(packed, [0, k], [0, n]));
  return [p, l, u];
}

/**
 * Packed LU factors and pivots, as SciPy's `lu_factor`: [lu, piv] where lu holds L below the diagonal
 * (unit diagonal implied) and U on and above it, and row i was interchanged with row piv[i] (int32).
 */
export function luFactor(a: ArrayLike): [NdArray, NdArray] {
  const [packed, piv] = luP(asMatrix("luFactor", a));
  return [packed, piv];
}
