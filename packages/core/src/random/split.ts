/** `split`: derive new keys from a key (JAX's `random.split`, both Threefry schemes). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { checkInt, checkShapeArg } from "./check.js";
import { iota2x32 } from "./counters.js";
import { threefryHash } from "./hash.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey, keyWords } from "./key.js";
import { threefry2x32 } from "./prims.js";

/**
 * Split `key` into `num` keys (shape [num, 2]) or a `shape` of keys ([...shape, 2]).
 * Partitionable: key i is the two hashed words of the counter pair (0, i), so split(key, n)[i] equals
 * foldIn(key, i). Original: the keys are consecutive pairs of the hash of iota(2·n).
 */
export function split(impl: ThreefryImpl, key: NdArray, num: number | readonly number[] = 2): NdArray {
  checkKey("random.split", key);
  const shape = typeof num === "number" ? [checkInt("random.split", "num", num, 0)] : checkShapeArg("random.split", num);
  const n = shape.reduce((a, b) => a * b, 1);
  if (!impl.partitionable) return lax.reshape(threefryHash(key, lax.iota("uint32", [2 * n], 0)), [...shape, 2]);
  const [k0, k1] = keyWords(key);
  const [hi, lo] = iota2x32(shape);
  const [y0, y1] = threefry2x32(k0, k1, hi, lo);
  const col = (y: NdArray) => lax.reshape(y, [...shape, 1]);
  return lax.concatenate([col(y0), col(y1)], shape.length);
}

/** The keys of a split as a list (for destructuring: `const [a, b] = splitList(impl, key)`). */
export function splitList(impl: ThreefryImpl, key: NdArray, num: number): NdArray[] {
  const keys = split(impl, key, num);
  return Array.from({ length: num }, (_, i) => lax.reshape(lax.slice(keys, [i, 0], [i + 1, 2]), [2]));
}
