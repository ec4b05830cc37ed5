/** `newton(f, x0)`: Newton's method θ ← θ − H⁻¹∇f with the exact Hessian and an LU solve (`linalg.solve`). */
import { type NdArray, type PyTree, hessian, jit, linalg, np, valueAndGrad } from "@fluxion/core";
import { type SolverResult, maxAbs } from "./solver-result.js";
import { ravelPytree } from "./ravel.js";
import { integer, nonNegative } from "./validate.js";

/** Options of `newton`. */
export type NewtonOptions = {
  /** Maximum number of Newton steps (default 50). */
  maxIter?: number;
  /**
   * Converged when ‖∇f‖∞ ≤ tol (default 1e-6). float32 gradients carry rounding noise of about
   * 1e-7 × their scale, so use float64 parameters for tight tolerances.
   */
  tol?: number;
  /** Also converged when a step changes no coordinate by more than xtol · (1 + ‖x‖∞) (default 0: off). */
  xtol?: number;
  /** Compile f's gradient and Hessian with `jit` (default true; turn off if f cannot be traced by jit). */
  jit?: boolean;
};

/**
 * Minimise a scalar `f` over a pytree by pure Newton steps (seed 000, (6.7)): solve H d = ∇f(θ) by LU
 * with H from `hessian`, and set θ ← θ − d. A quadratic (least squares) is solved in one step. There is
 * no line search: where H is not positive definite the step may go uphill; use `newtonCg` there.
 */
export function newton<P extends PyTree>(f: (x: P) => NdArray, x0: P, opts: NewtonOptions = {}): SolverResult<P> {
  const fn = "newton";
  const maxIter = integer(fn, "maxIter", opts.maxIter ?? 50, 0);
  const tol = nonNegative(fn, "tol", opts.tol ?? 1e-6);
  const xtol = nonNegative(fn, "xtol", opts.xtol ?? 0);
  const [flat0, unravel] = ravelPytree(x0);
  const fFlat = (v: NdArray) => f(unravel(v));
  const wrap = <F extends (...a: NdArray[]) => unknown>(g: F): F => (opts.jit === false ? g : (jit(g) as unknown as F));
  const vg = wrap((v: NdArray) => valueAndGrad(fFlat)(v) as [NdArray, NdArray]);
  const hess = wrap((v: NdArray) => hessian(fFlat)(v) as NdArray);
  let x = flat0;
  for (let k = 0; ; k++) {
    const [value, g] = vg(x);
    const result = (converged: boolean): SolverResult<P> => ({ x: unravel(x), value: value.item() as number, iterations: k, converged });
    const gnorm = maxAbs(g);
    if (gnorm <= tol) return result(true);
    if (k === maxIter || !Number.isFinite(gnorm)) return result(false);
    let step: NdArray;
    try {
      step = linalg.solve(hess(x), g);
    } catch (e) {
      // A singular Hessian has no Newton step: report non-convergence like any other breakdown.
      if (e instanceof linalg.LinAlgError) return result(false);
      throw e;
    }
    const stepNorm = maxAbs(step);
    if (!Number.isFinite(stepNorm)) return result(false);
    x = np.subtract(x, step);
    if (stepNorm <= xtol * (1 + maxAbs(x))) {
      const [v1] = vg(x);
      return { x: unravel(x), value: v1.item() as number, iterations: k + 1, converged: true };
    }
  }
}
