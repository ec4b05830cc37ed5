/** Numeric comparison for tests: `allclose` and an assertion that explains the first mismatch. */
import type { NdArray } from "../array.js";
import { fmtShape } from "../shape.js";

/** Tolerances: |a − b| ≤ atol + rtol·|b| elementwise. */
export type Tolerance = { rtol?: number; atol?: number };

/** Why `actual` and `expected` differ (null when they are close); NaNs must match NaNs. */
export function mismatch(actual: NdArray, expected: NdArray | ArrayLike<number>, tol: Tolerance = {}): string | null {
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-6;
  const a = actual.toTypedArray();
  let b: ArrayLike<number>;
  if (typeof (expected as NdArray).toTypedArray === "function") {
    const e = expected as NdArray;
    if (e.ndim !== actual.ndim || e.shape.some((d, i) => d !== actual.shape[i])) {
      return `shape ${fmtShape(actual.shape)} differs from expected ${fmtShape(e.shape)}`;
    }
    b = e.toTypedArray();
  } else b = expected as ArrayLike<number>;
  if (a.length !== b.length) return `size ${a.length} differs from expected ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return `element ${i}: ${x} vs expected ${y}`;
      continue;
    }
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return `element ${i}: ${x} vs expected ${y} (|diff| ${Math.abs(x - y)} > ${atol} + ${rtol}·|expected|)`;
  }
  return null;
}

/** Whether two arrays are elementwise close. */
export function allclose(actual: NdArray, expected: NdArray | ArrayLike<number>, tol: Tolerance = {}): boolean {
  return mismatch(actual, expected, tol) === null;
}

/** Throw an Error describing the first mismatch, prefixed with `what`. */
export function assertAllclose(actual: NdArray, expected: NdArray | ArrayLike<number>, tol: Tolerance = {}, what = "arrays"): void {
  const m = mismatch(actual, expected, tol);
  if (m !== null) throw new Error(`${what} differ: ${m}`);
}
