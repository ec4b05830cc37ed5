/**
 * Reference numerics for the linear-algebra primitives, in plain TypeScript and always in float64
 * (float32 inputs are widened, results rounded once at the end). Accuracy first: Cholesky, LU with
 * partial pivoting, Householder QR (LAPACK's sign convention), cyclic Jacobi for `eigh` and one-sided
 * (Hestenes) Jacobi for `svd`, both accurate to a few ulps of ‖A‖ and to high relative accuracy on
 * well-scaled problems. Matrices are row-major Float64Arrays; every kernel loops over leading batch dims.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { type DataArray, allocate } from "../../dtype.js";
import { data, wrap } from "./util.js";
import { eighMatrix, svdMatrix } from "./linalg-spectral.js";

/** Why a Cholesky factorization failed: the (0-based) pivot that was not positive and its value. */
export type CholeskyFailure = { pivot: number; value: number };


/** Cholesky factor of the symmetric part (A + Aᵀ)/2 of an n×n matrix, or the failing pivot. */
export function choleskyMatrix(a: Float64Array, n: number): { l: Float64Array; failure: CholeskyFailure | null } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    // `!(d > 0)` also catches NaN, so a NaN input fails instead of producing a half-NaN factor.
    if (!(d > 0)) return { l: l.fill(NaN), failure: { pivot: j, value: d } };
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return { l, failure: null };
}

/** LU with partial pivoting of an m×n matrix: packed factors, pivots (row swaps) and the row permutation. */
export function luMatrix(a: Float64Array, m: number, n: number): { lu: Float64Array; pivots: Int32Array; perm: Int32Array } {
  const lu = Float64Array.from(a);
  const k = Math.min(m, n);
  const pivots = new Int32Array(k);
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  for (let j = 0; j < k; j++) {
    let p = j;
    let best = Math.abs(lu[j * n + j]!);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(lu[i * n + j]!);
      if (v > best) [p, best] = [i, v];
    }
    pivots[j] = p;
    if (p !== j) {
      for (let c = 0; c < n; c++) [lu[j * n + c], lu[p * n + c]] = [lu[p * n + c]!, lu[j * n + c]!];
      [perm[j], perm[p]] = [perm[p]!, perm[j]!];
    }
    const piv = lu[j * n + j]!;
    // A zero pivot means the whole remaining column is zero: nothing to eliminate (LAPACK's getf2).
    if (piv === 0) continue;
    for (let i = j + 1; i < m; i++) {
      const f = (lu[i * n + j]! /= piv);
      if (f === 0) continue;
      for (let c = j + 1; c < n; c++) lu[i * n + c]! -= f * lu[j * n + c]!;
    }
  }
  return { lu, pivots, perm };
}

/**
 * Householder QR of an m×n matrix (LAPACK's geqr2/orgqr): Q is m×m when `full`, else m×min(m,n); R's
 * diagonal follows LAPACK's reflector convention r_jj = −sign(a_jj)·‖a_j‖, so results equal NumPy's.
 */
export function qrMatrix(a: Float64Array, m: number, n: number, full: boolean): { q: Float64Array; r: Float64Array } {
  const w = Float64Array.from(a);
  const k = Math.min(m, n);
  const taus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = w[j * n + j]!;
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, w[i * n + j]!);
    if (xnorm === 0) continue; // H = I (tau = 0), as LAPACK's larfg.
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    taus[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) w[i * n + j]! *= scale;
    w[j * n + j] = beta;
    // Apply H = I − τ v vᵀ (v = [1; w[j+1:, j]]) to the trailing columns.
    for (let c = j + 1; c < n; c++) {
      let s = w[j * n + c]!;
      for (let i = j + 1; i < m; i++) s += w[i * n + j]! * w[i * n + c]!;
      s *= taus[j]!;
      w[j * n + c]! -= s;
      for (let i = j + 1; i < m; i++) w[i * n + c]! -= s * w[i * n + j]!;
    }
  }
  const qc = full ? m : k;
  const rr = full ? m : k;
  const r = new Float64Array(rr * n);
  for (let i = 0; i < Math.min(rr, m); i++) for (let c = i; c < n; c++) r[i * n + c] = w[i * n + c]!;
  // Q = H_0 ⋯ H_{k−1} applied to the first qc columns of I, accumulated backwards (orgqr).
  const q = new Float64Array(m * qc);
  for (let i = 0; i < Math.min(m, qc); i++) q[i * qc + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < qc; c++) {
      let s = q[j * qc + c]!;
      for (let i = j + 1; i < m; i++) s += w[i * n + j]! * q[i * qc + c]!;
      s *= tau;
      q[j * qc + c]! -= s;
      for (let i = j + 1; i < m; i++) q[i * qc + c]! -= s * w[i * n + j]!;
    }
  }
  return { q, r };
}

/** The parameters of a triangular solve (see the `triangular_solve` primitive). */
export type TriangularSolveParams = { leftSide: boolean; lower: boolean; transposeA: boolean; unitDiagonal: boolean };

/**
 * Solve op(A) X = B (left side) or X op(A) = B (right side) for X, reading only A's `lower`/upper
 * triangle, with op(A) = Aᵀ when `transposeA` and a diagonal of ones when `unitDiagonal`.
 * A zero diagonal divides by zero (±Inf/NaN), as LAPACK's trsm; callers that want an error check first.
 */
