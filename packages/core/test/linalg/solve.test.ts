/** solve, inv, det, slogdet, matrixPower: identities, singular inputs, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, jit, linalg, np } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, relErr, wellConditioned } from "./_util.js";

const singular = () => np.array([[1, 2, 3], [2, 4, 6], [0, 1, 1]], { dtype: "float64" });

describe("solve and inv", () => {
  it("a·solve(a, b) = b for vectors, matrices and broadcast batches", () => {
    const a = wellConditioned(5, 1);
    const v = randomArray([5], 2);
    expect(relErr(np.matmul(a, linalg.solve(a, v)), v)).toBeLessThan(1e-15);
    const bs = randomArray([3, 5, 2], 3);
    const xs = linalg.solve(a, bs);
    expect(xs.shape).toEqual([3, 5, 2]);
    expect(relErr(np.matmul(a, xs), bs)).toBeLessThan(1e-15);
    // b with one axis fewer than a is a stack of vectors (JAX's rule).
    const as = wellConditioned(4, 4, [3]);
    const vs = randomArray([3, 4], 5);
    expect(relErr(np.squeeze(np.matmul(as, np.expandDims(linalg.solve(as, vs), -1)), -1), vs)).toBeLessThan(1e-15);
  });

  it("is backward stable on an ill-conditioned system (cond 1e8): ‖b − a·x‖ ≲ eps·‖a‖·‖x‖", () => {
    const a = illConditioned(8, 6);
    const b = randomArray([8], 7);
    const x = linalg.solve(a, b);
    const residual = linalg.norm(np.subtract(b, np.matmul(a, x))).item() as number;
    expect(residual / ((linalg.norm(a, 2).item() as number) * (linalg.norm(x).item() as number))).toBeLessThan(1e-15);
    expect(relErr(np.matmul(a, linalg.inv(a)), np.eye(8, 8, { dtype: "float64" }))).toBeLessThan(1e-8);
  });

  it("a singular matrix throws a LinAlgError eagerly and gives Inf/NaN under jit", () => {
    expect(() => linalg.solve(singular(), np.ones([3], { dtype: "float64" }))).toThrow(linalg.LinAlgError);
    expect(() => linalg.solve(singular(), np.ones([3], { dtype: "float64" }))).toThrow(/^solve: matrix is singular \(U\[2,2\] is 0\)/);
    expect(() => linalg.inv(np.stack([wellConditioned(3, 8), singular()]))).toThrow(/^inv: matrix is singular .* in matrix \[1\] of the batch/);
    const x = jit((m: NdArray) => linalg.inv(m))(singular());
    expect(Array.from(x.toTypedArray()).some((v) => !Number.isFinite(v))).toBe(true);
  });

  it("inv(a)·a = I and matrixPower agrees with repeated products (including 0 and negative powers)", () => {
    const a = np.divide(wellConditioned(4, 9), 4);
    const eye = np.eye(4, 4, { dtype: "float64" });
    expect(relErr(np.matmul(linalg.inv(a), a), eye)).toBeLessThan(1e-15);
    assertAllclose(linalg.matrixPower(a, 0), eye);
    assertAllclose(linalg.matrixPower(a, 5), np.matmul(np.matmul(np.matmul(a, a), np.matmul(a, a)), a), { rtol: 1e-13 });
    expect(relErr(np.matmul(linalg.matrixPower(a, -3), linalg.matrixPower(a, 3)), eye)).toBeLessThan(1e-14);
    expect(() => linalg.matrixPower(a, 1.5)).toThrow(TypeError);
  });

  it("derivatives to second order, forward and reverse", () => {
    const opts = { order: 2, modes: ["fwd", "rev"] } as const;
    checkGrads((a: NdArray, b: NdArray) => linalg.solve(a, b), [wellConditioned(3, 10), randomArray([3, 2], 11)], opts);
    checkGrads((a: NdArray, b: NdArray) => linalg.solve(a, b), [wellConditioned(3, 12, [2]), randomArray([2, 3], 13)], opts);
    checkGrads((a: NdArray) => linalg.inv(a), [wellConditioned(3, 14)], opts);
    checkGrads((a: NdArray) => linalg.matrixPower(a, -2), [wellConditioned(3, 15)], opts);
    checkGrads((a: NdArray) => linalg.matrixPower(a, 3), [randomArray([3, 3], 16)], opts);
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray, b: NdArray) => linalg.solve(a, b), [wellConditioned(3, 17), randomArray([3], 18)]);
    checkVmap((a: NdArray) => linalg.inv(a), [wellConditioned(3, 19)]);
    checkJit((a: NdArray, b: NdArray) => linalg.solve(a, b), [wellConditioned(4, 20, [2]), randomArray([2, 4, 3], 21)]);
    checkJit((a: NdArray) => grad((x: NdArray) => np.sum(linalg.inv(x)))(a), [wellConditioned(3, 22)], { rtol: 1e-12 });
  });
});

describe("det and slogdet", () => {
  it("det = product of eigenvalues; slogdet = [sign, log|det|]; singular gives 0 and [0, −Inf]", () => {
    const a = randomArray([2, 5, 5], 23);
    const d = linalg.det(a);
    const [sign, logdet] = linalg.slogdet(a);
    assertAllclose(np.multiply(sign, np.exp(logdet)), d, { rtol: 1e-13 });
    const s = np.add(np.matmul(a, np.swapaxes(a, -1, -2)), np.eye(5, 5, { dtype: "float64" }));
    assertAllclose(linalg.det(s), np.prod(linalg.eigvalsh(s), -1), { rtol: 1e-12 });
    expect(linalg.det(singular()).item()).toBe(0);
    expect(linalg.slogdet(singular()).map((x) => x.item())).toEqual([0, -Infinity]);
    // No overflow where det itself would: 200 × 200 with entries ~ 10.
    const big = np.multiply(wellConditioned(200, 24), 10);
    expect(Number.isFinite(linalg.slogdet(big)[1].item() as number)).toBe(true);
  });

  it("derivatives: d det = det · tr(a⁻¹ da), to second order", () => {
    const a = wellConditioned(3, 25);
    const g = grad((x: NdArray) => linalg.det(x))(a);
    assertAllclose(g, np.multiply(linalg.det(a), linalg.inv(a).T), { rtol: 1e-12 });
    checkGrads((x: NdArray) => linalg.det(x), [randomArray([2, 3, 3], 26)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((x: NdArray) => linalg.slogdet(x)[1], [randomArray([4, 4], 27)], { order: 2, modes: ["fwd", "rev"] });
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray) => linalg.slogdet(a), [randomArray([3, 3], 28)]);
    checkJit((a: NdArray) => linalg.det(a), [randomArray([2, 4, 4], 29)]);
  });
});
