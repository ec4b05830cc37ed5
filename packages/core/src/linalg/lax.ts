/**
 * lax-level bindings of the linear-algebra primitives (as `jax.lax.linalg`) and the small matrix
 * helpers their derivative rules and the `linalg` functions share. Everything acts on the last two
 * axes; leading axes are batch axes. No validation beyond the primitives' own abstractEval.
 */
import type { NdArray } from "../array.js";
import type { DType } from "../dtype.js";
import * as lax from "../lax/index.js";
import * as np from "../np/index.js";
import { bind } from "../trace.js";

const none = {} as Record<string, never>;

/** Lower Cholesky factor of the symmetric part of `a` (NaN where it is not positive definite). */
export const choleskyP = (a: NdArray): NdArray => bind("cholesky", [a], none)[0]!;

/** Options of the `triangular_solve` primitive (JAX's defaults: right side, upper, no transpose). */
export type TriangularSolveOptions = { leftSide?: boolean; lower?: boolean; transposeA?: boolean; unitDiagonal?: boolean };

/** Solve op(a)·x = b (leftSide) or x·op(a) = b for x, a triangular. */
export function triangularSolveP(a: NdArray, b: NdArray, o: TriangularSolveOptions = {}): NdArray {
  const params = { leftSide: o.leftSide ?? false, lower: o.lower ?? false, transposeA: o.transposeA ?? false, unitDiagonal: o.unitDiagonal ?? false };
  return bind("triangular_solve", [a, b], params)[0]!;
}

/** Packed LU factors, pivots and permutation (int32) with `a[perm] = L·U`. */
export const luP = (a: NdArray): [NdArray, NdArray, NdArray] => bind("lu", [a], none) as [NdArray, NdArray, NdArray];

/** Householder QR: [q, r]. */
export const qrP = (a: NdArray, fullMatrices: boolean): [NdArray, NdArray] => bind("qr", [a], { fullMatrices }) as [NdArray, NdArray];

/** Symmetric eigen-decomposition of (a + aᵀ)/2: [eigenvectors, eigenvalues ascending]. */
export const eighP = (a: NdArray): [NdArray, NdArray] => bind("eigh", [a], none) as [NdArray, NdArray];

/** SVD: [u, s, vt] (s descending), or [s] when `computeUv` is false. */
export const svdP = (a: NdArray, fullMatrices: boolean, computeUv: boolean): NdArray[] => bind("svd", [a], { fullMatrices, computeUv });

/** Swap the last two axes. */
export function mT(x: NdArray): NdArray {
  const perm = x.shape.map((_, i) => i);
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [x.ndim - 1, x.ndim - 2];
  return lax.transpose(x, perm);
}

/** Matrix product over the last two axes, batch axes broadcast. */
export const mm = (x: NdArray, y: NdArray): NdArray => np.matmul(x, y);

/** (x + xᵀ)/2 over the last two axes. */
export const sym = (x: NdArray): NdArray => lax.mul(lax.add(x, mT(x)), lax.fullLike(x, 0.5));

/** The n×n identity. */
export const eye = (n: number, dtype: DType): NdArray => np.eye(n, n, { dtype });

/** The (rows × cols) matrix with ones at (i, i) for i ≥ `from` (a partial identity). */
export function eyeFrom(rows: number, cols: number, from: number, dtype: DType): NdArray {
  const r = lax.iota("int32", [rows, cols], 0);
  const c = lax.iota("int32", [rows, cols], 1);
  return lax.convertElementType(lax.and(lax.eq(r, c), lax.ge(r, lax.full([rows, cols], from, "int32"))), dtype);
}

/** Rows [r0, r1) and columns [c0, c1) of the last two axes. */
export function block(x: NdArray, [r0, r1]: readonly [number, number], [c0, c1]: readonly [number, number]): NdArray {
  const lead = x.shape.slice(0, -2);
  return lax.slice(x, [...lead.map(() => 0), r0, c0], [...lead, r1, c1]);
}

/** Zero-pad the last two axes at the bottom (`rows`) and right (`cols`). */
export function padBottomRight(x: NdArray, rows: number, cols: number): NdArray {
  const lead = x.shape.slice(0, -2).map(() => [0, 0, 0] as const);
  return lax.pad(x, lax.scalar(0, x.dtype), [...lead, [0, rows, 0], [0, cols, 0]]);
}

/** Row `i` of `p` is the unit vector e_{perm[i]}: p·x = x[perm] (rows gathered), in `dtype`. */
export function permutationMatrix(perm: NdArray, dtype: DType): NdArray {
  const m = perm.shape[perm.ndim - 1]!;
  const shape = [...perm.shape, m];
  const rows = lax.broadcastInDim(perm, shape, perm.shape.map((_, i) => i));
  return lax.convertElementType(lax.eq(rows, lax.iota("int32", shape, shape.length - 1)), dtype);
}

/** Put the vector `v` (last axis) on the diagonal of a matrix. */
export function diagEmbed(v: NdArray): NdArray {
  const n = v.shape[v.ndim - 1]!;
  const shape = [...v.shape, n];
  const vb = lax.broadcastInDim(v, shape, [...v.shape.slice(0, -1).map((_, i) => i), v.ndim]);
  const mask = lax.eq(lax.iota("int32", shape, v.ndim - 1), lax.iota("int32", shape, v.ndim));
  return lax.selectN(mask, lax.zerosLike(vb), vb);
}

/** Machine epsilon of a float dtype. */
export const epsOf = (dtype: DType): number => (dtype === "float64" ? 2 ** -52 : 2 ** -23);