export function triangularSolveMatrix(a: Float64Array, b: Float64Array, bRows: number, bCols: number, p: TriangularSolveParams): Float64Array {
  const m = p.leftSide ? bRows : bCols;
  // op(A)[i][j], restricted to the stored triangle.
  const opA = (i: number, j: number) => (p.transposeA ? a[j * m + i]! : a[i * m + j]!);
  const opLower = p.lower !== p.transposeA;
  // Right side X op(A) = B is the left solve op(A)ᵀ Xᵀ = Bᵀ: solve on columns of Bᵀ.
  const cols = p.leftSide ? bCols : bRows;
  const at = (i: number, j: number) => (p.leftSide ? opA(i, j) : opA(j, i));
  const lowerSolve = p.leftSide ? opLower : !opLower;
  const get = (i: number, c: number) => (p.leftSide ? b[i * bCols + c]! : b[c * bCols + i]!);
  const x = new Float64Array(bRows * bCols);
  const idx = (i: number, c: number) => (p.leftSide ? i * bCols + c : c * bCols + i);
  for (let c = 0; c < cols; c++) {
    for (let s = 0; s < m; s++) {
      const i = lowerSolve ? s : m - 1 - s;
      let v = get(i, c);
      if (lowerSolve) for (let j = 0; j < i; j++) v -= at(i, j) * x[idx(j, c)]!;
      else for (let j = i + 1; j < m; j++) v -= at(i, j) * x[idx(j, c)]!;
      x[idx(i, c)] = p.unitDiagonal ? v : v / at(i, i);
    }
  }
  return x;
}

// ---- batched kernels: one call per matrix over the leading (batch) dimensions ----

const lastTwo = (shape: readonly number[]): [number, number] => [shape[shape.length - 2]!, shape[shape.length - 1]!];
const batchCount = (shape: readonly number[]): number => shape.slice(0, -2).reduce((p, d) => p * d, 1);

/** The b-th matrix of a batched buffer, widened to float64. */
function matrixAt(buf: DataArray, b: number, size: number): Float64Array {
  return Float64Array.from(buf.subarray(b * size, (b + 1) * size));
}

/** Run `f` on every matrix of `x`; it returns one buffer per output, written at batch index b of `outs`. */
function mapMatrices(x: ConcreteArray, outs: readonly ShapedArray[], f: (mat: Float64Array, m: number, n: number) => ArrayLike<number>[]): ConcreteArray[] {
  const [m, n] = lastTwo(x.shape);
  const count = batchCount(x.shape);
  const bufs = outs.map((o) => allocate(o.dtype, o.size));
  const src = data(x);
  for (let b = 0; b < count; b++) {
    const res = f(matrixAt(src, b, m * n), m, n);
    res.forEach((r, i) => bufs[i]!.set(r, b * r.length));
  }
  return bufs.map((buf, i) => wrap(buf, outs[i]!));
}

/** `cholesky` kernel: the lower factor; a matrix that is not positive definite gives all NaN (as JAX). */
export function choleskyKernel(x: ConcreteArray, outs: readonly ShapedArray[]): ConcreteArray[] {
  return mapMatrices(x, outs, (a, n) => [choleskyMatrix(a, n).l]);
}

/** The first matrix of `x` (row-major batch order) whose Cholesky factorization fails, and why. */
export function choleskyFailure(x: ConcreteArray): (CholeskyFailure & { batchIndex: number }) | null {
  const [n] = lastTwo(x.shape);
  const count = batchCount(x.shape);
  for (let b = 0; b < count; b++) {
    const f = choleskyMatrix(matrixAt(data(x), b, n * n), n).failure;
    if (f) return { ...f, batchIndex: b };
  }
  return null;
}

/** `lu` kernel: packed LU, pivots and permutation (int32). */
export function luKernel(x: ConcreteArray, outs: readonly ShapedArray[]): ConcreteArray[] {
  return mapMatrices(x, outs, (a, m, n) => {
    const { lu, pivots, perm } = luMatrix(a, m, n);
    return [lu, pivots, perm];
  });
}

/** `qr` kernel. */
export function qrKernel(x: ConcreteArray, outs: readonly ShapedArray[], full: boolean): ConcreteArray[] {
  return mapMatrices(x, outs, (a, m, n) => {
    const { q, r } = qrMatrix(a, m, n, full);
    return [q, r];
  });
}

/** `eigh` kernel: eigenvectors, then eigenvalues. */
export function eighKernel(x: ConcreteArray, outs: readonly ShapedArray[]): ConcreteArray[] {
  return mapMatrices(x, outs, (a, n) => {
    const { v, w } = eighMatrix(a, n);
    return [v, w];
  });
}

/** `svd` kernel: [u, s, vt], or [s] when `computeUv` is false. */
export function svdKernel(x: ConcreteArray, outs: readonly ShapedArray[], full: boolean, computeUv: boolean): ConcreteArray[] {
  return mapMatrices(x, outs, (a, m, n) => {
    const { u, s, vt } = svdMatrix(a, m, n, full);
    return computeUv ? [u, s, vt] : [s];
  });
}

/** `triangular_solve` kernel: a and b share their leading batch dims. */
export function triangularSolveKernel(a: ConcreteArray, b: ConcreteArray, out: ShapedArray, p: TriangularSolveParams): ConcreteArray {
  const [m] = lastTwo(a.shape);
  const [br, bc] = lastTwo(b.shape);
  const count = batchCount(a.shape);
  const buf = allocate(out.dtype, out.size);
  for (let k = 0; k < count; k++) {
    buf.set(triangularSolveMatrix(matrixAt(data(a), k, m * m), matrixAt(data(b), k, br * bc), br, bc, p), k * br * bc);
  }
  return wrap(buf, out);
}
