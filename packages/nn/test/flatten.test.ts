/** flatten: shapes and order. */
import { expect, test } from "vitest";
import { np } from "@fluxion/core";
import { checkVmap, randomArray } from "@fluxion/core/testing";
import { flatten } from "../src/index.js";

test("flatten keeps the batch axis and merges the rest in row-major order", () => {
  const x = np.reshape(np.arange(24), [2, 3, 2, 2]);
  const y = flatten().apply({}, x);
  expect(y.shape).toEqual([2, 12]);
  expect((y.toArray() as number[][])[1]).toEqual(Array.from({ length: 12 }, (_, i) => 12 + i));
  expect(flatten().outputShape([5, 64, 7, 7])).toEqual([5, 3136]);
  expect(flatten({ startAxis: 0 }).apply({}, x).shape).toEqual([24]);
  expect(flatten({ startAxis: 2 }).outputShape([2, 3, 4, 5])).toEqual([2, 3, 20]);
  expect(() => flatten({ startAxis: -1 })).toThrow(/non-negative/);
  checkVmap((v: typeof x) => flatten({ startAxis: 0 }).apply({}, v), [randomArray([3, 2, 2], 1)]);
});
