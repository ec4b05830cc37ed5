/** `newtonCg(f, x0)`: truncated Newton — CG on Hessian-vector products, then an Armijo line search. */
import { type NdArray, type PyTree, grad, jit, jvp, np, valueAndGrad } from "@fluxion/core";
import { backtrackingLineSearch } from "./line-search.js";
import { type SolverResult, maxAbs } from "./solver-result.js";
import { ravelPytree } from "./ravel.js";
import { truncatedCg } from "./truncated-cg.js";
import { integer, nonNegative, positive } from "./validate.js";

/** Options of `newtonCg`. */
export type NewtonCgOptions = {
  /** Maximum number of outer (Newton) iterations (default 100). */
  maxIter?: number;
  /** Converged when ‖∇f‖∞ ≤ tol (default 1e-6; see `newton` on float32). */
  tol?: number;
  /**
   * Relative residual ‖Hd + g‖/‖g‖ at which the inner CG stops (default 1e-5: an accurate Newton
   * direction, as seed 000's box solves H d = −g). "adaptive" uses Nocedal & Wright's forcing term
   * min(0.5, √‖g‖) (Alg. 7.1): cheaper on large problems far from the minimum, but on 2-D Rosenbrock
   * it needs 64 outer iterations instead of 21.
   */
  cgTol?: number | "adaptive";
  /** CG iteration cap per outer iteration (default 20 n, as SciPy). */
  cgMaxIter?: number;
  /** Armijo constant c₁ (default 1e-4). */
  c1?: number;
  /** Backtracking factor (default 0.5). */
  shrink?: number;
  /** Compile f's gradient and Hessian-vector product with `jit` (default true). */
  jit?: boolean;
};

/** `SolverResult` plus the total number of Hessian-vector products the CG solves used. */
export type NewtonCgResult<P> = SolverResult<P> & { hvps: number };

/**
 * Minimise `f` by Newton-CG (seed 000's box, with the sign fixed): solve H d = −∇f by conjugate
 * gradients using Hessian-vector products H v = jvp(∇f)(x; v) (forward-over-reverse, never forming H),
 * stop CG at negative curvature (falling back to −∇f if that happens at once), then backtrack
 * η = 1, ½, … until f(x + ηd) ≤ f(x) + c₁η∇f·d.
 */
export function newtonCg<P extends PyTree>(f: (x: P) => NdArray, x0: P, opts: NewtonCgOptions = {}): NewtonCgResult<P> {
  const fn = "newtonCg";
  const maxIter = integer(fn, "maxIter", opts.maxIter ?? 100, 0);
  const tol = nonNegative(fn, "tol", opts.tol ?? 1e-6);
  const cgTol = opts.cgTol === "adaptive" ? "adaptive" : positive(fn, "cgTol", opts.cgTol ?? 1e-5);
  const [flat0, unravel] = ravelPytree(x0);
  const cgMaxIter = integer(fn, "cgMaxIter", opts.cgMaxIter ?? 20 * flat0.size, 1);
  // Checked here too so a bad value fails at the call, named, not after the first gradient.
  const c1 = positive(fn, "c1", opts.c1 ?? 1e-4);
  const shrink = positive(fn, "shrink", opts.shrink ?? 0.5);
  if (c1 >= 1 || shrink >= 1) throw new RangeError(`${fn}: c1 and shrink must be in (0, 1), got c1 ${c1}, shrink ${shrink}`);
  const fFlat = (v: NdArray) => f(unravel(v));
  const gradF = grad(fFlat) as (v: NdArray) => NdArray;
  const wrap = <F extends (...a: NdArray[]) => unknown>(g: F): F => (opts.jit === false ? g : (jit(g) as unknown as F));
  const vg = wrap((v: NdArray) => valueAndGrad(fFlat)(v) as [NdArray, NdArray]);
  const value = wrap((v: NdArray) => fFlat(v));
  const hvp = wrap((v: NdArray, t: NdArray) => jvp(gradF, [v], [t])[1]);
  let x = flat0;
  let hvps = 0;
  for (let k = 0; ; k++) {
    const [fx, g] = vg(x);
    const f0 = fx.item() as number;
    const result = (converged: boolean): NewtonCgResult<P> => ({ x: unravel(x), value: f0, iterations: k, converged, hvps });
    const gnorm = maxAbs(g);
    if (gnorm <= tol) return result(true);
    if (k === maxIter || !Number.isFinite(gnorm) || !Number.isFinite(f0)) return result(false);
    const g2 = Math.sqrt(np.sum(np.square(g)).item() as number);
    const cg = truncatedCg((t) => hvp(x, t), np.negative(g), { tol: cgTol === "adaptive" ? Math.min(0.5, Math.sqrt(g2)) : cgTol, maxIter: cgMaxIter });
    hvps += cg.iterations;
    let d = cg.x;
    let slope = np.sum(np.multiply(g, d)).item() as number;
    // Negative curvature on the first CG direction leaves d = 0: take steepest descent instead.
    if (!(slope < 0)) {
      d = np.negative(g);
      slope = -g2 * g2;
    }
    const ls = backtrackingLineSearch((eta) => value(np.add(x, np.multiply(d, eta))).item() as number, f0, slope, { c1, shrink });
    // No sufficient decrease even for tiny steps: we are at the floating-point floor of f.
    if (!ls.success) return result(false);
    x = np.add(x, np.multiply(d, ls.stepSize));
  }
}
