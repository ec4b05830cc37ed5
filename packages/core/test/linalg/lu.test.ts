/** lu / luFactor and the lu primitive: P·a = L·U, pivots, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, jit, lax, linalg, np } from "../../src/index.js";
import { checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, relErr } from "./_util.js";

const luPrim = (a: NdArray) => lax.bind("lu", [a], {}) as [NdArray, NdArray, NdArray];

describe("lu", () => {
  it("reconstructs a = P·L·U (square, tall, wide, batched, ill-conditioned, float32)", () => {
    for (const [a, tol] of [
      [randomArray([6, 6], 1), 1e-15],
      [randomArray([7, 4], 2), 1e-15],
      [randomArray([3, 6], 3), 1e-15],
      [randomArray([2, 3, 5, 5], 4), 1e-15],
      [illConditioned(8, 5), 1e-15],
      [randomArray([5, 5], 6, { dtype: "float32" }), 1e-6],
    ] as [NdArray, number][]) {
      const [p, l, u] = linalg.lu(a);
      const [m, n] = a.shape.slice(-2) as [number, number];
      const k = Math.min(m, n);
      expect([p.shape.slice(-2), l.shape.slice(-2), u.shape.slice(-2)]).toEqual([[m, m], [m, k], [k, n]]);
      expect(relErr(np.matmul(p, np.matmul(l, u)), a)).toBeLessThan(tol);
      // Partial pivoting: |L| ≤ 1 with a unit diagonal.
      expect(np.max(np.abs(l)).item()).toBeLessThanOrEqual(1);
      expect(relErr(np.triu(u), u)).toBe(0);
    }
  });

  it("the primitive's permutation and pivots agree: a[perm] = L·U, pivots are the row swaps", () => {
    const a = randomArray([5, 5], 7);
    const [packed, piv, perm] = luPrim(a);
    expect([piv.dtype, perm.dtype]).toEqual(["int32", "int32"]);
    const order = [0, 1, 2, 3, 4];
    (piv.toArray() as number[]).forEach((p, i) => ([order[i], order[p]] = [order[p]!, order[i]!]));
    expect(perm.toArray()).toEqual(order);
    const l = np.add(np.tril(packed, -1), np.eye(5, 5, { dtype: "float64" }));
    expect(relErr(np.matmul(l, np.triu(packed)), np.take(a, perm, 0))).toBeLessThan(1e-15);
    const [lu2, piv2] = linalg.luFactor(a);
    expect(relErr(lu2, packed)).toBe(0);
    expect(piv2.toArray()).toEqual(piv.toArray());
  });

  it("a singular matrix still factors (zero pivot left in U)", () => {
    const [, , u] = linalg.lu(np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]], { dtype: "float64" }));
    const d = np.diagonal(u).toArray() as number[];
    expect(d.some((v) => Math.abs(v) < 1e-15)).toBe(true);
  });

  it("derivatives to second order, forward and reverse (square, tall, wide, batched)", () => {
    for (const a of [randomArray([4, 4], 8), randomArray([5, 3], 9), randomArray([3, 5], 10), randomArray([2, 3, 3], 11)]) {
      checkGrads((x: NdArray) => luPrim(x), [a], { order: 2, modes: ["fwd", "rev"] });
    }
    checkGrads((x: NdArray) => linalg.lu(x), [randomArray([4, 3], 12)], { order: 2, modes: ["fwd", "rev"] });
  });

  it("batches under vmap and jit", () => {
    checkVmap((x: NdArray) => luPrim(x), [randomArray([4, 4], 13)]);
    checkVmap((x: NdArray) => linalg.lu(x), [randomArray([2, 4, 3], 14)]);
    checkJit((x: NdArray) => luPrim(x), [randomArray([2, 3, 5], 15)]);
    const [, , perm] = jit((x: NdArray) => luPrim(x))(randomArray([4, 4], 16));
    expect(perm.dtype).toBe("int32");
  });
});
