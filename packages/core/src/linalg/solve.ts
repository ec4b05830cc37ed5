/** Solving square linear systems through LU with partial pivoting. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as np from "../np/index.js";
import { asMatrix, broadcastBatch, checkNonsingular, isEager, promoteFloat } from "./input.js";
import { luP, mm, permutationMatrix, triangularSolveP } from "./lax.js";

/**
 * x with a·x = b for square `a` and matrix `b` of equal batch axes, by LU: P·a = L·U, then two
 * triangular solves. Eagerly, an exactly zero pivot throws a LinAlgError naming `op` (unless `check` is false:
 * then it gives ±Inf/NaN, as under a transformation).
 */
export function luSolveSquare(op: string, a: NdArray, b: NdArray, check = true): NdArray {
  const [packed, , perm] = luP(a);
  if (check && isEager(packed)) checkNonsingular(op, packed, "U");
  const pb = mm(permutationMatrix(perm, a.dtype), b);
  const y = triangularSolveP(packed, pb, { leftSide: true, lower: true, unitDiagonal: true });
  return triangularSolveP(packed, y, { leftSide: true, lower: false });
}

/**
 * Solve a·x = b for x (NumPy's `linalg.solve`). a is (…, n, n); b is (…, n, k), or a vector stack
 * (…, n) when it is 1-D or has one axis fewer than a (JAX's rule); batch axes broadcast. A singular
 * matrix (exactly zero pivot) throws a LinAlgError eagerly; under a transformation it gives ±Inf/NaN.
 */
export function solve(a: ArrayLike, b: ArrayLike): NdArray {
  const [a0, b0] = promoteFloat(a, b);
  const am = asMatrix("solve", a0, true);
  const vector = b0.ndim === 1 || b0.ndim === am.ndim - 1;
  const bm = vector ? np.expandDims(b0, -1) : b0;
  if (bm.ndim < 2) throw new ShapeError(`solve: b must be a vector or matrix (stack), got ${b0.aval.str()}`);
  const n = am.shape[am.ndim - 1]!;
  if (bm.shape[bm.ndim - 2] !== n) throw new ShapeError(`solve: a is ${am.aval.str()} but b ${b0.aval.str()} has ${bm.shape[bm.ndim - 2]} rows; they must match`);
  const [ab, bb] = broadcastBatch("solve", am, bm);
  const x = luSolveSquare("solve", ab, bb);
  return vector ? np.squeeze(x, -1) : x;
}
