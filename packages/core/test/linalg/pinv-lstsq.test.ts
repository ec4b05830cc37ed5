/** pinv and lstsq: Penrose conditions, rank deficiency, derivatives (customJvp), vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, linalg, np } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { orthogonal, relErr, wellConditioned } from "./_util.js";

describe("pinv", () => {
  it("satisfies the Penrose conditions, also for rank-deficient and wide inputs", () => {
    for (const a of [randomArray([5, 3], 1), randomArray([2, 4], 2), np.matmul(randomArray([5, 2], 3), randomArray([2, 4], 4)), randomArray([2, 3, 3], 5)]) {
      const p = linalg.pinv(a);
      expect(relErr(np.matmul(np.matmul(a, p), a), a)).toBeLessThan(1e-13);
      expect(relErr(np.matmul(np.matmul(p, a), p), p)).toBeLessThan(1e-13);
      const ap = np.matmul(a, p);
      expect(relErr(np.swapaxes(ap, -1, -2), ap)).toBeLessThan(1e-13);
    }
    const a = wellConditioned(4, 6);
    expect(relErr(linalg.pinv(a), linalg.inv(a))).toBeLessThan(1e-14);
    expect(linalg.pinv(np.zeros([0, 3])).shape).toEqual([3, 0]);
  });

  it("rcond cuts small singular values", () => {
    const a = np.diag(np.array([1, 1e-3, 1e-9], { dtype: "float64" }));
    assertAllclose(np.diagonal(linalg.pinv(a)), [1, 1e3, 1e9], { rtol: 1e-12 });
    assertAllclose(np.diagonal(linalg.pinv(a, { rcond: 1e-6 })), [1, 1e3, 0], { rtol: 1e-12 });
    expect(() => linalg.pinv(a, { rcond: -1 })).toThrow(RangeError);
  });

  it("derivatives to second order, including repeated singular values (an orthogonal matrix)", () => {
    const opts = { order: 2, modes: ["fwd", "rev"] } as const;
    checkGrads((a: NdArray) => linalg.pinv(a), [randomArray([4, 3], 7)], opts);
    checkGrads((a: NdArray) => linalg.pinv(a), [randomArray([2, 4], 8)], opts);
    checkGrads((a: NdArray) => linalg.pinv(a), [orthogonal(3, 9)], opts);
  });

  it("batches under vmap and jit", () => {
    checkVmap((a: NdArray) => linalg.pinv(a), [randomArray([4, 3], 10)]);
    checkJit((a: NdArray) => linalg.pinv(a), [randomArray([2, 3, 4], 11)]);
  });
});

describe("lstsq", () => {
  it("solves the normal equations for a tall full-rank system, with residuals, rank and singular values", () => {
    const a = randomArray([8, 3], 12);
    const b = randomArray([8, 2], 13);
    const [x, res, rank, s] = linalg.lstsq(a, b);
    // aᵀ(b − a·x) = 0 at the minimiser.
    const grad = np.matmul(a.T, np.subtract(b, np.matmul(a, x)));
    expect(np.max(np.abs(grad)).item()).toBeLessThan(1e-14);
    assertAllclose(res, np.sum(np.square(np.subtract(b, np.matmul(a, x))), 0), { rtol: 1e-12 });
    expect(rank.item()).toBe(3);
    expect(rank.dtype).toBe("int32");
    assertAllclose(s, linalg.svd(a, { computeUv: false }));
  });

  it("returns the minimum-norm solution of a rank-deficient system", () => {
    const a = np.matmul(randomArray([6, 2], 14), randomArray([2, 4], 15));
    const b = randomArray([6], 16);
    const [x, , rank] = linalg.lstsq(a, b);
    expect(rank.item()).toBe(2);
    // Minimum norm: x lies in the row space of a, i.e. x = pinv(a)·b.
    assertAllclose(x, np.matmul(linalg.pinv(a), b), { rtol: 1e-10, atol: 1e-12 });
  });

  it("derivatives to second order, vmap and jit", () => {
    checkGrads((a: NdArray, b: NdArray) => linalg.lstsq(a, b)[0], [randomArray([5, 3], 17), randomArray([5], 18)], { order: 2, modes: ["fwd", "rev"] });
    checkVmap((b: NdArray) => linalg.lstsq(randomArray([5, 2], 19), b)[0], [randomArray([5], 20)]);
    checkJit((a: NdArray, b: NdArray) => linalg.lstsq(a, b), [randomArray([5, 3], 21), randomArray([5, 2], 22)]);
  });
});
