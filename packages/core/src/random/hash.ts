/** JAX's `threefry_2x32(keypair, count)`: hash an array of uint32 counters under one key. */
import type { NdArray } from "../array.js";
import { DTypeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { checkKey, keyWords } from "./key.js";
import { threefry2x32 } from "./prims.js";

/**
 * Hash `count` (uint32, any shape) under `key`: the flattened counters (zero-padded to even length)
 * are split in halves that form the (x0, x1) pairs, and the two output halves are concatenated back.
 */
export function threefryHash(key: NdArray, count: NdArray): NdArray {
  checkKey("random.threefry2x32", key);
  if (count.dtype !== "uint32") throw new DTypeError(`random.threefry2x32: counts must be uint32, got ${count.aval.str()}`);
  const [k0, k1] = keyWords(key);
  const n = count.size;
  const odd = n % 2;
  const flat = lax.reshape(count, [n]);
  const padded = odd ? lax.concatenate([flat, lax.full([1], 0, "uint32")], 0) : flat;
  const half = (n + odd) / 2;
  const [y0, y1] = threefry2x32(k0, k1, lax.slice(padded, [0], [half]), lax.slice(padded, [half], [2 * half]));
  const out = lax.concatenate([y0, y1], 0);
  return lax.reshape(odd ? lax.slice(out, [0], [n]) : out, count.shape);
}
