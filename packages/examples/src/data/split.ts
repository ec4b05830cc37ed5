/** Seeded train/test splits with Fluxion's own PRNG (never `Math.random`). */
import { type NdArray, np, random } from "@fluxion/core";

/** Arrays of a classification dataset: images [n, …] and int32 labels [n]. */
export type Labelled = { x: NdArray; y: NdArray };

/** Shuffle `n` examples with `key` and split off `testSize` of them: [train, test]. */
export function trainTestSplit(key: NdArray, data: Labelled, testSize: number, trainSize?: number): [Labelled, Labelled] {
  const n = data.y.shape[0]!;
  if (!Number.isInteger(testSize) || testSize <= 0 || testSize >= n) throw new RangeError(`trainTestSplit: testSize must be an integer in (0, ${n}), got ${testSize}`);
  const perm = random.permutation(key, n) as NdArray;
  const take = (idx: NdArray): Labelled => ({ x: np.take(data.x, idx, 0), y: np.take(data.y, idx, 0) });
  const nTrain = Math.min(trainSize ?? n - testSize, n - testSize);
  return [take(np.slice(perm, [testSize, testSize + nTrain])), take(np.slice(perm, [0, testSize]))];
}
