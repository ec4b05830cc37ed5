/** `foldIn`: mix 32 bits of data into a key (JAX's `random.fold_in`). */
import { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { describe } from "./check.js";
import { threefryHash } from "./hash.js";
import { checkKey } from "./key.js";

/**
 * A new key from `key` and `data` (an integer in [−2³¹, 2³²), or a 0-d int32/uint32 array): the hash of
 * the seed words [0, data mod 2³²] under `key`. The same in both Threefry schemes.
 */
export function foldIn(key: NdArray, data: number | NdArray): NdArray {
  checkKey("random.foldIn", key);
  let word: NdArray;
  if (typeof data === "number") {
    if (!Number.isInteger(data) || data < -(2 ** 31) || data >= 2 ** 32) {
      throw new RangeError(`random.foldIn: data must be an integer in [-2^31, 2^32), got ${data}`);
    }
    word = lax.full([1], (data + 2 ** 32) % 2 ** 32, "uint32");
  } else if (data instanceof NdArray && (data.dtype === "int32" || data.dtype === "uint32") && data.ndim === 0) {
    word = lax.reshape(lax.convertElementType(data, "uint32"), [1]);
  } else {
    throw new TypeError(`random.foldIn: data must be an integer or a 0-d int32/uint32 array, got ${describe(data)}; use vmap for a batch`);
  }
  return threefryHash(key, lax.concatenate([lax.full([1], 0, "uint32"), word], 0));
}
