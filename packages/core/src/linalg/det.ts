/** Determinants: `det` and the overflow-safe `slogdet`. */
import type { ArrayLike, NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";
import { luP } from "./lax.js";

/** LU diagonal and the permutation's sign (±1): det = sign · Π diag. */
function luParts(op: string, a: ArrayLike): [NdArray, NdArray] {
  const x = asMatrix(op, a, true);
  const [packed, piv] = luP(x);
  const k = piv.shape[piv.ndim - 1]!;
  // Each pivot that moved a row is one transposition.
  const swaps = np.sum(lax.ne(piv, lax.iota("int32", piv.shape, piv.ndim - 1)), -1);
  const odd = lax.eq(lax.rem(swaps, lax.fullLike(swaps, 2)), lax.fullLike(swaps, 1));
  const sign = np.where(odd, -1, 1).astype(x.dtype);
  return [k === 0 ? lax.full([...x.shape.slice(0, -2), 0], 0, x.dtype) : np.diagonal(packed), sign];
}

/**
 * Determinant of a square matrix (stack) by LU. Its derivative (through LU) needs a nonsingular
 * matrix; at a singular one it is NaN.
 */
export function det(a: ArrayLike): NdArray {
  const [d, sign] = luParts("det", a);
  return np.multiply(sign, np.prod(d, -1));
}

/**
 * Sign and natural log of the absolute determinant, [sign, logabsdet] (NumPy's `linalg.slogdet`):
 * no overflow for large matrices; a singular matrix gives [0, −Inf].
 */
export function slogdet(a: ArrayLike): [NdArray, NdArray] {
  const [d, sign] = luParts("slogdet", a);
  return [np.multiply(sign, np.prod(np.sign(d), -1)), np.sum(np.log(np.abs(d)), -1)];
}
