import { describe, expect, it } from "vitest";
import { type NdArray, ShapeError, np, random } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import { batches } from "../src/index.js";

const n = 23;
const data = { x: np.reshape(np.arange(2 * n), [n, 2]), y: np.arange(0, n, 1, { dtype: "int32" }) };
const ids = (bs: { y: NdArray }[]) => bs.flatMap((b) => b.y.toArray() as number[]);

describe("batches", () => {
  it("visits every example once per epoch, in batches of batchSize and a remainder", () => {
    const bs = [...batches(random.key(0), data, 5)];
    expect(bs.map((b) => b.y.shape[0])).toEqual([5, 5, 5, 5, 3]);
    expect([...ids(bs)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    // Leaves stay paired: row i of x belongs to example y[i].
    for (const b of bs) assertAllclose(b.x, np.stack([np.multiply(b.y, 2), np.add(np.multiply(b.y, 2), 1)], 1));
  });

  it("the order is random.permutation(key, n): reproducible per key, different across keys", () => {
    const k = random.key(42);
    expect(ids([...batches(k, data, 4)])).toEqual(random.permutation(k, n).toArray());
    expect(ids([...batches(k, data, 4)])).toEqual(ids([...batches(random.key(42), data, 7)]));
    expect(ids([...batches(random.key(1), data, 4)])).not.toEqual(ids([...batches(k, data, 4)]));
  });

  it("dropLast skips the short batch; shuffle: false keeps data order (no key needed)", () => {
    expect([...batches(random.key(0), data, 5, { dropLast: true })].map((b) => b.y.shape[0])).toEqual([5, 5, 5, 5]);
    expect(ids([...batches(null, data, 10, { shuffle: false })])).toEqual(Array.from({ length: n }, (_, i) => i));
    expect([...batches(null, data, 1, { shuffle: false })]).toHaveLength(n);
  });

  it("rejects bad batch sizes, mismatched leading axes and a missing key at the call", () => {
    expect(() => batches(random.key(0), data, 2.5)).toThrow(/batches: batchSize must be an integer ≥ 1, got 2\.5/);
    expect(() => batches(random.key(0), data, 0)).toThrow(RangeError);
    expect(() => batches(random.key(0), { x: np.zeros([3, 2]), y: np.zeros([4]) }, 2)).toThrow(ShapeError);
    expect(() => batches(null, data, 2)).toThrow(/needs a PRNG key/);
  });
});
