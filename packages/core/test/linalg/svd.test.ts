/** svd: a = U·diag(s)·Vᵀ, full and reduced, sign convention, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, jvp, linalg, np } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, orthogonal, orthogonalityError, relErr } from "./_util.js";

/** U[:, :k]·diag(s)·Vᵀ[:k] */
function rebuild(u: NdArray, s: NdArray, vt: NdArray): NdArray {
  const k = s.shape.at(-1)!;
  const uk = np.slice(np.swapaxes(u, -1, -2), ...u.shape.slice(0, -2).map(() => null), [0, k]);
  const vk = np.slice(vt, ...vt.shape.slice(0, -2).map(() => null), [0, k]);
  return np.matmul(np.multiply(np.swapaxes(uk, -1, -2), np.expandDims(s, -2)), vk);
}

describe("svd", () => {
  it("reconstructs a = U·diag(s)·Vᵀ with orthogonal U, V and descending s (full and reduced; tall, wide, batched, ill-conditioned, float32)", () => {
    for (const [a, tol] of [
      [randomArray([6, 4], 1), 1e-14],
      [randomArray([3, 5], 2), 1e-14],
      [randomArray([2, 3, 4, 4], 3), 1e-14],
      [illConditioned(8, 4), 1e-14],
      [randomArray([5, 3], 5, { dtype: "float32" }), 1e-6],
    ] as [NdArray, number][]) {
      const [m, n] = a.shape.slice(-2) as [number, number];
      const k = Math.min(m, n);
      for (const fullMatrices of [false, true]) {
        const [u, s, vt] = linalg.svd(a, { fullMatrices });
        expect([u.shape.slice(-2), s.shape.at(-1), vt.shape.slice(-2)]).toEqual(fullMatrices ? [[m, m], k, [n, n]] : [[m, k], k, [k, n]]);
        expect(relErr(rebuild(u, s, vt), a)).toBeLessThan(tol);
        // Full matrices: the completed columns (any basis of the complement) are orthonormal too.
        expect(orthogonalityError(u)).toBeLessThan(tol * 10);
        expect(orthogonalityError(np.swapaxes(vt, -1, -2))).toBeLessThan(tol * 10);
        const sv = s.toTypedArray();
        for (let i = 0; i < sv.length; i++) if (i % k > 0) expect(sv[i]!).toBeLessThanOrEqual(sv[i - 1]!);
        assertAllclose(linalg.svd(a, { computeUv: false }), s, { rtol: 0, atol: 0 });
      }
    }
  });

  it("recovers singular values 1 … 1e-8 of an ill-conditioned matrix to ~eps·‖a‖", () => {
    const s = linalg.svd(illConditioned(7, 6), { computeUv: false });
    assertAllclose(s, np.power(10, np.linspace(0, -8, 7, { dtype: "float64" })), { rtol: 0, atol: 1e-15 });
  });

  it("rank-deficient input: zero singular values, U still completed to an orthonormal set", () => {
    const a = np.matmul(randomArray([5, 2], 7), randomArray([2, 4], 8));
    const [u, s, vt] = linalg.svd(a, { fullMatrices: false });
    expect((s.toArray() as number[]).slice(2).every((x) => x < 1e-14)).toBe(true);
    expect(orthogonalityError(u)).toBeLessThan(1e-14);
    expect(relErr(rebuild(u, s, vt), a)).toBeLessThan(1e-14);
    const [uz, sz] = linalg.svd(np.zeros([3, 2], { dtype: "float64" }));
    expect(orthogonalityError(uz)).toBeLessThan(1e-15);
    expect(sz.toArray()).toEqual([0, 0]);
  });

  it("sign convention: the largest-magnitude entry of each column of U is positive", () => {
    const [u] = linalg.svd(randomArray([3, 6, 4], 9));
    const ut = np.swapaxes(u, -1, -2);
    const lead = np.takeAlongAxis(ut, np.expandDims(np.argmax(np.abs(ut), -1), -1), -1);
    expect(np.min(lead).item()).toBeGreaterThan(0);
  });

  it("derivatives to second order, forward and reverse (distinct singular values)", () => {
    const reduced = (a: NdArray) => linalg.svd(a, { fullMatrices: false });
    checkGrads(reduced, [randomArray([4, 4], 10)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads(reduced, [randomArray([5, 3], 11)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads(reduced, [randomArray([3, 5], 12)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => linalg.svd(a), [randomArray([2, 3, 3], 13)], { order: 2, modes: ["fwd", "rev"] });
    // Singular values alone, even where they repeat (an orthogonal matrix: all ones).
    checkGrads((a: NdArray) => linalg.svd(a, { computeUv: false }), [randomArray([3, 5], 14)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => np.sum(linalg.svd(a, { computeUv: false })), [orthogonal(3, 15)], { order: 1, modes: ["fwd", "rev"] });
    // A loss no sign convention can change: U·diag(c)·Uᵀ and V·diag(c)·Vᵀ.
    const c = np.array([1.5, -0.5, 0.25], { dtype: "float64" });
    const invariant = (a: NdArray) => {
      const [u, s, vt] = reduced(a);
      return [s, np.matmul(np.multiply(u, c), u.T), np.matmul(np.multiply(vt.T, c), vt)];
    };
    checkGrads(invariant, [randomArray([4, 3], 16)], { order: 2, modes: ["fwd", "rev"] });
  });

  it("full matrices of a non-square input have no derivative: a clear error", () => {
    const a = randomArray([4, 2], 17);
    expect(() => jvp((x: NdArray) => linalg.svd(x), [a], [a])).toThrow(/^svd: the derivative of a full SVD .* f64\[4,2\]/);
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray) => linalg.svd(a, { fullMatrices: false }), [randomArray([4, 3], 18)]);
    checkVmap((a: NdArray) => linalg.svd(a, { computeUv: false }), [randomArray([3, 4], 19)]);
    checkJit((a: NdArray) => linalg.svd(a), [randomArray([2, 3, 5], 20)]);
  });
});
