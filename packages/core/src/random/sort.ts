/**
 * A stable argsort along the last axis built from structural and elementwise primitives (there is no
 * sort primitive): a bitonic network on (key, index) pairs. The index breaks ties, which makes the order
 * total, so the network's result is the unique stable order — the same as XLA's stable sort in
 * `lax.sort_key_val`. O(n log² n) work in O(log² n) traced steps; works under jit and vmap.
 */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { array } from "../np/convert.js";

const pad = (x: NdArray, count: number, value: number): NdArray =>
  count === 0 ? x : lax.concatenate([x, lax.full([...x.shape.slice(0, -1), count], value, x.dtype)], x.ndim - 1);

/** Whether (k1, i1) sorts after (k2, i2). */
const after = (k1: NdArray, i1: NdArray, k2: NdArray, i2: NdArray): NdArray =>
  lax.or(lax.gt(k1, k2), lax.and(lax.eq(k1, k2), lax.gt(i1, i2)));

/**
 * Compare-exchange of elements i and i + j for every i with bit j clear, ascending where bit `k` of i is
 * clear (descending elsewhere): one layer of the bitonic network on arrays of shape [...batch, n].
 */
function layer(key: NdArray, idx: NdArray, k: number, j: number): [NdArray, NdArray] {
  const batch = key.shape.slice(0, -1);
  const n = key.shape[key.ndim - 1]!;
  const blocks = n / (2 * j);
  const split = (x: NdArray) => {
    const r = lax.reshape(x, [...batch, blocks, 2, j]);
    const end = [...batch, blocks, 2, j];
    const first = lax.slice(r, end.map(() => 0), end.map((d, a) => (a === batch.length + 1 ? 1 : d)));
    const second = lax.slice(r, end.map((_, a) => (a === batch.length + 1 ? 1 : 0)), end);
    return [first, second] as const;
  };
  const [k1, k2] = split(key);
  const [i1, i2] = split(idx);
  // Element b·2j + t has bit k set exactly when (b·2j) & k does, since t < j < k (for k = n: none is).
  const descending = Uint8Array.from({ length: blocks }, (_, b) => ((b * 2 * j) & k) !== 0 ? 1 : 0);
  const dirs = lax.broadcastInDim(array(descending, { dtype: "bool" }), [...batch, blocks, 1, j], [batch.length]);
  const swap = lax.ne(after(k1, i1, k2, i2), dirs);
  const join = (a: NdArray, b: NdArray) => lax.reshape(lax.concatenate([lax.selectN(swap, a, b), lax.selectN(swap, b, a)], batch.length + 1), [...batch, n]);
  return [join(k1, k2), join(i1, i2)];
}

/**
 * The permutation that stably sorts `keys` ascending along the last axis (int32 indices, same shape).
 * `padKey` must sort last among the key dtype's values (the largest uint32, or +∞ for floats).
 */
export function argsortLast(keys: NdArray, padKey: number): NdArray {
  const n = keys.shape[keys.ndim - 1]!;
  if (n <= 1) return lax.iota("int32", keys.shape, keys.ndim - 1);
  let size = 1;
  while (size < n) size *= 2;
  // Padding sorts after every real element: its key is the maximum and its index is larger.
  let key = pad(keys, size - n, padKey);
  let idx = lax.iota("int32", key.shape, key.ndim - 1);
  for (let k = 2; k <= size; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) [key, idx] = layer(key, idx, k, j);
  }
  const end = idx.shape.slice();
  end[end.length - 1] = n;
  return lax.slice(idx, end.map(() => 0), end);
}
