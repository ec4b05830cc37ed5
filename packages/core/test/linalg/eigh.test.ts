/** eigh / eigvalsh: a·V = V·diag(w), ordering and sign convention, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, linalg, np } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, orthogonalityError, relErr, separatedSymmetric } from "./_util.js";

const sym = (a: NdArray) => np.multiply(np.add(a, np.swapaxes(a, -1, -2)), 0.5);
/** V·diag(w)·Vᵀ */
const rebuild = (w: NdArray, v: NdArray) => np.matmul(np.multiply(v, np.expandDims(w, -2)), np.swapaxes(v, -1, -2));

describe("eigh", () => {
  it("reconstructs a = V·diag(w)·Vᵀ with orthogonal V and ascending w (random, batched, ill-conditioned, float32)", () => {
    for (const [a, tol] of [
      [sym(randomArray([7, 7], 1)), 1e-14],
      [sym(randomArray([2, 3, 4, 4], 2)), 1e-14],
      [illConditioned(8, 3, 1e8, true), 1e-14],
      [sym(randomArray([5, 5], 4, { dtype: "float32" })), 1e-6],
    ] as [NdArray, number][]) {
      const [w, v] = linalg.eigh(a);
      expect(relErr(rebuild(w, v), a)).toBeLessThan(tol);
      expect(orthogonalityError(v)).toBeLessThan(tol * 10);
      const ws = w.astype("float64").toTypedArray();
      const n = a.shape.at(-1)!;
      for (let i = 0; i < ws.length; i++) if (i % n > 0) expect(ws[i]!).toBeGreaterThanOrEqual(ws[i - 1]!);
      assertAllclose(linalg.eigvalsh(a), w, { rtol: 0, atol: 0 });
    }
  });

  it("recovers eigenvalues 1e-8 … 1 of an ill-conditioned SPD matrix to absolute accuracy ~eps·‖a‖", () => {
    const w = linalg.eigvalsh(illConditioned(6, 5, 1e8, true));
    const want = np.power(10, np.linspace(-8, 0, 6, { dtype: "float64" }));
    assertAllclose(w, want, { rtol: 0, atol: 1e-15 });
  });

  it("sign convention: each eigenvector's largest-magnitude component is positive; exact ties go to the first", () => {
    const [, v] = linalg.eigh(sym(randomArray([3, 6, 6], 6)));
    const vt = np.swapaxes(v, -1, -2);
    const lead = np.takeAlongAxis(vt, np.expandDims(np.argmax(np.abs(vt), -1), -1), -1);
    expect(np.min(lead).item()).toBeGreaterThan(0);
    // [[2, 1], [1, 2]]: eigenvectors (1, −1)/√2 and (1, 1)/√2, ties broken towards the first component.
    const [w2, v2] = linalg.eigh(np.array([[2, 1], [1, 2]], { dtype: "float64" }));
    assertAllclose(w2, [1, 3], { atol: 1e-15 });
    assertAllclose(v2, [Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT1_2], { atol: 1e-15 });
  });

  it("uses the symmetric part (a + aᵀ)/2", () => {
    const a = randomArray([4, 4], 7);
    const [w1, v1] = linalg.eigh(a);
    const [w2, v2] = linalg.eigh(sym(a));
    assertAllclose(w1, w2, { rtol: 0, atol: 0 });
    assertAllclose(v1, v2, { rtol: 0, atol: 0 });
  });

  it("derivatives to second order, forward and reverse (distinct eigenvalues)", () => {
    // The raw outputs (the sign convention is fixed, so V is locally smooth) …
    checkGrads((a: NdArray) => linalg.eigh(a), [separatedSymmetric(4, 8)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((a: NdArray) => linalg.eigh(a), [np.stack([separatedSymmetric(3, 9), separatedSymmetric(3, 10, -5)])], { order: 2, modes: ["fwd", "rev"] });
    // … and a loss that no sign convention can change: squares of entries of V·diag(c)·Vᵀ, plus w.
    const c = np.array([0.3, -1.2, 2, 0.7], { dtype: "float64" });
    const invariant = (a: NdArray) => {
      const [w, v] = linalg.eigh(a);
      return [w, np.square(np.matmul(np.multiply(v, c), v.T))];
    };
    checkGrads(invariant, [np.add(randomArray([4, 4], 11), np.diag(np.array([0, 3, 6, 9], { dtype: "float64" })))], { order: 2, modes: ["fwd", "rev"] });
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray) => linalg.eigh(a), [separatedSymmetric(4, 12)]);
    checkVmap((a: NdArray) => linalg.eigvalsh(a), [sym(randomArray([2, 3, 3], 13))]);
    checkJit((a: NdArray) => linalg.eigh(a), [sym(randomArray([2, 4, 4], 14))]);
    checkJit((a: NdArray) => grad((x: NdArray) => np.sum(np.square(linalg.eigh(x)[1])))(a), [separatedSymmetric(3, 15)], { rtol: 1e-10 });
  });
});
