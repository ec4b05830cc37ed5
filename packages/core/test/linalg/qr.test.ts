/** qr: a = Q·R with orthonormal Q, both modes and shapes, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, jvp, linalg, np } from "../../src/index.js";
import { checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, orthogonalityError, relErr } from "./_util.js";

describe("qr", () => {
  it("reconstructs a = Q·R with QᵀQ = I and R upper triangular (both modes; tall, wide, batched, ill-conditioned, float32)", () => {
    for (const [a, tol] of [
      [randomArray([6, 4], 1), 1e-15],
      [randomArray([3, 5], 2), 1e-15],
      [randomArray([5, 5], 3), 1e-15],
      [randomArray([2, 3, 6, 3], 4), 1e-15],
      [illConditioned(8, 5), 1e-15],
      [randomArray([6, 4], 6, { dtype: "float32" }), 1e-6],
    ] as [NdArray, number][]) {
      const [m, n] = a.shape.slice(-2) as [number, number];
      const k = Math.min(m, n);
      for (const mode of ["reduced", "complete"] as const) {
        const [q, r] = linalg.qr(a, mode);
        const cols = mode === "complete" ? m : k;
        expect([q.shape.slice(-2), r.shape.slice(-2)]).toEqual([[m, cols], [cols, n]]);
        expect(relErr(np.matmul(q, r), a)).toBeLessThan(4 * tol);
        expect(orthogonalityError(q)).toBeLessThan(10 * tol * m);
        expect(relErr(np.triu(r), r)).toBe(0);
      }
    }
  });

  it("derivatives to second order, forward and reverse (tall and wide reduced, square complete, batched)", () => {
    checkGrads((a: NdArray) => linalg.qr(a), [randomArray([5, 3], 7)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => linalg.qr(a), [randomArray([3, 5], 8)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => linalg.qr(a, "complete"), [randomArray([4, 4], 9)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => linalg.qr(a), [randomArray([2, 4, 3], 10)], { order: 2, modes: ["fwd", "rev"] });
  });

  it("the complete QR of a tall matrix has no derivative (its extra columns are arbitrary): a clear error", () => {
    const a = randomArray([4, 2], 11);
    expect(() => jvp((x: NdArray) => linalg.qr(x, "complete"), [a], [a])).toThrow(/^qr: the derivative of a complete QR .* f64\[4,2\]/);
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray) => linalg.qr(a), [randomArray([4, 3], 12)]);
    checkVmap((a: NdArray) => linalg.qr(a, "complete"), [randomArray([3, 4], 13)]);
    checkJit((a: NdArray) => linalg.qr(a, "complete"), [randomArray([2, 5, 3], 14)]);
  });
});
