/** `batches(key, data, batchSize)`: seeded mini-batches over a pytree of arrays sharing a leading example axis. */
import { type NdArray, type PyTree, ShapeError, np, random, tree } from "@fluxion/core";
import { leafArray } from "./tree-util.js";
import { integer } from "./validate.js";

/** Options of `batches`. */
export type BatchesOptions = {
  /** Visit the examples in the order `random.permutation(key, n)` (default true); false keeps data order. */
  shuffle?: boolean;
  /** Skip the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
};

/**
 * One epoch of mini-batches: every example exactly once (sampling without replacement), in batches of
 * `batchSize` rows taken from every leaf of `data` at the same indices. The order is a function of
 * `key` alone (JAX's threefry), so runs repeat; split the key per epoch for a fresh order.
 * Batch size 1 is online learning, seed 000's n = 20 a typical mini-batch.
 */
export function batches<T extends PyTree>(key: NdArray | null, data: T, batchSize: number, opts: BatchesOptions = {}): Generator<T, void, undefined> {
  const fn = "batches";
  integer(fn, "batchSize", batchSize, 1);
  const shuffle = opts.shuffle ?? true;
  const [leaves, def] = tree.flatten(data);
  const arrays = leaves.map(leafArray);
  if (arrays.length === 0) throw new TypeError(`${fn}: data has no array leaves`);
  const n = arrays[0]!.shape[0];
  for (const a of arrays) {
    if (a.ndim === 0 || a.shape[0] !== n) {
      throw new ShapeError(`${fn}: every leaf needs the same leading (example) axis, got shapes ${arrays.map((x) => `[${x.shape.join(", ")}]`).join(", ")}`);
    }
  }
  if (shuffle && key === null) throw new TypeError(`${fn}: shuffling needs a PRNG key (random.key(seed)); pass { shuffle: false } to keep the data order`);
  const order = shuffle ? random.permutation(key!, n!) : np.arange(0, n!, 1, { dtype: "int32" });
  const count = opts.dropLast ? Math.floor(n! / batchSize) : Math.ceil(n! / batchSize);
  // Checks above run at the call; the batches themselves are gathered lazily, one per iteration.
  return (function* () {
    for (let b = 0; b < count; b++) {
      const idx = np.slice(order, [b * batchSize, Math.min((b + 1) * batchSize, n!)]);
      yield tree.unflatten<T>(def, arrays.map((a) => np.take(a, idx, 0)));
    }
  })();
}
