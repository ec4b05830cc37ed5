/** Singular value decomposition. */
import type { ArrayLike, NdArray } from "../array.js";
import { asMatrix } from "./input.js";
import { svdP } from "./lax.js";

/** Options of `svd` (NumPy's defaults: full matrices, with singular vectors). */
export type SvdOptions = { fullMatrices?: boolean; computeUv?: boolean };

/**
 * Singular value decomposition (NumPy's `linalg.svd`): [u, s, vt] with a = u·diag(s)·vt, s descending,
 * or s alone when `computeUv` is false. Sign convention: the largest-magnitude entry of each column of
 * u is positive (vt's row flips with it). Derivatives of u and vt need distinct singular values and
 * `fullMatrices: false` for non-square input; the derivative of s alone is always defined.
 */
export function svd(a: ArrayLike, opts: SvdOptions & { computeUv: false }): NdArray;
export function svd(a: ArrayLike, opts?: SvdOptions): [NdArray, NdArray, NdArray];
export function svd(a: ArrayLike, opts: SvdOptions = {}): NdArray | [NdArray, NdArray, NdArray] {
  const x = asMatrix("svd", a);
  const computeUv = opts.computeUv ?? true;
  const outs = svdP(x, opts.fullMatrices ?? true, computeUv);
  return computeUv ? (outs as [NdArray, NdArray, NdArray]) : outs[0]!;
}
