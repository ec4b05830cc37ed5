/**
 * PRNG keys: JAX's raw (legacy) threefry keys, a uint32[2] array. `key(seed)` is
 * `jax.random.PRNGKey(seed)` with x64 off: the words are [0, seed mod 2³²].
 */
import { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { describe } from "./check.js";

/** Create a PRNG key (uint32[2]) from an integer seed (a JS integer, or a 0-d int32/uint32 array, traceable). */
export function key(seed: number | NdArray): NdArray {
  if (typeof seed === "number") {
    if (!Number.isInteger(seed)) throw new TypeError(`random.key: the seed must be an integer, got ${seed}`);
    if (!Number.isSafeInteger(seed)) throw new RangeError(`random.key: the seed ${seed} is not a safe integer (|seed| ≤ 2⁵³ − 1)`);
    // JAX without x64 keeps the low 32 bits of any integer seed and a zero high word.
    const low = ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;
    return lax.concatenate([lax.full([1], 0, "uint32"), lax.full([1], low, "uint32")], 0);
  }
  if (!(seed instanceof NdArray)) throw new TypeError(`random.key: the seed must be an integer, got ${describe(seed)}`);
  if (isKeyLike(seed)) throw new TypeError(`random.key: accepts a scalar seed, but was given a PRNG key ${seed.aval.str()}`);
  if (seed.dtype !== "int32" && seed.dtype !== "uint32") throw new TypeError(`random.key: the seed must be an integer, got ${seed.aval.str()}`);
  if (seed.ndim !== 0) throw new TypeError(`random.key: accepts a scalar seed, but was given ${seed.aval.str()}; use vmap for a batch of seeds`);
  return lax.concatenate([lax.full([1], 0, "uint32"), lax.reshape(lax.convertElementType(seed, "uint32"), [1])], 0);
}

const isKeyLike = (x: NdArray): boolean => x.dtype === "uint32" && x.ndim >= 1 && x.shape[x.ndim - 1] === 2;

/** Require `k` to be a single PRNG key (uint32[2]); the TypeError names `fn` and what was passed instead. */
export function checkKey(fn: string, k: unknown): NdArray {
  if (k instanceof NdArray && k.dtype === "uint32" && k.ndim === 1 && k.shape[0] === 2) return k;
  if (k instanceof NdArray && isKeyLike(k)) {
    throw new TypeError(`${fn}: expects a single PRNG key uint32[2], got a batch of keys ${k.aval.str()}; map over them with vmap`);
  }
  throw new TypeError(`${fn}: expects a PRNG key uint32[2] (from random.key(seed) or random.split) as its first argument, got ${describe(k)}`);
}

/** The two words of a key as 0-d uint32 arrays. */
export function keyWords(k: NdArray): [NdArray, NdArray] {
  return [lax.reshape(lax.slice(k, [0], [1]), []), lax.reshape(lax.slice(k, [1], [2]), [])];
}
