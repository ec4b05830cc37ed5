/** cholesky: reconstruction, eager errors vs NaN under tracing, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, jit, lax, linalg, np, vmap } from "../../src/index.js";
import { checkGrads, checkJit, checkVmap } from "../../src/testing/index.js";
import { illConditioned, relErr, spd } from "./_util.js";

const llt = (l: NdArray) => np.matmul(l, np.swapaxes(l, -1, -2));

describe("cholesky", () => {
  it("reconstructs a = L·Lᵀ with L lower triangular (well- and ill-conditioned, batched, float32)", () => {
    for (const [a, tol] of [
      [spd(6, 1), 1e-15],
      [illConditioned(8, 2, 1e8, true), 1e-15],
      [spd(4, 3, [2, 3]), 1e-15],
      [spd(5, 4, [], "float32"), 1e-6],
    ] as [NdArray, number][]) {
      const l = linalg.cholesky(a);
      expect(l.dtype).toBe(a.dtype);
      expect(relErr(llt(l), a)).toBeLessThan(tol);
      expect(relErr(np.tril(l), l)).toBe(0);
    }
  });

  it("upper gives U = Lᵀ with a = Uᵀ·U", () => {
    const a = spd(4, 5);
    const u = linalg.cholesky(a, { upper: true });
    expect(relErr(np.matmul(u.T, u), a)).toBeLessThan(1e-15);
    expect(relErr(np.triu(u), u)).toBe(0);
  });

  it("uses the symmetric part (a + aᵀ)/2", () => {
    const a = spd(4, 6);
    const skew = np.subtract(np.triu(a, 1), np.tril(a, -1));
    expect(relErr(linalg.cholesky(np.add(a, skew)), linalg.cholesky(a))).toBeLessThan(1e-15);
  });

  it("throws eagerly on a matrix that is not positive definite, naming the pivot", () => {
    const bad = np.array([[4, 2, 0], [2, 1.25, 0], [0, 0, -0.5]], { dtype: "float64" });
    expect(() => linalg.cholesky(bad)).toThrow("cholesky: matrix is not positive definite (pivot 2 is -0.5)");
    const batch = np.stack([spd(3, 7), np.negative(spd(3, 8))]);
    expect(() => linalg.cholesky(batch)).toThrow(/pivot 0 is -[\d.]+ in matrix \[1\] of the batch/);
    expect(() => linalg.cholesky(np.array([[NaN, 0], [0, 1]]))).toThrow(/pivot 0 is NaN/);
  });

  it("returns NaN like JAX under jit, vmap and grad (the value cannot be inspected while tracing)", () => {
    const bad = np.array([[1, 2], [2, 1]], { dtype: "float64" });
    const viaJit = jit((x: NdArray) => linalg.cholesky(x))(bad);
    expect(Array.from(viaJit.toTypedArray()).every(Number.isNaN)).toBe(true);
    const viaVmap = vmap((x: NdArray) => linalg.cholesky(x))(np.stack([spd(2, 9), bad]));
    const vals = Array.from(viaVmap.toTypedArray());
    expect(vals.slice(0, 4).some(Number.isNaN)).toBe(false);
    expect(vals.slice(4).every(Number.isNaN)).toBe(true);
    const g = grad((x: NdArray) => np.sum(linalg.cholesky(x)))(bad);
    expect(Array.from(g.toTypedArray()).every(Number.isNaN)).toBe(true);
    // The primitive itself follows JAX (NaN), eagerly too; only the public function checks.
    expect(Number.isNaN(lax.bind("cholesky", [bad], {})[0]!.toTypedArray()[0]!)).toBe(true);
  });

  it("derivatives to second order, forward and reverse (any, not only symmetric, tangents)", () => {
    checkGrads((a: NdArray) => linalg.cholesky(a), [spd(4, 10)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => linalg.cholesky(a), [spd(3, 11, [2])], { order: 2, modes: ["fwd", "rev"] });
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray) => linalg.cholesky(a), [spd(3, 12)]);
    checkVmap((a: NdArray) => linalg.cholesky(a), [spd(3, 13, [2])]);
    checkJit((a: NdArray) => linalg.cholesky(a), [spd(4, 14, [2])]);
    checkJit((a: NdArray) => grad((x: NdArray) => np.sum(np.square(linalg.cholesky(x))))(a), [spd(3, 15)], { rtol: 1e-12 });
  });
});
