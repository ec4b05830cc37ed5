/** triangularSolve / the triangular_solve primitive: every flag combination, transpose rule, derivatives, vmap, jit. */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, jit, lax, linalg, np, vjp } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";
import { illConditioned, relErr, wellConditioned } from "./_util.js";

type Flags = { leftSide: boolean; lower: boolean; transposeA: boolean; unitDiagonal: boolean };
const ALL: Flags[] = [false, true].flatMap((leftSide) =>
  [false, true].flatMap((lower) => [false, true].flatMap((transposeA) => [false, true].map((unitDiagonal) => ({ leftSide, lower, transposeA, unitDiagonal })))),
);
const prim = (a: NdArray, b: NdArray, p: Flags) => lax.bind("triangular_solve", [a, b], p)[0]!;

/** op(a) as the solve sees it: the chosen triangle, unit diagonal if asked, transposed if asked. */
function effective(a: NdArray, p: Flags): NdArray {
  const n = a.shape.at(-1)!;
  let t = p.lower ? np.tril(a, p.unitDiagonal ? -1 : 0) : np.triu(a, p.unitDiagonal ? 1 : 0);
  if (p.unitDiagonal) t = np.add(t, np.eye(n, n, { dtype: a.dtype }));
  return p.transposeA ? np.swapaxes(t, -1, -2) : t;
}

const flagName = (p: Flags) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ");

describe("triangular_solve", () => {
  it.each(ALL.map((p) => [flagName(p), p] as const))("solves op(a)·x = b or x·op(a) = b, reading one triangle (%s)", (_n, p) => {
    const a = wellConditioned(5, 1, [2]);
    const b = randomArray(p.leftSide ? [2, 5, 3] : [2, 3, 5], 2);
    const x = prim(a, b, p);
    const opA = effective(a, p);
    expect(relErr(p.leftSide ? np.matmul(opA, x) : np.matmul(x, opA), b)).toBeLessThan(1e-14);
  });

  it("is backward stable on an ill-conditioned triangle (cond ~1e8)", () => {
    const l = linalg.cholesky(illConditioned(8, 3, 1e16, true));
    const b = randomArray([8, 2], 4);
    const x = linalg.triangularSolve(l, b, { lower: true });
    expect(relErr(np.matmul(l, x), b)).toBeLessThan(1e-12);
  });

  it("linalg.triangularSolve: SciPy defaults (upper), vectors, broadcasting batch axes", () => {
    const a = wellConditioned(4, 5);
    const v = randomArray([4], 6);
    assertAllclose(np.matmul(np.triu(a), linalg.triangularSolve(a, v)), v, { rtol: 1e-12, atol: 1e-12 });
    const bs = randomArray([3, 4, 2], 7);
    const xs = linalg.triangularSolve(a, bs, { lower: true, transpose: true });
    expect(xs.shape).toEqual([3, 4, 2]);
    assertAllclose(np.matmul(np.tril(a).T, xs), bs, { rtol: 1e-12, atol: 1e-12 });
    const rows = randomArray([3, 4], 8);
    assertAllclose(np.matmul(linalg.triangularSolve(a, rows, { leftSide: false, lower: true }), np.tril(a)), rows, { rtol: 1e-12, atol: 1e-12 });
  });

  it("a zero on the diagonal throws eagerly, gives ±Inf/NaN under jit", () => {
    const a = np.array([[1, 0], [3, 0]], { dtype: "float64" });
    expect(() => linalg.triangularSolve(a, np.array([1, 1]), { lower: true })).toThrow(/^triangularSolve: matrix is singular \(a\[1,1\] is 0\)/);
    const x = jit((m: NdArray) => linalg.triangularSolve(m, np.array([1, 1], { dtype: "float64" }), { lower: true }))(a);
    expect(Number.isFinite(x.toTypedArray()[1]!)).toBe(false);
    // With a unit diagonal the stored diagonal is never read.
    assertAllclose(linalg.triangularSolve(a, np.array([1, 1]), { lower: true, unitDiagonal: true }), [1, -2]);
  });

  it("its transpose rule (w.r.t. b) gives the vjp: a solve with op(a) transposed", () => {
    for (const p of ALL) {
      const a = wellConditioned(4, 9);
      const b = randomArray(p.leftSide ? [4, 3] : [3, 4], 10);
      const ct = randomArray(b.shape, 11);
      const [, pull] = vjp((bb: NdArray) => prim(a, bb, p), b);
      const [gb] = pull(ct);
      const want = prim(a, ct, { ...p, transposeA: !p.transposeA });
      assertAllclose(gb!, want, { rtol: 1e-12, atol: 1e-13 });
    }
  });

  it("derivatives to second order, forward and reverse, in a and b (every flag combination)", () => {
    for (const p of ALL) {
      const a = wellConditioned(3, 12);
      const b = randomArray(p.leftSide ? [3, 2] : [4, 3], 13);
      checkGrads((x: NdArray, y: NdArray) => prim(x, y, p), [a, b], { order: 2, modes: ["fwd", "rev"] });
    }
    // Both association orders of the a-tangent (m > n and m ≤ n) and a batch.
    checkGrads((x: NdArray, y: NdArray) => prim(x, y, ALL[9]!), [wellConditioned(2, 14, [2]), randomArray([2, 2, 5], 15)]);
    checkGrads((x: NdArray, y: NdArray) => linalg.triangularSolve(x, y, { lower: true }), [wellConditioned(4, 16), randomArray([4], 17)]);
  });

  it("batches under vmap (a, b or both batched) and jit", () => {
    for (const p of [ALL[0]!, ALL[7]!, ALL[10]!, ALL[13]!]) {
      const a = wellConditioned(3, 18);
      const b = randomArray(p.leftSide ? [3, 2] : [2, 3], 19);
      checkVmap((x: NdArray, y: NdArray) => prim(x, y, p), [a, b]);
      checkJit((x: NdArray, y: NdArray) => prim(x, y, p), [a, b]);
    }
    checkJit((x: NdArray, y: NdArray) => grad((m: NdArray) => np.sum(prim(m, y, ALL[5]!)))(x), [wellConditioned(3, 20), randomArray([3, 3], 21)], { rtol: 1e-12 });
  });
});
