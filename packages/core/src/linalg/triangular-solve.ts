/** Solving triangular systems. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as np from "../np/index.js";
import { asMatrix, broadcastBatch, checkNonsingular, isEager, promoteFloat } from "./input.js";
import { triangularSolveP } from "./lax.js";

/** Options of `triangularSolve` (SciPy's solve_triangular, plus `leftSide`). */
export type TriangularSolveOptions = {
  /** Use a's lower triangle (default false: upper, as SciPy). */
  lower?: boolean;
  /** Solve with aᵀ instead of a. */
  transpose?: boolean;
  /** Take a's diagonal to be ones (it is not read). */
  unitDiagonal?: boolean;
  /** Solve a·x = b (default true) or, when false, x·a = b. */
  leftSide?: boolean;
};

/**
 * Solve a·x = b (or aᵀ·x = b, or x·a = b) for x with a triangular, reading only the chosen triangle.
 * b is a matrix stack, or a vector stack when it has one axis fewer than a; batch axes broadcast.
 * An exactly zero diagonal entry throws a LinAlgError eagerly (under a transformation: ±Inf/NaN).
 */
export function triangularSolve(a: ArrayLike, b: ArrayLike, opts: TriangularSolveOptions = {}): NdArray {
  const [a0, b0] = promoteFloat(a, b);
  const am = asMatrix("triangularSolve", a0, true);
  const leftSide = opts.leftSide ?? true;
  const vector = b0.ndim === am.ndim - 1;
  const bm = vector ? np.expandDims(b0, leftSide ? -1 : -2) : b0;
  if (bm.ndim < 2) throw new ShapeError(`triangularSolve: b must be a vector or matrix (stack), got ${b0.aval.str()}`);
  const n = am.shape[am.ndim - 1]!;
  const k = leftSide ? bm.shape[bm.ndim - 2]! : bm.shape[bm.ndim - 1]!;
  if (k !== n) throw new ShapeError(`triangularSolve: a is ${am.aval.str()} but b ${b0.aval.str()} has ${k} ${leftSide ? "rows" : "columns"}; they must match`);
  const [ab, bb] = broadcastBatch("triangularSolve", am, bm);
  if (!opts.unitDiagonal && isEager(ab)) checkNonsingular("triangularSolve", ab, "a");
  const x = triangularSolveP(ab, bb, { leftSide, lower: opts.lower ?? false, transposeA: opts.transpose ?? false, unitDiagonal: opts.unitDiagonal ?? false });
  return vector ? np.squeeze(x, leftSide ? -1 : -2) : x;
}
