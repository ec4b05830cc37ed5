/** Integer powers of square matrices. */
import type { ArrayLike, NdArray } from "../array.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";
import { inv } from "./inv.js";
import { mm } from "./lax.js";

/**
 * aⁿ for integer n by repeated squaring (NumPy's `linalg.matrix_power`): n = 0 gives the identity,
 * negative n the power of the inverse (a singular matrix throws eagerly).
 */
export function matrixPower(a: ArrayLike, n: number): NdArray {
  if (!Number.isInteger(n)) throw new TypeError(`matrixPower: the exponent must be an integer, got ${n}`);
  const x = asMatrix("matrixPower", a, true);
  const size = x.shape[x.ndim - 1]!;
  if (n === 0) return np.broadcastTo(np.eye(size, size, { dtype: x.dtype }), x.shape);
  let base = n < 0 ? inv(x) : x;
  let k = Math.abs(n);
  let result: NdArray | null = null;
  for (;;) {
    if (k % 2 === 1) result = result === null ? base : mm(result, base);
    k = Math.floor(k / 2);
    if (k === 0) return result!;
    base = mm(base, base);
  }
}
