/**
 * Rules for the linear-algebra primitives: cholesky, triangular_solve, lu, qr, eigh, svd. All act on the
 * last two axes with any leading batch axes. The jvp rules follow JAX's lax/linalg.py and are written
 * with lax/np operations only, so they differentiate again (any order). Only triangular_solve is linear
 * (in b) and has a transpose rule; the others are linearized through their jvp rules.
 */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import * as np from "../np/index.js";
import type { PrimName } from "../primitives.js";
import * as ref from "../backend/reference/linalg.js";
import {
  block, choleskyP, diagEmbed, eighP, eye, eyeFrom, luP, mT, mm, padBottomRight, permutationMatrix, qrP, svdP, sym, triangularSolveP,
} from "../linalg/lax.js";
import { bind } from "../trace.js";
import type { BDim, RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront, moveAxis } from "./util.js";

/** Require a float matrix (rank ≥ 2), square when `square`; returns [batch dims, m, n]. */
function checkMatrix(op: string, a: ShapedArray, square: boolean): [number[], number, number] {
  if (!isFloat(a.dtype)) throw new DTypeError(`${op}: expects a float32 or float64 matrix, got ${a.str()}; cast it with astype("float32")`);
  if (a.ndim < 2) throw new ShapeError(`${op}: expects a matrix (an array of rank ≥ 2; the last two axes are the matrix), got ${a.str()}`);
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  if (square && m !== n) throw new ShapeError(`${op}: expects a square matrix in the last two axes, got ${a.str()}`);
  return [a.shape.slice(0, -2), m, n];
}

/** vmap rule of a one-operand primitive that accepts leading batch axes: move the batch axis to the front. */
function leadingBatch<K extends PrimName>(prim: K): RuleSet<K>["batch"] {
  return ([x], [d], params) => {
    const outs = bind(prim, [moveAxis(x!, d!, 0)], params);
    return [outs, outs.map((): BDim => 0)];
  };
}

// Broadcasting (np) so constants such as identities meet batched operands. Functions, not aliases:
// np is still initialising when this module loads (rule-table import cycle).
const sub = (x: NdArray, y: NdArray) => np.subtract(x, y);
const add = (x: NdArray, y: NdArray) => np.add(x, y);

/**
 * `cholesky`: lower factor L of the symmetric part S = (A + Aᵀ)/2, so the rule sees Ṡ = sym(Ȧ). A matrix
 * that is not positive definite gives all NaN, as JAX (linalg.cholesky raises instead on eager input).
 */
export const choleskyRules: RuleSet<"cholesky"> = {
  abstractEval([a]) {
    checkMatrix("cholesky", a!, true);
    return [a!];
  },
  impl: ([a], _p, outs) => ref.choleskyKernel(a!, outs),
  jvp([a], [ta]) {
    // Murray 2016 (arXiv:1602.07527): L̇ = L·Φ(L⁻¹ Ṡ L⁻ᵀ), Φ = lower triangle with the diagonal halved.
    const l = choleskyP(a!);
    const n = a!.shape[a!.ndim - 1]!;
    const tmp = triangularSolveP(l, sym(ta!), { leftSide: false, lower: true, transposeA: true });
    const inner = triangularSolveP(l, tmp, { leftSide: true, lower: true });
    const halfDiag = np.subtract(1, np.multiply(eye(n, a!.dtype), 0.5));
    return [[l], [mm(l, np.multiply(np.tril(inner), halfDiag))]];
  },
  batch: leadingBatch("cholesky"),
};

/** `triangular_solve`: nonlinear in a, linear in b (transposed by a solve with op(a) transposed). */
export const triangularSolveRules: RuleSet<"triangular_solve"> = {
  abstractEval([a, b], { leftSide }) {
    const [batchA, m] = checkMatrix("triangular_solve", a!, true);
    const [batchB, br, bc] = checkMatrix("triangular_solve", b!, false);
    if (a!.dtype !== b!.dtype) throw new DTypeError(`triangular_solve: a and b must have the same dtype, got ${a!.str()} and ${b!.str()}`);
    if (batchA.length !== batchB.length || batchA.some((d, i) => d !== batchB[i])) {
      throw new ShapeError(`triangular_solve: a and b must have the same batch dimensions, got ${a!.str()} and ${b!.str()}; broadcast them first (linalg.triangularSolve does)`);
    }
    const k = leftSide ? br : bc;
    if (k !== m) {
      throw new ShapeError(`triangular_solve: ${leftSide ? "rows" : "columns"} of b must equal the size of a (${leftSide ? "left" : "right"} side), got ${a!.str()} and ${b!.str()}`);
    }
    return [b!];
  },
  impl: ([a, b], p, [out]) => [ref.triangularSolveKernel(a!, b!, out!, p)],
  jvp([a, b], [ta, tb], p) {
    const x = triangularSolveP(a!, b!, p);
    const k = p.unitDiagonal ? 1 : 0;
    // Only the triangle the solve reads (and not a unit diagonal) carries a tangent.
    let ga = lax.neg(p.lower ? np.tril(ta!, -k) : np.triu(ta!, k));
    if (p.transposeA) ga = mT(ga);
    const m = a!.shape[a!.ndim - 1]!;
    const n = p.leftSide ? b!.shape[b!.ndim - 1]! : b!.shape[b!.ndim - 2]!;
    const aInv = (rhs: NdArray) => triangularSolveP(a!, rhs, p);
    // Both orders give the same tangent; pick the cheaper one (as JAX).
    const fromA = p.leftSide ? (m > n ? aInv(mm(ga, x)) : mm(aInv(ga), x)) : n < m ? aInv(mm(x, ga)) : mm(x, aInv(ga));
    return [[x], [add(aInv(tb!), fromA)]];
  },
  batch(args, dims, p) {
    const size = batchSize(args, dims);
    const [a, b] = args.map((x, i) => bdimToFront(x, dims[i]!, size));
    return [[triangularSolveP(a!, b!, p)], [0]];
  },
  transpose([ct], [a, b], p) {
    if (a instanceof UndefPrimal || !(b instanceof UndefPrimal)) throw new Error("triangular_solve: transpose is only defined with respect to b (it is not linear in a)");
    return [null, triangularSolveP(a!, ct!, { ...p, transposeA: !p.transposeA })];
  },
};

