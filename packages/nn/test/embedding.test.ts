/** embedding: lookup, gradients, init, errors. */
import { describe, expect, test } from "vitest";
import { grad, np, random } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { embedding } from "../src/index.js";

describe("embedding", () => {
  test("looks up rows; ids of any shape gain a features axis; the gradient accumulates per id", () => {
    const layer = embedding(5, 3);
    const table = randomArray([5, 3], 1);
    const ids = np.array([[0, 4], [4, 2]], { dtype: "int32" });
    const y = layer.apply({ table }, ids);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(layer.outputShape([2, 2])).toEqual([2, 2, 3]);
    assertAllclose(np.index(np.index(y, 1), 0), np.index(table, 4));
    const g = grad((t: typeof table) => np.sum(layer.apply({ table: t }, ids)))(table);
    expect((g.toArray() as number[][]).map((r) => r[0])).toEqual([1, 0, 1, 0, 2]);
    checkGrads((t: typeof table) => layer.apply({ table: t }, ids), [table], { order: 2 });
    checkVmap((i: typeof ids) => layer.apply({ table }, i), [ids]);
    checkJit((t: typeof table, i: typeof ids) => layer.apply({ table: t }, i), [table, ids]);
  });

  test("init N(0, 1) table; float ids are an error", () => {
    const p = embedding(1000, 50).init(random.key(0));
    expect(p.table.shape).toEqual([1000, 50]);
    expect(Math.abs((np.std(p.table).item() as number) - 1)).toBeLessThan(0.02);
    expect(() => embedding(5, 3).apply(p, np.array([1.5]))).toThrow(/ids must be integers/);
  });
});
