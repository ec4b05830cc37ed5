/** The PRNG keys nn consumes: thin helpers over core's `random` so every layer splits keys one way. */
import { type NdArray, np, random } from "@fluxion/core";

/** A PRNG key as made by `random.key(seed)` (JAX's threefry key data). */
export type Key = NdArray;

/** `n` independent keys from `key` (JAX's `split`, unstacked into a list). */
export function splitKeys(key: Key, n: number): Key[] {
  const keys = random.split(key, n);
  return Array.from({ length: n }, (_, i) => np.index(keys, i));
}
