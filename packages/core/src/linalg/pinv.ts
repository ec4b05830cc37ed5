/** Moore–Penrose pseudo-inverse. */
import type { ArrayLike, NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import * as np from "../np/index.js";
import { customJvp } from "../transforms/custom.js";
import { asMatrix } from "./input.js";
import { epsOf, mT, mm, svdP } from "./lax.js";

/** Options of `pinv`. */
export type PinvOptions = {
  /** Singular values at or below rcond · max(s) count as zero (default max(m, n) · eps, NumPy's `rtol=None`). */
  rcond?: number;
};

/** The pseudo-inverse from the SVD, cutting singular values ≤ rcond · max(s). */
function pinvBySvd(a: NdArray, rcond: number): NdArray {
  const [m, n] = a.shape.slice(-2) as [number, number];
  if (m === 0 || n === 0) return lax.full([...a.shape.slice(0, -2), n, m], 0, a.dtype);
  const [u, s, vt] = svdP(a, false, true) as [NdArray, NdArray, NdArray];
  const keep = np.greater(s, np.multiply(np.max(s, -1, { keepdims: true }), rcond));
  // Divide by a safe value so the unused branch has no Inf to poison derivatives.
  const sInv = np.where(keep, np.divide(1, np.where(keep, s, 1)), 0);
  return mm(np.multiply(mT(vt), np.expandDims(sInv, -2)), mT(u));
}

/**
 * The pseudo-inverse with its derivative given directly (Golub & Pereyra 1973, as JAX's `pinv`): a rule
 * through the SVD would divide by differences of singular values, which vanish for e.g. orthogonal a.
 */
function pinvWith(rcond: number): (a: NdArray) => NdArray {
  const f: (a: NdArray) => NdArray = customJvp(
    (a: NdArray) => pinvBySvd(a, rcond),
    ([a], [da]) => {
      const p = f(a);
      const [m, n] = a.shape.slice(-2) as [number, number];
      const pH = mT(p);
      const daH = mT(da);
      const neg = np.negative;
      // ṗ = −p·ȧ·p + s − s·a·p + t − p·a·t with s = p·pᵀ·ȧᵀ and t = ȧᵀ·pᵀ·p, associated so that the
      // inner products are the small (min(m, n)-sized) ones.
      const tall = m >= n;
      const s = tall ? mm(mm(p, pH), daH) : mm(p, mm(pH, daH));
      const t = tall ? mm(mm(daH, pH), p) : mm(daH, mm(pH, p));
      const terms = tall
        ? [neg(mm(mm(p, da), p)), s, neg(mm(mm(s, a), p)), t, neg(mm(mm(p, a), t))]
        : [neg(mm(p, mm(da, p))), s, neg(mm(s, mm(a, p))), t, neg(mm(p, mm(a, t)))];
      const pDot = terms.reduce((x, y) => np.add(x, y));
      return [p, pDot];
    },
  );
  return f;
}

/** Moore–Penrose pseudo-inverse of a matrix (stack) via the SVD (NumPy's `linalg.pinv`). */
export function pinv(a: ArrayLike, opts: PinvOptions = {}): NdArray {
  const x = asMatrix("pinv", a);
  const [m, n] = x.shape.slice(-2) as [number, number];
  const rcond = opts.rcond ?? Math.max(m, n) * epsOf(x.dtype);
  if (!(rcond >= 0)) throw new RangeError(`pinv: rcond must be a non-negative number, got ${rcond}`);
  return pinvWith(rcond)(x);
}
