/** norm, cond, matrixRank, trace: definitions, axes and keepdims, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, linalg, np } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, wellConditioned } from "./_util.js";

describe("norm", () => {
  it("vector orders follow their definitions", () => {
    const v = np.array([3, -4, 0, 1], { dtype: "float64" });
    const cases: [linalg.NormOrd, number][] = [[null, Math.sqrt(26)], [2, Math.sqrt(26)], [1, 8], [Infinity, 4], [-Infinity, 0], [0, 3], [3, Math.cbrt(27 + 64 + 1)]];
    for (const [ord, want] of cases) expect(linalg.norm(v, ord).item()).toBeCloseTo(want, 12);
  });

  it("matrix orders: 2 and nuc from singular values, 1/inf from column/row sums", () => {
    const a = randomArray([4, 3], 1);
    const s = linalg.svd(a, { computeUv: false });
    expect(linalg.norm(a, 2).item()).toBeCloseTo(np.max(s).item() as number, 13);
    expect(linalg.norm(a, -2).item()).toBeCloseTo(np.min(s).item() as number, 13);
    expect(linalg.norm(a, "nuc").item()).toBeCloseTo(np.sum(s).item() as number, 13);
    expect(linalg.norm(a, 1).item()).toBeCloseTo(np.max(np.sum(np.abs(a), 0)).item() as number, 13);
    expect(linalg.norm(a, Infinity).item()).toBeCloseTo(np.max(np.sum(np.abs(a), 1)).item() as number, 13);
    expect(linalg.norm(a).item()).toBeCloseTo(linalg.norm(a, "fro").item() as number, 13);
  });

  it("axis and keepdims", () => {
    const t = randomArray([2, 3, 4], 2);
    expect(linalg.norm(t, null, { axis: 1, keepdims: true }).shape).toEqual([2, 1, 4]);
    expect(linalg.norm(t, 2, { axis: [0, 2] }).shape).toEqual([3]);
    expect(linalg.norm(t, "fro", { axis: [2, 1], keepdims: true }).shape).toEqual([2, 1, 1]);
    expect(linalg.norm(t).shape).toEqual([]);
    expect(() => linalg.norm(t, 1)).toThrow(/^norm: .* must be 1-D or 2-D, got f64\[2,3,4\]/);
    expect(() => linalg.norm(t, "fro", { axis: 0 })).toThrow(/^norm: order "fro" is a matrix norm/);
    expect(() => linalg.norm(t, 3, { axis: [0, 1] })).toThrow(/^norm: invalid order 3 for a matrix norm/);
  });

  it("derivatives to second order", () => {
    const opts = { order: 2, modes: ["fwd", "rev"] } as const;
    const v = randomArray([5], 3);
    for (const ord of [null, 1, 3, Infinity] as linalg.NormOrd[]) checkGrads((x: NdArray) => linalg.norm(x, ord), [v], opts);
    const a = randomArray([4, 3], 4);
    for (const ord of ["fro", "nuc", 2, 1] as linalg.NormOrd[]) checkGrads((x: NdArray) => linalg.norm(x, ord), [a], opts);
  });

  it("batches under vmap and jit", () => {
    checkVmap((x: NdArray) => linalg.norm(x, "nuc"), [randomArray([3, 4], 5)]);
    checkJit((x: NdArray) => linalg.norm(x, 2, { axis: [0, 2] }), [randomArray([3, 2, 4], 6)]);
  });
});

describe("cond, matrixRank, trace", () => {
  it("cond: ratio of extreme singular values; ‖a‖·‖a⁻¹‖ for other orders; Inf for a singular matrix", () => {
    expect(linalg.cond(illConditioned(6, 7)).item()).toBeCloseTo(1e8, -2);
    const a = wellConditioned(4, 8);
    expect(linalg.cond(a, 1).item()).toBeCloseTo((linalg.norm(a, 1).item() as number) * (linalg.norm(linalg.inv(a), 1).item() as number), 10);
    expect(linalg.cond(a, -2).item()).toBeCloseTo(1 / (linalg.cond(a).item() as number), 12);
    expect(linalg.cond(np.array([[1, 2], [2, 4]], { dtype: "float64" }), 1).item()).toBe(Infinity);
  });

  it("matrixRank counts singular values above the tolerance", () => {
    const low = np.matmul(randomArray([2, 6, 3], 9), randomArray([2, 3, 5], 10));
    expect(linalg.matrixRank(low).toArray()).toEqual([3, 3]);
    expect(linalg.matrixRank(illConditioned(6, 11)).item()).toBe(6);
    expect(linalg.matrixRank(illConditioned(6, 11), { rtol: 1e-6 }).item()).toBe(4);
    expect(linalg.matrixRank(np.eye(3), { tol: 2 }).item()).toBe(0);
  });

  it("trace sums a diagonal of the last two axes, differentiably", () => {
    const t = randomArray([2, 3, 3], 12);
    assertAllclose(linalg.trace(t), np.sum(np.diagonal(t), -1));
    assertAllclose(linalg.trace(t, { offset: 1 }), np.sum(np.diagonal(t, 1), -1));
    checkGrads((x: NdArray) => linalg.trace(x), [t], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((x: NdArray) => linalg.cond(x), [wellConditioned(3, 13)], { order: 2, modes: ["fwd", "rev"] });
  });
});
