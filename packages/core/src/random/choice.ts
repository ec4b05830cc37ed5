/** `choice`: draws from a range or from an array's slices, with or without replacement (JAX's `random.choice`). */
import { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { normalizeAxis } from "../shape.js";
import { checkConcreteRange, checkShapeArg, describe } from "./check.js";
import { gumbelDraw } from "./gumbel.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { permutation } from "./permutation.js";
import { randint } from "./randint.js";
import { argsortLast } from "./sort.js";
import { unitFloats } from "./uniform.js";

/** Options of `choice`. */
export type ChoiceOptions = {
  /** Output shape of the draws (default [], one draw). */
  shape?: readonly number[];
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** Probabilities of the n entries (float vector of length n, need not sum to 1); uniform if omitted. */
  p?: NdArray;
  /** Axis of `a` to draw slices along (default 0). */
  axis?: number;
};

/** Indices drawn by weight: the first cumulative weight above total·(1 − u) (JAX's searchsorted, side "left"). */
function weightedIndices(impl: ThreefryImpl, key: NdArray, p: NdArray, shape: readonly number[]): NdArray {
  const n = p.shape[0]!;
  const cum = lax.cumsum(p, 0);
  const total = lax.reshape(lax.slice(cum, [n - 1], [n]), []);
  const u = unitFloats(impl, key, shape, p.dtype as "float32" | "float64");
  const r = lax.mul(lax.broadcastInDim(total, shape, []), lax.sub(lax.fullLike(u, 1), u));
  const full = [...shape, n];
  const below = lax.lt(lax.broadcastInDim(cum, full, [shape.length]), lax.broadcastInDim(r, full, shape.map((_, i) => i)));
  return lax.reduceSum(lax.convertElementType(below, "int32"), [shape.length]);
}

/**
 * Draw `shape` entries of range(a) (a an integer) or slices of `a` along `axis`. Without weights: randint
 * (replace) or the head of a permutation (no replace). With weights `p`: inverse-CDF search (replace) or
 * the Gumbel top-k trick, a stable argsort of −(Gumbel + log p) (no replace).
 */
export function choice(impl: ThreefryImpl, key: NdArray, a: number | NdArray, opts: ChoiceOptions = {}): NdArray {
  const fn = "random.choice";
  checkKey(fn, key);
  const shape = checkShapeArg(fn, opts.shape ?? []);
  const replace = opts.replace ?? true;
  let arr: NdArray | null = null;
  let n: number;
  let axis = 0;
  if (typeof a === "number") n = a;
  else if (a instanceof NdArray && a.ndim === 0) n = Number(a.item());
  else if (a instanceof NdArray) {
    arr = a;
    axis = normalizeAxis(fn, opts.axis ?? 0, a.ndim);
    n = a.shape[axis]!;
  } else throw new TypeError(`${fn}: a must be an integer or an NdArray, got ${describe(a)}`);
  if (!Number.isInteger(n)) throw new RangeError(`${fn}: a must be an integer (the size of the range), got ${n}`);
  const draws = shape.reduce((x, y) => x * y, 1);
  const outShape = arr === null ? shape : [...arr.shape.slice(0, axis), ...shape, ...arr.shape.slice(axis + 1)];
  if (draws === 0) return lax.full(outShape, 0, arr?.dtype ?? "int32");
  if (n <= 0) throw new RangeError(`${fn}: a must be greater than 0 unless no samples are taken, got ${n}`);
  if (!replace && draws > n) throw new RangeError(`${fn}: cannot take a larger sample (${draws}) than the population (${n}) when replace is false`);

  let ind: NdArray;
  if (opts.p === undefined) {
    if (!replace) {
      const perm = permutation(impl, key, arr ?? n, { axis });
      const start = perm.shape.map(() => 0);
      const limit = perm.shape.map((d, i) => (i === axis ? draws : d));
      return lax.reshape(lax.slice(perm, start, limit), outShape);
    }
    ind = randint(impl, key, shape, 0, n);
  } else {
    const p = opts.p;
    if (!(p instanceof NdArray)) throw new TypeError(`${fn}: p must be an NdArray of probabilities, got ${describe(p)}`);
    if (!isFloat(p.dtype)) throw new DTypeError(`${fn}: p must be floats, got ${p.aval.str()}`);
    if (p.ndim !== 1 || p.shape[0] !== n) throw new ShapeError(`${fn}: p must be a vector with one probability per entry, [${n}], got ${p.aval.str()}`);
    checkConcreteRange(fn, "every probability in p", p, 0, Infinity);
    if (replace) ind = weightedIndices(impl, key, p, shape);
    else {
      const g = lax.sub(lax.neg(gumbelDraw(impl, key, [n], p.dtype as "float32" | "float64")), lax.log(p));
      ind = lax.reshape(lax.slice(argsortLast(g, Infinity), [0], [draws]), shape);
    }
  }
  return arr === null ? ind : lax.reshape(lax.gather(arr, lax.reshape(ind, [draws]), axis), outShape);
}
