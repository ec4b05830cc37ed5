/**
 * Which of JAX's two Threefry key-derivation schemes to follow. JAX's flag
 * `jax_threefry_partitionable` selects between them; it defaults to true since JAX 0.5.0 (January
 * 2025), so `random` follows the partitionable scheme and `random.legacy` the original one.
 */

/** How keys are split and bits drawn (JAX's `jax_threefry_partitionable`). */
export type ThreefryImpl = {
  /** Name used in messages. */
  readonly name: string;
  /**
   * true: element i of any draw hashes the counter pair (hi(i), lo(i)) and xors the two output words,
   * and `split` hashes (0, i) — JAX's default since 0.5.0. false: draws hash one flat iota split in
   * halves (JAX ≤ 0.4.x).
   */
  readonly partitionable: boolean;
};

/** JAX's default scheme (`jax_threefry_partitionable=True`, JAX ≥ 0.5.0). */
export const PARTITIONABLE: ThreefryImpl = { name: "threefry2x32 (partitionable)", partitionable: true };

/** JAX's original scheme (`jax_threefry_partitionable=False`, the default of JAX ≤ 0.4.x). */
export const ORIGINAL: ThreefryImpl = { name: "threefry2x32 (original)", partitionable: false };
