/** cg: matrix-free solves, early exit, jit/vmap, and implicit differentiation (reverse mode). */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, jit, jvp, linalg, np, vmap } from "../../src/index.js";
import { assertAllclose, checkGrads, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, relErr, spd } from "./_util.js";

const tight = { tol: 1e-13 };

describe("cg", () => {
  it("solves SPD systems given only a matvec, stopping early when converged", () => {
    const a = spd(8, 1);
    const b = randomArray([8], 2);
    let calls = 0;
    const x = linalg.cg((v) => {
      calls++;
      return np.matmul(a, v);
    }, b, tight);
    expect(relErr(x, linalg.solve(a, b))).toBeLessThan(1e-12);
    // One call to trace the matvec, one for the initial residual, then at most ~n iterations (not 10·n).
    expect(calls).toBeLessThan(20);
  });

  it("honours tol, atol, maxIter and x0; b may have any shape", () => {
    const a = illConditioned(10, 3, 1e4, true);
    const b = randomArray([10], 4);
    const mv = (v: NdArray) => np.matmul(a, v);
    const resid = (x: NdArray) => (linalg.norm(np.subtract(b, mv(x))).item() as number) / (linalg.norm(b).item() as number);
    expect(resid(linalg.cg(mv, b, { tol: 1e-3 }))).toBeLessThan(1e-3);
    expect(resid(linalg.cg(mv, b, { maxIter: 2 }))).toBeGreaterThan(1e-3);
    const exact = linalg.solve(a, b);
    expect(relErr(linalg.cg(mv, b, { x0: exact, maxIter: 0 }), exact)).toBe(0);
    const a2 = spd(6, 5);
    const grid = randomArray([2, 3], 6);
    const x2 = linalg.cg((v) => np.reshape(np.matmul(a2, np.reshape(v, [6])), [2, 3]), grid, tight);
    expect(relErr(np.reshape(x2, [6]), linalg.solve(a2, np.reshape(grid, [6])))).toBeLessThan(1e-12);
  });

  it("works under jit (a fixed, masked iteration count) and vmap (per-example convergence)", () => {
    const a = spd(6, 7);
    const b = randomArray([6], 8);
    const solveB = (bb: NdArray) => linalg.cg((v) => np.matmul(a, v), bb, tight);
    assertAllclose(jit(solveB)(b), linalg.solve(a, b), { rtol: 1e-11, atol: 1e-12 });
    checkVmap(solveB, [b], { rtol: 1e-10, atol: 1e-11 });
    // Batched operator: each example's matrix closed over inside vmap.
    const as = np.stack([spd(4, 9), spd(4, 10), np.multiply(spd(4, 11), 100)]);
    const bs = randomArray([3, 4], 12);
    const xs = vmap((m: NdArray, bb: NdArray) => linalg.cg((v) => np.matmul(m, v), bb, tight))(as, bs);
    assertAllclose(xs, linalg.solve(as, bs), { rtol: 1e-10, atol: 1e-12 });
  });

  it("gradients by implicit differentiation equal those of a direct solve, w.r.t. b and the closed-over operator", () => {
    const a = spd(5, 13);
    const b = randomArray([5], 14);
    const w = randomArray([5], 15);
    const viaCg = (m: NdArray, bb: NdArray) => np.sum(np.multiply(w, linalg.cg((v) => np.matmul(m, v), bb, tight)));
    const viaSolve = (m: NdArray, bb: NdArray) => np.sum(np.multiply(w, linalg.solve(m, bb)));
    const [ga, gb] = grad(viaCg, { argnums: [0, 1] })(a, b) as unknown as [NdArray, NdArray];
    const [ha, hb] = grad(viaSolve, { argnums: [0, 1] })(a, b) as unknown as [NdArray, NdArray];
    assertAllclose(gb, hb, { rtol: 1e-9, atol: 1e-12 });
    assertAllclose(ga, ha, { rtol: 1e-9, atol: 1e-12 });
    // Under jit too.
    assertAllclose(jit(grad(viaCg))(a, b), ha, { rtol: 1e-9, atol: 1e-12 });
  });

  it("reverse-mode derivatives to second order (the backward pass is itself a differentiable CG solve)", () => {
    const f = (m: NdArray, bb: NdArray) => linalg.cg((v) => np.matmul(np.add(m, m.T), v), bb, { tol: 1e-14 });
    checkGrads(f, [spd(4, 16), randomArray([4], 17)], { order: 2, modes: ["rev"] });
  });

  it("forward mode is a clear error; bad arguments are named", () => {
    const a = spd(3, 18);
    const b = randomArray([3], 19);
    expect(() => jvp((bb: NdArray) => linalg.cg((v) => np.matmul(a, v), bb), [b], [b])).toThrow(/forward-mode/);
    expect(() => linalg.cg((v) => np.sum(v), b)).toThrow(/^cg: matvec must map an array shaped like b \(f64\[3\]\) .* got f64\[\]/);
    expect(() => linalg.cg((v) => v, b, { tol: -1 })).toThrow(RangeError);
    expect(() => linalg.cg((v) => v, b, { maxIter: 1.5 })).toThrow(RangeError);
    expect(() => linalg.cg((v) => v, b, { x0: np.zeros([4]) })).toThrow(/^cg: x0 .* must have b's shape/);
  });
});