/** `lu`: packed LU with partial pivoting, pivots and permutation (as jax.lax.linalg.lu). */
export const luRules: RuleSet<"lu"> = {
  abstractEval([a]) {
    const [batch, m, n] = checkMatrix("lu", a!, false);
    const k = Math.min(m, n);
    return [a!, new ShapedArray([...batch, k], "int32"), new ShapedArray([...batch, m], "int32")];
  },
  impl: ([a], _p, outs) => ref.luKernel(a!, outs),
  jvp([a], [ta]) {
    // De Hoog, Anderssen & Lukas: with F = L⁻¹ (P Ȧ) U⁻¹, L̇ = L·tril(F, −1) and U̇ = triu(F)·U.
    const [lu, piv, perm] = luP(a!);
    const m = a!.shape[a!.ndim - 2]!;
    const n = a!.shape[a!.ndim - 1]!;
    const k = Math.min(m, n);
    const dt = a!.dtype;
    const x = mm(permutationMatrix(perm, dt), ta!);
    // Square L (m×m, unit diagonal) and U (n×n, identity below the k×k factor) around the packed factors.
    const l = add(padBottomRight(np.tril(block(lu, [0, m], [0, k]), -1), 0, m - k), eye(m, dt));
    const u = add(padBottomRight(np.triu(block(lu, [0, k], [0, n])), n - k, 0), eyeFrom(n, n, k, dt));
    const la = triangularSolveP(l, x, { leftSide: true, lower: true, unitDiagonal: true });
    const lau = triangularSolveP(u, la, { leftSide: false, lower: false });
    const luDot = add(mm(l, np.tril(lau, -1)), mm(np.triu(lau), u));
    return [[lu, piv, perm], [luDot, lax.zerosLike(piv), lax.zerosLike(perm)]];
  },
  batch: leadingBatch("lu"),
};

/** Tangent of a square or tall QR (m ≥ n) with r invertible (Townsend's derivation, as JAX's qr_jvp_rule). */
function qrJvpTall(q: NdArray, r: NdArray, ta: NdArray): [NdArray, NdArray] {
  const dxRinv = triangularSolveP(r, ta, { leftSide: false, lower: false });
  const qtDxRinv = mm(mT(q), dxRinv);
  const low = np.tril(qtDxRinv, -1);
  const omega = sub(low, mT(low));
  const dq = add(mm(q, sub(omega, qtDxRinv)), dxRinv);
  const dr = mm(sub(qtDxRinv, omega), r);
  return [dq, dr];
}

/** `qr`: Householder QR; R's diagonal follows LAPACK's sign convention (equal to NumPy's results). */
export const qrRules: RuleSet<"qr"> = {
  abstractEval([a], { fullMatrices }) {
    const [batch, m, n] = checkMatrix("qr", a!, false);
    const k = Math.min(m, n);
    const cols = fullMatrices ? m : k;
    return [new ShapedArray([...batch, m, cols], a!.dtype), new ShapedArray([...batch, cols, n], a!.dtype)];
  },
  impl: ([a], { fullMatrices }, outs) => ref.qrKernel(a!, outs, fullMatrices),
  jvp([a], [ta], { fullMatrices }) {
    const m = a!.shape[a!.ndim - 2]!;
    const n = a!.shape[a!.ndim - 1]!;
    if (fullMatrices && m > n) {
      throw new Error(`qr: the derivative of a complete QR (fullMatrices) of a tall matrix ${a!.aval.str()} is not defined: the last ${m - n} columns of Q are arbitrary; use the reduced QR`);
    }
    const [q, r] = qrP(a!, fullMatrices);
    if (m >= n) {
      const [dq, dr] = qrJvpTall(q, r, ta!);
      return [[q, r], [dq, dr]];
    }
    // Wide: A = [X | Y] with X = Q·R₁ square, and R₂ = Qᵀ Y, so Ṙ₂ = Q̇ᵀ Y + Qᵀ Ẏ.
    const [dq, dr1] = qrJvpTall(q, block(r, [0, m], [0, m]), block(ta!, [0, m], [0, m]));
    const y = block(a!, [0, m], [m, n]);
    const dr2 = add(mm(mT(dq), y), mm(mT(q), block(ta!, [0, m], [m, n])));
    return [[q, r], [dq, lax.concatenate([dr1, dr2], r.ndim - 1)]];
  },
  batch: leadingBatch("qr"),
};

