/** Matrix-free conjugate gradients, differentiated implicitly. */
import type { ArrayLike, NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { evalJaxpr } from "../interpreters/eval-jaxpr.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import * as lax from "../lax/index.js";
import * as np from "../np/index.js";
import { asArray, toFloat } from "../np/convert.js";
import { vjp } from "../transforms/autodiff.js";
import { customVjp } from "../transforms/custom.js";
import { isEager } from "./input.js";

/** Options of `cg`. */
export type CgOptions = {
  /** Relative tolerance: stop when ‖r‖ ≤ max(tol·‖b‖, atol) (default 1e-5, as SciPy and JAX). */
  tol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Iteration limit (default 10 × b.size). Under a transformation exactly this many (masked) steps are staged. */
  maxIter?: number;
  /** Initial guess (default zeros); the solution does not depend on it, so it gets no gradient. */
  x0?: ArrayLike;
};

type Operator = (v: NdArray) => NdArray;
type Settings = { tol: number; atol: number; maxIter: number };

const dot = (u: NdArray, v: NdArray): NdArray => np.sum(np.multiply(u, v));

/**
 * The CG iteration. Eagerly it stops as soon as the residual is small; on traced values it cannot look,
 * so it runs `maxIter` steps and freezes (masks) the iterate once converged, which also keeps vmap exact
 * per example. Divisions use a safe denominator in the masked branch so derivatives never see 0/0.
 */
function iterate(a: Operator, b: NdArray, x0: NdArray, s: Settings): NdArray {
  const eager = isEager(b, x0);
  const thresh = np.square(np.maximum(np.multiply(np.sqrt(dot(b, b)), s.tol), s.atol));
  let x = x0;
  let r = np.subtract(b, a(x));
  let p = r;
  let rs = dot(r, r);
  for (let k = 0; k < s.maxIter; k++) {
    const active = np.greater(rs, thresh);
    if (eager && !active.item()) break;
    const ap = a(p);
    const pap = dot(p, ap);
    const alpha = np.where(active, np.divide(rs, np.where(active, pap, 1)), 0);
    x = np.add(x, np.multiply(alpha, p));
    r = np.subtract(r, np.multiply(alpha, ap));
    const rsNew = dot(r, r);
    const beta = np.where(active, np.divide(rsNew, np.where(active, rs, 1)), 0);
    p = np.add(r, np.multiply(beta, p));
    rs = np.where(active, rsNew, rs);
  }
  return x;
}

/** `matvec` as a jaxpr of (closed-over arrays, v): the closed-over arrays become explicit inputs. */
function closureConvert(matvec: Operator, b: NdArray): { consts: NdArray[]; apply: (consts: NdArray[], v: NdArray) => NdArray } {
  const { closed, outAvals } = makeJaxprFlat((v) => [asArray(matvec(v))], [b.aval]);
  const out = outAvals[0]!;
  if (outAvals.length !== 1 || !out.equals(b.aval)) {
    throw new ShapeError(`cg: matvec must map an array shaped like b (${b.aval.str()}) to the same shape and dtype, got ${out.str()}`);
  }
  return { consts: closed.consts, apply: (consts, v) => evalJaxpr(closed.jaxpr, [...consts, v])[0]! };
}

/**
 * Solve A·x = b with conjugate gradients for a symmetric positive-definite A given only as
 * `matvec(v) = A·v` (SciPy/JAX `cg`; b and x may have any shape, inner products run over all
 * elements). Differentiable by implicit differentiation (customVjp, as JAX's custom_linear_solve):
 * the backward pass solves A·λ = x̄ with CG again, then b̄ = λ and the arrays matvec closes over get
 * −λ·∂(A·x)/∂θ, so reverse mode of any order is exact whatever the iteration count. Forward mode
 * (jvp, jacfwd) is not supported. Works under jit and vmap (maxIter masked steps are staged).
 */
export function cg(matvec: Operator, b: ArrayLike, opts: CgOptions = {}): NdArray {
  const bb = toFloat(asArray(b));
  const s: Settings = { tol: opts.tol ?? 1e-5, atol: opts.atol ?? 0, maxIter: opts.maxIter ?? 10 * bb.size };
  if (!(s.tol >= 0) || !(s.atol >= 0)) throw new RangeError(`cg: tol and atol must be non-negative, got tol ${s.tol}, atol ${s.atol}`);
  if (!Number.isInteger(s.maxIter) || s.maxIter < 0) throw new RangeError(`cg: maxIter must be a non-negative integer, got ${s.maxIter}`);
  const x0 = opts.x0 === undefined ? np.zerosLike(bb) : np.astype(asArray(opts.x0), bb.dtype);
  if (!x0.aval.equals(bb.aval)) throw new ShapeError(`cg: x0 ${x0.aval.str()} must have b's shape ${bb.aval.str()}`);
  const { consts, apply } = closureConvert(matvec, bb);
  if (isEager(bb, x0, ...consts)) return iterate(matvec, bb, x0, s);
  return implicitSolve(apply, s)(bb, x0, ...consts);
}

/** CG on (b, x0, ...consts) with the implicit-function backward pass. */
function implicitSolve(apply: (consts: NdArray[], v: NdArray) => NdArray, s: Settings) {
  const solve = (b: NdArray, x0: NdArray, ...cs: NdArray[]) => iterate((v) => apply(cs, v), b, x0, s);
  type Res = { x: NdArray; cs: NdArray[] };
  return customVjp(
    solve,
    (b: NdArray, x0: NdArray, ...cs: NdArray[]): [NdArray, Res] => {
      const x = solve(b, x0, ...cs);
      return [x, { x, cs }];
    },
    ({ x, cs }: Res, xBar: NdArray) => {
      // A is symmetric, so Aᵀλ = x̄ is another CG solve (itself differentiable: second order works).
      const lambda = cg((v) => apply(cs, v), xBar, { tol: s.tol, atol: s.atol, maxIter: s.maxIter });
      const floatIdx = cs.flatMap((c, i) => (isFloat(c.dtype) ? [i] : []));
      const [, pullback] = vjp((...fs: NdArray[]) => apply(cs.map((c, i) => (floatIdx.includes(i) ? fs[floatIdx.indexOf(i)]! : c)), x), ...floatIdx.map((i) => cs[i]!));
      const floatCts = pullback(np.negative(lambda));
      const csBar = cs.map((c, i) => (floatIdx.includes(i) ? floatCts[floatIdx.indexOf(i)]! : lax.zerosLike(c)));
      return [lambda, lax.zerosLike(x), ...csBar] as [NdArray, NdArray, ...NdArray[]];
    },
  );
}
