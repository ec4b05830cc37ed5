/** Argument normalisation shared by the `linalg` functions: float matrices, batch broadcasting, eager checks. */
import { type ArrayLike, ConcreteArray, type NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import { asArray, broadcastTo, resultDtype, toFloat } from "../np/convert.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";
import { LinAlgError } from "./errors.js";

/** `x` as a float array of rank ≥ 2 (integers and bools promote to float32, as NumPy's true division). */
export function asMatrix(op: string, x: ArrayLike, square = false): NdArray {
  const a = toFloat(asArray(x));
  if (a.ndim < 2) throw new ShapeError(`${op}: expects a matrix (an array of rank ≥ 2; the last two axes are the matrix), got ${a.aval.str()}`);
  if (square && a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) throw new ShapeError(`${op}: expects a square matrix in the last two axes, got ${a.aval.str()}`);
  return a;
}

/** Promote `a` and `b` to one float dtype. */
export function promoteFloat(a: ArrayLike, b: ArrayLike): [NdArray, NdArray] {
  const dtype = resultDtype(a, b);
  const d = dtype === "float64" ? "float64" : "float32";
  return [lax.convertElementType(asArray(a, d), d), lax.convertElementType(asArray(b, d), d)];
}

/** Broadcast the leading (batch) axes of two matrix stacks against each other. */
export function broadcastBatch(op: string, a: NdArray, b: NdArray): [NdArray, NdArray] {
  let batch: number[];
  try {
    batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(`${op}: batch dimensions of ${a.aval.str()} and ${b.aval.str()} do not broadcast (the last two axes are the matrices)`);
  }
  const to = (x: NdArray) => broadcastTo(x, [...batch, ...x.shape.slice(-2)], op);
  return [to(a), to(b)];
}

/** Whether every array holds data (no enclosing transformation): eager checks only run then. */
export const isEager = (...xs: NdArray[]): boolean => xs.every((x) => x instanceof ConcreteArray);

/** " in matrix [i, j] of the batch" for batch index `b` of a stack of shape `shape` (empty when unbatched). */
export function batchWhere(shape: readonly number[], b: number): string {
  const batch = shape.slice(0, -2);
  if (batch.length === 0) return "";
  const idx: number[] = [];
  let r = b;
  for (let d = batch.length - 1; d >= 0; d--) {
    idx.unshift(r % batch[d]!);
    r = Math.floor(r / batch[d]!);
  }
  return ` in matrix [${idx.join(", ")}] of the batch`;
}

/**
 * Throw a LinAlgError naming `op` if a (concrete) packed triangular factor has an exactly zero diagonal
 * entry, the point where a solve would divide by zero (NumPy raises "Singular matrix" there too).
 */
export function checkNonsingular(op: string, factor: NdArray, what: string): void {
  const n = Math.min(factor.shape[factor.ndim - 2]!, factor.shape[factor.ndim - 1]!);
  const rows = factor.shape[factor.ndim - 2]!;
  const cols = factor.shape[factor.ndim - 1]!;
  const data = factor.toTypedArray();
  const count = factor.size / Math.max(rows * cols, 1);
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < n; i++) {
      if (data[b * rows * cols + i * cols + i] === 0) {
        throw new LinAlgError(`${op}: matrix is singular (${what}[${i},${i}] is 0${batchWhere(factor.shape, b)}); use linalg.lstsq or linalg.pinv for singular or rank-deficient systems`);
      }
    }
  }
}
