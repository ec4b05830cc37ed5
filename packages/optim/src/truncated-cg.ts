/**
 * The inner solver of Newton-CG: conjugate gradients on H d = −g that stops at negative curvature.
 * Core's `linalg.cg` assumes a positive-definite operator and cannot report pᵀHp ≤ 0, which truncated
 * Newton needs away from a minimum (Nocedal & Wright, Alg. 7.1).
 */
import { type NdArray, np } from "@fluxion/core";
import { integer, nonNegative } from "./validate.js";

/** Options of `truncatedCg`. */
export type TruncatedCgOptions = {
  /** Stop when ‖b − A x‖ ≤ max(tol · ‖b‖, atol) (default tol 1e-10, atol 0). */
  tol?: number;
  /** Absolute residual floor (default 0). */
  atol?: number;
  /** Iteration cap (default 10 n; exact arithmetic needs at most n). */
  maxIter?: number;
};

/** Result of `truncatedCg`. */
export type TruncatedCgResult = {
  /** The approximate solution (the last iterate before negative curvature, if that stopped it). */
  x: NdArray;
  /** Iterations taken (matvecs). */
  iterations: number;
  /** Whether the residual tolerance was met. */
  converged: boolean;
  /** A direction p with pᵀAp ≤ 0 stopped the iteration (A is not positive definite there). */
  negativeCurvature: boolean;
};

const dot = (a: NdArray, b: NdArray) => np.sum(np.multiply(a, b)).item() as number;

/**
 * Solve A x = b from x = 0 by conjugate gradients (Hestenes–Stiefel), A given as `matvec`. The loop
 * reads residual norms, so it runs eagerly; `matvec` itself may be jitted.
 */
export function truncatedCg(matvec: (v: NdArray) => NdArray, b: NdArray, opts: TruncatedCgOptions = {}): TruncatedCgResult {
  const fn = "truncatedCg";
  if (b.ndim !== 1) throw new RangeError(`${fn}: b must be a vector, got shape [${b.shape.join(", ")}]`);
  const tol = nonNegative(fn, "tol", opts.tol ?? 1e-10);
  const atol = nonNegative(fn, "atol", opts.atol ?? 0);
  const maxIter = integer(fn, "maxIter", opts.maxIter ?? 10 * b.size, 0);
  let x = np.zerosLike(b);
  let r = b;
  let p = r;
  let rr = dot(r, r);
  const threshold = Math.max(tol * Math.sqrt(rr), atol);
  let k = 0;
  for (; k < maxIter; k++) {
    if (Math.sqrt(rr) <= threshold) return { x, iterations: k, converged: true, negativeCurvature: false };
    const ap = matvec(p);
    const curvature = dot(p, ap);
    if (!(curvature > 0)) return { x, iterations: k + 1, converged: false, negativeCurvature: true };
    const alpha = rr / curvature;
    x = np.add(x, np.multiply(p, alpha));
    r = np.subtract(r, np.multiply(ap, alpha));
    const rrNext = dot(r, r);
    p = np.add(r, np.multiply(p, rrNext / rr));
    rr = rrNext;
  }
  return { x, iterations: k, converged: Math.sqrt(rr) <= threshold, negativeCurvature: false };
}
