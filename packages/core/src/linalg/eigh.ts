/** Eigen-decomposition of symmetric matrices. */
import type { ArrayLike, NdArray } from "../array.js";
import { asMatrix } from "./input.js";
import { eighP } from "./lax.js";

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (stack), as NumPy's `linalg.eigh`: [w, v] with
 * a·v = v·diag(w), w ascending, v orthogonal. Only the symmetric part (a + aᵀ)/2 is used. Sign
 * convention: the largest-magnitude component of each eigenvector (column of v) is positive (ties
 * within a relative 1e-9 go to the first). Eigenvector derivatives need distinct eigenvalues.
 */
export function eigh(a: ArrayLike): [NdArray, NdArray] {
  const [v, w] = eighP(asMatrix("eigh", a, true));
  return [w, v];
}

/** Eigenvalues of a symmetric matrix (stack), ascending (NumPy's `linalg.eigvalsh`). */
export function eigvalsh(a: ArrayLike): NdArray {
  return eighP(asMatrix("eigvalsh", a, true))[1]!;
}
