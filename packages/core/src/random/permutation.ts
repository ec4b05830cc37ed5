/** `permutation`: a random shuffle of a range or of an array along an axis (JAX's `random.permutation`). */
import { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import * as lax from "../lax/index.js";
import { moveaxis } from "../np/movement.js";
import { takeAlongAxis } from "../np/indexing.js";
import { normalizeAxis } from "../shape.js";
import { randomBits } from "./bits.js";
import { describe } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { argsortLast } from "./sort.js";
import { splitList } from "./split.js";

/** Options of `permutation`. */
export type PermutationOptions = {
  /** Axis to shuffle along (default 0). */
  axis?: number;
  /** Shuffle each slice along `axis` independently instead of permuting whole slices (default false). */
  independent?: boolean;
};

/**
 * JAX's `_shuffle`: sort along `axis` by fresh random uint32 keys, in ⌈3·ln(size)/ln(2³² − 1)⌉ rounds
 * (one round up to ~1600 elements) so that key collisions are vanishingly unlikely to bias the result.
 * Each round uses the second key of a split, the first carries on.
 */
export function shuffle(impl: ThreefryImpl, key: NdArray, x: NdArray, axis: number): NdArray {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(2 ** 32 - 1));
  let k = key;
  let y = moveaxis(x, axis, -1);
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = splitList(impl, k, 2) as [NdArray, NdArray];
    k = next;
    // The sort keys are drawn in x's own layout, as JAX's sort_key_val(random_bits(x.shape), x, axis).
    const sortKeys = moveaxis(randomBits(impl, sub, x.shape), axis, -1);
    y = takeAlongAxis(y, argsortLast(sortKeys, 2 ** 32 - 1), -1);
  }
  return moveaxis(y, -1, axis);
}

/**
 * A random permutation of range(x) when `x` is an integer, else of `x` along `axis`: whole slices move
 * together unless `independent` (a 1-D `x` is shuffled directly).
 */
export function permutation(impl: ThreefryImpl, key: NdArray, x: number | NdArray, opts: PermutationOptions = {}): NdArray {
  const fn = "random.permutation";
  checkKey(fn, key);
  if (typeof x === "number" || (x instanceof NdArray && x.ndim === 0)) {
    if (x instanceof NdArray && (isFloat(x.dtype) || x.dtype === "bool")) throw new TypeError(`${fn}: x must be an integer or an array of at least 1 dimension, got ${x.aval.str()}`);
    const n = typeof x === "number" ? x : Number(x.item());
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: x must be a non-negative integer (the length of the range), got ${n}`);
    normalizeAxis(fn, opts.axis ?? 0, 1);
    return shuffle(impl, key, lax.iota("int32", [n], 0), 0);
  }
  if (!(x instanceof NdArray)) throw new TypeError(`${fn}: x must be an integer or an NdArray, got ${describe(x)}`);
  const axis = normalizeAxis(fn, opts.axis ?? 0, x.ndim);
  if (opts.independent || x.ndim === 1) return shuffle(impl, key, x, axis);
  const order = shuffle(impl, key, lax.iota("int32", [x.shape[axis]!], 0), 0);
  return lax.gather(x, order, axis);
}
