/**
 * A small Cholesky factorisation from elementwise and structural primitives, for multivariateNormal
 * (the linalg primitives are separate work). Column-by-column (Cholesky–Crout): n traced steps of
 * vector work, fine for the covariance sizes sampling uses. Batched over leading axes.
 */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";

/** Lower-triangular L with L·Lᵀ = a for symmetric positive-definite a of shape [..., n, n] (NaN where it is not). */
export function choleskyLower(a: NdArray): NdArray {
  const n = a.shape[a.ndim - 1]!;
  const batch = a.shape.slice(0, -2);
  const b = batch.length;
  const column = (j: number) => lax.reshape(lax.slice(a, a.shape.map(() => 0).map((z, i) => (i === b + 1 ? j : z)), a.shape.map((d, i) => (i === b + 1 ? j + 1 : d))), [...batch, n]);
  const entry = (v: NdArray, i: number) => lax.slice(v, v.shape.map((_, d) => (d === b ? i : 0)), v.shape.map((s, d) => (d === b ? i + 1 : s)));
  const rows = lax.iota("int32", [...batch, n], b);
  const cols: NdArray[] = [];
  for (let j = 0; j < n; j++) {
    // v = a[:, j] − Σ_{k<j} L[:, k]·L[j, k], the k terms accumulated in order.
    let v = column(j);
    for (const lk of cols) v = lax.sub(v, lax.mul(lk, lax.broadcastInDim(entry(lk, j), [...batch, n], [...batch.map((_, i) => i), b])));
    const diag = lax.sqrt(entry(v, j));
    const scaled = lax.div(v, lax.broadcastInDim(diag, [...batch, n], [...batch.map((_, i) => i), b]));
    const at = (cmp: (x: NdArray, y: NdArray) => NdArray) => cmp(rows, lax.fullLike(rows, j));
    // Rows above j are zero, row j holds √v_j (not v_j/√v_j, which would round differently).
    const below = lax.selectN(at(lax.gt), lax.zerosLike(v), scaled);
    cols.push(lax.selectN(at(lax.eq), below, lax.broadcastInDim(diag, [...batch, n], [...batch.map((_, i) => i), b])));
  }
  const stacked = cols.map((c) => lax.reshape(c, [...batch, n, 1]));
  return lax.concatenate(stacked, b + 1);
}
