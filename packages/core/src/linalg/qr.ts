/** QR decomposition. */
import type { ArrayLike, NdArray } from "../array.js";
import { asMatrix } from "./input.js";
import { qrP } from "./lax.js";

/** Which QR `qr` returns: reduced (q m×k, r k×n) or complete (q m×m, r m×n), k = min(m, n). */
export type QrMode = "reduced" | "complete";

/**
 * QR decomposition (NumPy's `linalg.qr`): [q, r] with a = q·r, q with orthonormal columns and r upper
 * triangular. Householder reflections with LAPACK's sign convention (r's diagonal may be negative),
 * so the factors equal NumPy's. Derivatives need the reduced form of a tall matrix (complete Q of a
 * tall matrix is not unique) and r of full rank.
 */
export function qr(a: ArrayLike, mode: QrMode = "reduced"): [NdArray, NdArray] {
  if (mode !== "reduced" && mode !== "complete") throw new TypeError(`qr: mode must be "reduced" or "complete", got ${JSON.stringify(mode)}`);
  return qrP(asMatrix("qr", a), mode === "complete");
}
