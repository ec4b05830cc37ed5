/** linalg against NumPy/SciPy golden values (fixtures/linalg.json, made by make_linalg_fixtures.py). */
import { describe, expect, it } from "vitest";
import { type NdArray, lax, linalg } from "../../src/index.js";
import { mismatch } from "../../src/testing/index.js";
import { FIXTURES, type FixtureCase, decode } from "./_util.js";

const num = (v: unknown): number | null => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number | null));
/** The leading rows × cols block of the last two axes. */
const block = (x: NdArray, rows: number, cols: number) => lax.slice(x, x.shape.map(() => 0), [...x.shape.slice(0, -2), rows, cols]);
const list = (x: NdArray | NdArray[]): NdArray[] => (Array.isArray(x) ? x : [x]);

/** How each fixture `fn` maps onto the linalg API (keyword arguments as NumPy/SciPy name them). */
const CALLS: Record<string, (args: NdArray[], kw: Record<string, unknown>) => NdArray | NdArray[]> = {
  cholesky: ([a], kw) => linalg.cholesky(a!, { upper: kw.upper as boolean | undefined }),
  triangularSolve: ([a, b], kw) => linalg.triangularSolve(a!, b!, kw),
  lu: ([a]) => linalg.lu(a!),
  luFactor: ([a]) => linalg.luFactor(a!),
  qr: ([a], kw) => linalg.qr(a!, kw.mode as linalg.QrMode),
  eigh: ([a]) => linalg.eigh(a!),
  eigvalsh: ([a]) => linalg.eigvalsh(a!),
  svd: ([a], kw) => {
    if (kw.computeUv === false) return linalg.svd(a!, { computeUv: false });
    const [u, s, vt] = linalg.svd(a!, { fullMatrices: kw.fullMatrices as boolean });
    if (!kw.leadingOnly) return [u, s, vt];
    // Only the first k singular vectors are unique; the complement is checked in svd.test.ts.
    const k = s.shape[s.ndim - 1]!;
    return [block(u, u.shape.at(-2)!, k), s, block(vt, k, vt.shape.at(-1)!)];
  },
  solve: ([a, b]) => linalg.solve(a!, b!),
  inv: ([a]) => linalg.inv(a!),
  det: ([a]) => linalg.det(a!),
  slogdet: ([a]) => linalg.slogdet(a!),
  pinv: ([a]) => linalg.pinv(a!),
  lstsq: ([a, b]) => linalg.lstsq(a!, b!),
  norm: ([x], kw) => linalg.norm(x!, num(kw.ord ?? null) as linalg.NormOrd, { axis: kw.axis as never, keepdims: kw.keepdims as boolean | undefined }),
  cond: ([a], kw) => linalg.cond(a!, num(kw.p ?? null) as linalg.NormOrd),
  matrixRank: ([a]) => linalg.matrixRank(a!),
  trace: ([a], kw) => linalg.trace(a!, { offset: kw.offset as number | undefined }),
  matrixPower: ([a], kw) => linalg.matrixPower(a!, kw.n as number),
};

const DEFAULT_TOL = { float64: { rtol: 1e-10, atol: 1e-12 }, float32: { rtol: 2e-6, atol: 1e-6 }, int32: { rtol: 0, atol: 0 } } as const;

function run(c: FixtureCase): void {
  const got = list(CALLS[c.fn]!(c.args.map(decode), c.kw));
  const want = c.out.map(decode);
  expect(got.length, "number of outputs").toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    expect(g.dtype, `output ${i} dtype`).toBe(w.dtype);
    const base = DEFAULT_TOL[w.dtype as keyof typeof DEFAULT_TOL];
    const tol = { rtol: c.rtol ?? base.rtol, atol: c.atol ?? base.atol };
    const m = mismatch(g, w, tol);
    if (m !== null) throw new Error(`${c.name} output ${i}: ${m}`);
  });
}

describe("linalg matches NumPy/SciPy", () => {
  it("every fixture function is wired", () => {
    expect(FIXTURES.filter((c) => !CALLS[c.fn]).map((c) => c.fn)).toEqual([]);
  });
  for (const c of FIXTURES) it(c.name, () => run(c));
});
