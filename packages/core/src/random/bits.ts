/** Random bits: the raw uint32 words every sampler starts from (JAX's `random.bits` / `_random_bits`). */
import type { NdArray } from "../array.js";
import { DTypeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { checkShapeArg } from "./check.js";
import { iota2x32 } from "./counters.js";
import { threefryHash } from "./hash.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey, keyWords } from "./key.js";
import { threefry2x32 } from "./prims.js";

/** The two hashed words of every element's counter pair (partitionable scheme). */
function hashedPairs(key: NdArray, shape: readonly number[]): [NdArray, NdArray] {
  const [k0, k1] = keyWords(key);
  const [hi, lo] = iota2x32(shape);
  return threefry2x32(k0, k1, hi, lo);
}

/** 32 random bits per element of `shape` (uint32). */
export function randomBits(impl: ThreefryImpl, key: NdArray, shape: readonly number[]): NdArray {
  if (impl.partitionable) {
    const [y0, y1] = hashedPairs(key, shape);
    return lax.xor(y0, y1);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  return lax.reshape(threefryHash(key, lax.iota("uint32", [n], 0)), shape);
}

/**
 * 64 random bits per element as (high, low) uint32 words — JAX's 64-bit draws (jax_enable_x64), which
 * float64 sampling uses. Partitionable: the two hashed words; original: the two halves of a 2n-word hash.
 */
export function randomBits64(impl: ThreefryImpl, key: NdArray, shape: readonly number[]): [NdArray, NdArray] {
  if (impl.partitionable) return hashedPairs(key, shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const words = threefryHash(key, lax.iota("uint32", [2 * n], 0));
  return [lax.reshape(lax.slice(words, [0], [n]), shape), lax.reshape(lax.slice(words, [n], [2 * n]), shape)];
}

/** Options of `bits`. */
export type BitsOptions = { dtype?: "uint32" };

/** Uniform random uint32 words of `shape` (JAX's `random.bits`; uint32 is the only unsigned dtype here). */
export function bits(impl: ThreefryImpl, key: NdArray, shape: readonly number[] = [], opts: BitsOptions = {}): NdArray {
  checkKey("random.bits", key);
  const s = checkShapeArg("random.bits", shape);
  if (opts.dtype !== undefined && opts.dtype !== "uint32") {
    throw new DTypeError(`random.bits: dtype must be an unsigned integer dtype ("uint32"), got ${JSON.stringify(opts.dtype)}`);
  }
  return randomBits(impl, key, s);
}
