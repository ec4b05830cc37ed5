/** Counters for the partitionable scheme: JAX's `iota_2x32_shape`. */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";

/**
 * The row-major index of every element of `shape` as a 64-bit integer split in (hi, lo) uint32 words.
 * Fluxion arrays have fewer than 2³² elements, so the high words are all zero.
 */
export function iota2x32(shape: readonly number[]): [NdArray, NdArray] {
  const n = shape.reduce((a, b) => a * b, 1);
  const lo = lax.reshape(lax.iota("uint32", [n], 0), shape);
  return [lax.full(shape, 0, "uint32"), lo];
}
