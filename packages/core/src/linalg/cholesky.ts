/** Cholesky factorization. */
import type { ArrayLike, ConcreteArray, NdArray } from "../array.js";
import { choleskyFailure } from "../backend/reference/linalg.js";
import { LinAlgError } from "./errors.js";
import { asMatrix, batchWhere, isEager } from "./input.js";
import { choleskyP, mT } from "./lax.js";

/** Options of `cholesky`. */
export type CholeskyOptions = { /** Return the upper factor U = Lᵀ (a = Uᵀ·U) instead of L. */ upper?: boolean };

/**
 * Cholesky factor of a symmetric positive-definite matrix (stack): lower L with a = L·Lᵀ. Only the
 * symmetric part (a + aᵀ)/2 is used. An input that is not positive definite throws a LinAlgError
 * naming the failing pivot when evaluated eagerly; under a transformation (jit, grad, vmap) the value
 * cannot be inspected, and the factor is NaN as in JAX.
 */
export function cholesky(a: ArrayLike, opts: CholeskyOptions = {}): NdArray {
  const x = asMatrix("cholesky", a, true);
  const l = choleskyP(x);
  if (isEager(x, l) && l.toTypedArray().some(Number.isNaN)) {
    const f = choleskyFailure(x as ConcreteArray);
    if (f) {
      const v = Number.isNaN(f.value) ? "NaN" : String(Number(f.value.toPrecision(6)));
      throw new LinAlgError(`cholesky: matrix is not positive definite (pivot ${f.pivot} is ${v}${batchWhere(x.shape, f.batchIndex)}); check symmetry and eigenvalues, or add a small multiple of the identity`);
    }
  }
  return opts.upper ? mT(l) : l;
}
