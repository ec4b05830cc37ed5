/** The result shape shared by the second-order solvers. */
import { type NdArray, np } from "@fluxion/core";

/** What the second-order solvers return. */
export type SolverResult<P> = {
  /** The final iterate, shaped like x0. */
  x: P;
  /** f(x). */
  value: number;
  /** Outer iterations (Newton steps) taken. */
  iterations: number;
  /** Whether a tolerance was met (false: iteration cap, non-finite values or a failed line search). */
  converged: boolean;
};

/** ‖v‖∞ as a JS number. */
export function maxAbs(v: NdArray): number {
  return np.max(np.abs(v)).item() as number;
}
