/** Backtracking (Armijo) line search along a descent direction. */
import { integer, positive } from "./validate.js";

/** Options of `backtrackingLineSearch`. */
export type BacktrackingOptions = {
  /** First step tried (default 1, the Newton step). */
  initialStep?: number;
  /** Sufficient-decrease constant c₁ in (0, 1) (default 1e-4). */
  c1?: number;
  /** Factor the step shrinks by after each rejection, in (0, 1) (default 0.5). */
  shrink?: number;
  /** Maximum number of trial steps (default 50). */
  maxSteps?: number;
};

/** Result of `backtrackingLineSearch`. */
export type BacktrackingResult = {
  /** The accepted (or, on failure, last tried) step size η. */
  stepSize: number;
  /** φ(η). */
  value: number;
  /** Evaluations of φ made. */
  evaluations: number;
  /** Whether the Armijo condition held. */
  success: boolean;
};

/**
 * The first η = η₀ρᵏ with φ(η) ≤ φ(0) + c₁ η φ′(0) (Armijo's sufficient decrease), where φ(η) = f(x + η d),
 * `value0` = φ(0) and `slope0` = φ′(0) = ∇f(x)·d < 0. Non-finite trial values count as rejections.
 */
export function backtrackingLineSearch(phi: (stepSize: number) => number, value0: number, slope0: number, opts: BacktrackingOptions = {}): BacktrackingResult {
  const fn = "backtrackingLineSearch";
  const c1 = positive(fn, "c1", opts.c1 ?? 1e-4);
  const shrink = positive(fn, "shrink", opts.shrink ?? 0.5);
  if (c1 >= 1) throw new RangeError(`${fn}: c1 must be in (0, 1), got ${c1}`);
  if (shrink >= 1) throw new RangeError(`${fn}: shrink must be in (0, 1), got ${shrink}`);
  const maxSteps = integer(fn, "maxSteps", opts.maxSteps ?? 50, 1);
  let eta = positive(fn, "initialStep", opts.initialStep ?? 1);
  if (!(slope0 < 0)) throw new RangeError(`${fn}: the direction must descend (slope φ′(0) < 0), got ${slope0}`);
  let value = NaN;
  for (let k = 1; k <= maxSteps; k++) {
    value = phi(eta);
    if (Number.isFinite(value) && value <= value0 + c1 * eta * slope0) return { stepSize: eta, value, evaluations: k, success: true };
    if (k < maxSteps) eta *= shrink;
  }
  return { stepSize: eta, value, evaluations: maxSteps, success: false };
}