/**
 * `eigh`: eigen-decomposition of the symmetric part (A + Aᵀ)/2. Outputs [v, w]: eigenvalues w ascending,
 * eigenvectors the columns of v, each with its largest-magnitude component positive.
 */
export const eighRules: RuleSet<"eigh"> = {
  abstractEval([a]) {
    const [batch, n] = checkMatrix("eigh", a!, true);
    return [a!, new ShapedArray([...batch, n], a!.dtype)];
  },
  impl: ([a], _p, outs) => ref.eighKernel(a!, outs),
  jvp([a], [ta]) {
    // ẇ = diag(Vᵀ Ṡ V), V̇ = V (F ∘ Vᵀ Ṡ V) with F_ij = 1/(w_j − w_i) off the diagonal (distinct eigenvalues).
    const [v, w] = eighP(a!);
    const n = a!.shape[a!.ndim - 1]!;
    const id = eye(n, a!.dtype);
    const diffs = np.subtract(np.expandDims(w, -2), np.expandDims(w, -1));
    const f = np.subtract(np.divide(1, np.add(id, diffs)), id);
    const vtav = mm(mm(mT(v), sym(ta!)), v);
    return [[v, w], [mm(v, np.multiply(f, vtav)), np.diagonal(vtav)]];
  },
  batch: leadingBatch("eigh"),
};

/** `svd`: [u, s, vt] with s descending (or [s]); each column of u has its largest-magnitude entry positive. */
export const svdRules: RuleSet<"svd"> = {
  abstractEval([a], { fullMatrices, computeUv }) {
    const [batch, m, n] = checkMatrix("svd", a!, false);
    const k = Math.min(m, n);
    const s = new ShapedArray([...batch, k], a!.dtype);
    if (!computeUv) return [s];
    const ucols = fullMatrices ? m : k;
    const vrows = fullMatrices ? n : k;
    return [new ShapedArray([...batch, m, ucols], a!.dtype), s, new ShapedArray([...batch, vrows, n], a!.dtype)];
  },
  impl: ([a], { fullMatrices, computeUv }, outs) => ref.svdKernel(a!, outs, fullMatrices, computeUv),
  jvp([a], [ta], { fullMatrices, computeUv }) {
    const m = a!.shape[a!.ndim - 2]!;
    const n = a!.shape[a!.ndim - 1]!;
    if (computeUv && fullMatrices && m !== n) {
      throw new Error(`svd: the derivative of a full SVD (fullMatrices) of a non-square matrix ${a!.aval.str()} is not defined: the extra singular vectors are arbitrary; use fullMatrices: false`);
    }
    const [u, s, vt] = svdP(a!, false, true) as [NdArray, NdArray, NdArray];
    const v = mT(vt);
    const dS = mm(mm(mT(u), ta!), v);
    const ds = np.diagonal(dS);
    if (!computeUv) return [[s], [ds]];
    // JAX's svd_jvp_rule: F_ij = 1/(s_j² − s_i²) off the diagonal (distinct singular values required).
    const sRow = np.expandDims(s, -2);
    const sCol = np.expandDims(s, -1);
    const k = Math.min(m, n);
    const id = eye(k, a!.dtype);
    const f = np.subtract(np.divide(1, np.add(np.multiply(np.add(sRow, sCol), np.subtract(sRow, sCol)), id)), id);
    const dSS = np.multiply(sRow, dS);
    const SdS = np.multiply(sCol, dS);
    const sZero = np.astype(np.equal(s, 0), a!.dtype);
    const sInv = np.subtract(np.divide(1, np.add(s, sZero)), sZero);
    const dUdVDiag = np.multiply(np.multiply(np.subtract(dS, mT(dS)), 0.5), diagEmbed(sInv));
    let dU = mm(u, add(np.multiply(f, add(dSS, mT(dSS))), dUdVDiag));
    let dV = mm(v, np.multiply(f, add(SdS, mT(SdS))));
    // Components outside the span of U (tall) or V (wide).
    if (m > n) {
      const dAV = mm(ta!, v);
      dU = add(dU, np.divide(sub(dAV, mm(u, mm(mT(u), dAV))), sRow));
    }
    if (n > m) {
      const dAtU = mm(mT(ta!), u);
      dV = add(dV, np.divide(sub(dAtU, mm(v, mm(vt, dAtU))), sRow));
    }
    return [[u, s, vt], [dU, ds, mT(dV)]];
  },
  batch: leadingBatch("svd"),
};
