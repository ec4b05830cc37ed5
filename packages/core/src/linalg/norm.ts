/** Vector and matrix norms. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as np from "../np/index.js";
import { asArray, axisOf, toFloat } from "../np/convert.js";
import { svdP } from "./lax.js";

/** Which norm: a number p (±Infinity allowed) or, for matrices, "fro" / "nuc" (null: 2-norm / Frobenius). */
export type NormOrd = number | "fro" | "nuc" | null;

/** Options of `norm`. */
export type NormOptions = {
  /** One axis (vector norm) or two (matrix norm); default: all of a 1-D or 2-D array, or all flattened when ord is null. */
  axis?: number | readonly [number, number] | null;
  keepdims?: boolean;
};

function vectorNorm(x: NdArray, ord: NormOrd, axis: number): NdArray {
  const ax = np.abs(x);
  if (ord === null || ord === 2) return np.sqrt(np.sum(np.square(x), axis));
  if (ord === Infinity) return np.max(ax, axis);
  if (ord === -Infinity) return np.min(ax, axis);
  if (ord === 0) return np.sum(np.notEqual(x, 0), axis).astype(x.dtype);
  if (ord === 1) return np.sum(ax, axis);
  if (typeof ord !== "number" || Number.isNaN(ord)) throw new TypeError(`norm: invalid order ${JSON.stringify(ord)} for a vector norm; use a number, Infinity or -Infinity`);
  return np.power(np.sum(np.power(ax, ord), axis), 1 / ord);
}

function matrixNorm(x: NdArray, ord: NormOrd, row: number, col: number): NdArray {
  if (ord === null || ord === "fro") return np.sqrt(np.sum(np.square(x), [row, col]));
  if (ord === "nuc" || ord === 2 || ord === -2) {
    // Singular values of the (row, col) matrices: move those axes last (row before col).
    const moved = np.moveaxis(np.moveaxis(x, row, -1), col > row ? col - 1 : col, -1);
    const s = svdP(moved, false, false)[0]!;
    return ord === "nuc" ? np.sum(s, -1) : ord === 2 ? np.max(s, -1) : np.min(s, -1);
  }
  const absx = np.abs(x);
  // Column sums reduce the rows (then max over columns), row sums reduce the columns.
  const afterRemoving = (kept: number, removed: number) => (kept > removed ? kept - 1 : kept);
  if (ord === 1) return np.max(np.sum(absx, row), afterRemoving(col, row));
  if (ord === -1) return np.min(np.sum(absx, row), afterRemoving(col, row));
  if (ord === Infinity) return np.max(np.sum(absx, col), afterRemoving(row, col));
  if (ord === -Infinity) return np.min(np.sum(absx, col), afterRemoving(row, col));
  throw new TypeError(`norm: invalid order ${JSON.stringify(ord)} for a matrix norm; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity`);
}

/**
 * Vector or matrix norm (NumPy's `linalg.norm`). Vector orders: 2 (default), 1, Infinity, -Infinity,
 * 0 (count of non-zeros) and any p (Σ|x|ᵖ)^(1/p). Matrix orders: "fro" (default), "nuc", 2, -2, 1, -1,
 * Infinity, -Infinity. The 2-norm's derivative at zero is NaN, as in NumPy-based autodiff libraries.
 */
export function norm(x: ArrayLike, ord: NormOrd = null, opts: NormOptions = {}): NdArray {
  const a = toFloat(asArray(x));
  const keepdims = opts.keepdims ?? false;
  const axis = opts.axis ?? null;
  let axes: number[];
  if (axis === null) {
    if (ord === null) {
      const r = np.sqrt(np.sum(np.square(a)));
      return keepdims ? np.reshape(r, a.shape.map(() => 1)) : r;
    }
    if (a.ndim !== 1 && a.ndim !== 2) throw new ShapeError(`norm: with ord ${JSON.stringify(ord)} and no axis, x must be 1-D or 2-D, got ${a.aval.str()}; pass axis`);
    axes = a.ndim === 1 ? [0] : [0, 1];
  } else axes = (typeof axis === "number" ? [axis] : [...axis]).map((d) => axisOf("norm", d, a));
  let r: NdArray;
  if (axes.length === 1) {
    if (typeof ord === "string") throw new TypeError(`norm: order "${ord}" is a matrix norm; pass two axes`);
    r = vectorNorm(a, ord, axes[0]!);
  } else if (axes.length === 2) {
    if (axes[0] === axes[1]) throw new ShapeError(`norm: the two axes must differ, got ${JSON.stringify(axis)} for ${a.aval.str()}`);
    r = matrixNorm(a, ord, axes[0]!, axes[1]!);
  } else throw new ShapeError(`norm: axis must be one axis or a pair, got ${JSON.stringify(axis)}`);
  if (!keepdims) return r;
  return np.reshape(r, a.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}
