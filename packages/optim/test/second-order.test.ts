import { describe, expect, it } from "vitest";
import { type NdArray, hessian, np } from "@fluxion/core";
import { assertAllclose, randomArray } from "@fluxion/core/testing";
import { backtrackingLineSearch, newton, newtonCg } from "../src/index.js";
import { ravelPytree } from "../src/ravel.js";
import { truncatedCg } from "../src/truncated-cg.js";
import { f64, rosenbrock } from "./_util.js";

// A least-squares problem J(θ) = ‖Xθ − y‖² (seed 000 T0-14) with a known exact solution.
const X = randomArray([20, 3], 1);
const thetaTrue = f64([0.5, -1, 2]);
const y = np.add(np.matmul(X, thetaTrue), randomArray([20], 2, { lo: -0.01, hi: 0.01 }));
const lsq = (t: NdArray) => np.sum(np.square(np.subtract(np.matmul(X, t), y)));
// The normal equations (XᵀX)θ = Xᵀy, solved independently of the code under test by Cramer's rule.
function normalEquations(): number[] {
  const A = np.matmul(X.T, X).toArray() as number[][];
  const b = np.matmul(X.T, y).toArray() as number[];
  const det = (m: number[][]) => m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(A);
  return [0, 1, 2].map((j) => det(A.map((row, i) => row.map((v, k) => (k === j ? b[i]! : v)))) / d);
}

describe("truncated CG and backtrackingLineSearch", () => {
  it("CG solves an SPD system through matvecs alone, in at most n iterations", () => {
    const M = randomArray([6, 6], 7);
    const A = np.add(np.matmul(M.T, M), np.eye(6, undefined, { dtype: "float64" }));
    const b = randomArray([6], 8);
    const r = truncatedCg((v) => np.matmul(A, v), b);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(6 + 1);
    assertAllclose(np.matmul(A, r.x), b, { rtol: 1e-8, atol: 1e-10 });
  });

  it("CG reports negative curvature", () => {
    const r = truncatedCg((v) => np.multiply(v, -1), f64([1, 2]));
    expect(r.negativeCurvature).toBe(true);
  });

  it("backtracking halves until Armijo's condition holds", () => {
    // φ(η) = (η − 0.1)², φ(0) = 0.01, φ′(0) = −0.2: η = 1, ½, ¼ fail; ⅛ passes.
    const r = backtrackingLineSearch((eta) => (eta - 0.1) ** 2, 0.01, -0.2);
    expect(r).toMatchObject({ stepSize: 0.125, evaluations: 4, success: true });
    expect(() => backtrackingLineSearch((eta) => eta, 0, 1)).toThrow(/must descend/);
  });
});

describe("newton", () => {
  it("hessian of least squares is 2XᵀX, and one Newton step lands on the normal-equation solution", () => {
    assertAllclose(hessian(lsq)(f64([0, 0, 0])) as NdArray, np.multiply(2, np.matmul(X.T, X)), { rtol: 1e-12 });
    const r = newton(lsq, f64([10, -7, 3]));
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(1);
    assertAllclose(r.x, normalEquations(), { rtol: 1e-9 });
    expect(r.value).toBeCloseTo(lsq(r.x).item() as number, 12);
  });

  it("works on pytree parameters and without jit", () => {
    const xs = f64([0, 1, 2, 3]);
    const ys = f64([1, 3, 5, 7]);
    const f = (p: { w: NdArray; b: NdArray }) => np.sum(np.square(np.subtract(np.add(np.multiply(xs, p.w), p.b), ys)));
    const r = newton(f, { w: f64([0]), b: f64([0]) }, { jit: false });
    expect(r.iterations).toBe(1);
    assertAllclose(r.x.w, [2], { rtol: 1e-10 });
    assertAllclose(r.x.b, [1], { rtol: 1e-10 });
  });

  it("converges on Rosenbrock from (−1.2, 1)", () => {
    const r = newton(rosenbrock, f64([-1.2, 1]));
    expect(r.converged).toBe(true);
    assertAllclose(r.x, [1, 1], { rtol: 1e-8 });
    expect(r.iterations).toBeLessThan(10);
  });

  it("reports a singular Hessian as non-convergence", () => {
    const r = newton((p: NdArray) => np.square(np.sum(p)), f64([1, 2]));
    expect(r).toMatchObject({ converged: false, iterations: 0 });
  });

  it("stops unconverged at maxIter", () => {
    const r = newton(rosenbrock, f64([-1.2, 1]), { maxIter: 2 });
    expect(r).toMatchObject({ converged: false, iterations: 2 });
  });
});

describe("newtonCg", () => {
  it("converges on Rosenbrock from (−1.2, 1) using Hessian-vector products", () => {
    const r = newtonCg(rosenbrock, f64([-1.2, 1]));
    expect(r.converged).toBe(true);
    assertAllclose(r.x, [1, 1], { rtol: 1e-7 });
    expect(r.value).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(30);
    expect(r.hvps).toBeGreaterThan(0);
  });

  it("also converges with the adaptive (truncated) CG tolerance", () => {
    const r = newtonCg(rosenbrock, f64([-1.2, 1]), { cgTol: "adaptive" });
    expect(r.converged).toBe(true);
    assertAllclose(r.x, [1, 1], { rtol: 1e-7 });
  });

  it("takes one outer iteration on least squares (CG solves the 3×3 system exactly)", () => {
    const r = newtonCg(lsq, f64([10, -7, 3]));
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(1);
    assertAllclose(r.x, normalEquations(), { rtol: 1e-8 });
  });

  it("converges with float32 parameters at a float32 tolerance", () => {
    const r = newtonCg(rosenbrock, np.array([-1.2, 1]), { tol: 1e-3 });
    expect(r.converged).toBe(true);
    expect(r.x.dtype).toBe("float32");
    assertAllclose(r.x, [1, 1], { atol: 1e-3 });
  });

  it("minimises over a pytree", () => {
    const f = (p: { a: NdArray; b: NdArray }) => np.add(rosenbrock(np.concatenate([p.a, p.b])), np.zeros([], { dtype: "float64" }));
    const r = newtonCg(f, { a: f64([-1.2]), b: f64([1]) });
    assertAllclose(r.x.a, [1], { rtol: 1e-7 });
    assertAllclose(r.x.b, [1], { rtol: 1e-7 });
  });
});

describe("ravelPytree", () => {
  it("round-trips structure, shapes and dtypes", () => {
    const t = { w: np.ones([2, 2]), b: f64([1, 2]) };
    const [flat, unravel] = ravelPytree(t);
    expect(flat.shape).toEqual([6]);
    const back = unravel(flat);
    expect(back.w.dtype).toBe("float32");
    expect(back.w.shape).toEqual([2, 2]);
    assertAllclose(back.b, [1, 2]);
  });
});
