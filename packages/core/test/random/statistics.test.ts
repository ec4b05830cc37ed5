/**
 * Statistical sanity: sample moments and frequencies within a few standard errors of the distribution's,
 * for fixed keys (so these tests are deterministic, not flaky).
 */
import { describe, expect, it } from "vitest";
import { type NdArray, np, random, vmap } from "../../src/index.js";

const values = (x: NdArray) => Array.from(x.toTypedArray(), Number);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};
const f32 = (xs: number[]) => np.array(xs, { dtype: "float32" });

/** |sample mean − μ| within 5 standard errors, and the variance within 10% (or an absolute 0.02 for tiny ones). */
function expectMoments(xs: number[], mu: number, sigma2: number): void {
  const se = Math.sqrt(sigma2 / xs.length);
  expect(Math.abs(mean(xs) - mu)).toBeLessThan(5 * se);
  expect(Math.abs(variance(xs) - sigma2)).toBeLessThan(Math.max(0.1 * sigma2, 0.02 * se));
}

const N = 20000;
const key = random.key(2024);

describe.each([
  ["partitionable", random],
  ["original", random.legacy],
] as const)("%s scheme", (_name, r) => {
  it("uniform: mean 1/2, variance 1/12, all in [0, 1); with bounds in [min, max)", () => {
    const u = values(r.uniform(key, [N]));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expectMoments(u, 0.5, 1 / 12);
    const b = values(r.uniform(key, [N], { minval: -3, maxval: 5 }));
    expect(Math.min(...b)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...b)).toBeLessThan(5);
    expectMoments(b, 1, 64 / 12);
  });

  it("uniform float64: mean 1/2, variance 1/12, 52 random bits", () => {
    const u = values(r.uniform(key, [N], { dtype: "float64" }));
    expectMoments(u, 0.5, 1 / 12);
    // float32 draws are multiples of 2^-23; float64 ones use finer multiples.
    expect(u.some((x) => Math.round(x * 2 ** 23) !== x * 2 ** 23)).toBe(true);
  });

  it("normal: mean 0, variance 1, and the 1.96 quantile near 97.5%", () => {
    const z = values(r.normal(key, [N]));
    expectMoments(z, 0, 1);
    const below = z.filter((x) => x < 1.96).length / N;
    expect(Math.abs(below - 0.975)).toBeLessThan(0.005);
  });

  it("truncatedNormal(−1, 2): inside the open interval, with the truncated mean", () => {
    const t = values(r.truncatedNormal(key, -1, 2, [N]));
    expect(Math.min(...t)).toBeGreaterThan(-1);
    expect(Math.max(...t)).toBeLessThan(2);
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    // Φ(2) − Φ(−1) from the standard normal table.
    const Z = 0.9772499 - 0.1586553;
    const mu = (phi(-1) - phi(2)) / Z;
    const var_ = 1 + (-1 * phi(-1) - 2 * phi(2)) / Z - mu * mu;
    expectMoments(t, mu, var_);
  });

  it("bernoulli: frequency p per column", () => {
    const b = r.bernoulli(key, f32([0.1, 0.5, 0.93]), [N, 3]);
    const cols = np.mean(np.astype(b, "float32"), 0);
    values(cols).forEach((f, i) => expect(Math.abs(f - [0.1, 0.5, 0.93][i]!)).toBeLessThan(0.015));
  });

  it("randint: every value of [−3, 4) about equally often, none outside", () => {
    const x = values(r.randint(key, [N], -3, 4));
    expect(Math.min(...x)).toBe(-3);
    expect(Math.max(...x)).toBe(3);
    for (let v = -3; v < 4; v++) expect(Math.abs(x.filter((y) => y === v).length / N - 1 / 7)).toBeLessThan(0.015);
  });

  it("exponential: mean 1, variance 1; gumbel: mean γ, variance π²/6", () => {
    expectMoments(values(r.exponential(key, [N])), 1, 1);
    expectMoments(values(r.gumbel(key, [N])), 0.5772156649, Math.PI ** 2 / 6);
  });

  it("categorical: frequencies follow softmax(logits), per batch row", () => {
    const logits = np.log(f32([0.2, 0.5, 0.3, 0.6, 0.1, 0.3])).reshape([2, 3]);
    const draws = r.categorical(key, logits, { shape: [N, 2] });
    const x = values(draws);
    const probs = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]];
    for (let row = 0; row < 2; row++) {
      const col = x.filter((_, i) => i % 2 === row);
      for (let c = 0; c < 3; c++) expect(Math.abs(col.filter((v) => v === c).length / N - probs[row]![c]!)).toBeLessThan(0.015);
    }
  });

  it("gamma(a) has mean a and variance a, below and above a = 1", () => {
    for (const a of [0.4, 3]) expectMoments(values(r.gamma(key, a, [4000])), a, a);
  });

  it("beta(2, 3) has mean 0.4; dirichlet rows sum to 1 with means alpha/Σalpha", () => {
    const b = values(r.beta(key, 2, 3, [4000]));
    expectMoments(b, 0.4, (2 * 3) / (25 * 6));
    const d = r.dirichlet(key, f32([1, 2, 5]), [3000]);
    values(np.sum(d, 1)).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-5));
    values(np.mean(d, 0)).forEach((m, i) => expect(Math.abs(m - [1, 2, 5][i]! / 8)).toBeLessThan(0.01));
  });

  it.each(["cholesky", "eigh", "svd"] as const)("multivariateNormal (%s) reproduces the mean and covariance", (method) => {
    const cov = f32([2, 0.6, 0.6, 1]).reshape([2, 2]);
    const x = r.multivariateNormal(key, f32([1, -2]), cov, { shape: [N], method });
    const c0 = values(np.slice(x, null, 0));
    const c1 = values(np.slice(x, null, 1));
    expectMoments(c0, 1, 2);
    expectMoments(c1, -2, 1);
    const m0 = mean(c0);
    const m1 = mean(c1);
    const cross = c0.reduce((a, v, i) => a + (v - m0) * (c1[i]! - m1), 0) / (N - 1);
    expect(Math.abs(cross - 0.6)).toBeLessThan(0.05);
  });

  it("multivariateNormal with a singular covariance works through eigh", () => {
    const x = r.multivariateNormal(key, f32([0, 0]), f32([1, 1, 1, 1]).reshape([2, 2]), { shape: [100], method: "eigh" });
    const v = x.toArray() as number[][];
    v.forEach(([a, b]) => expect(Math.abs(a! - b!)).toBeLessThan(1e-3));
  });

  it("permutation is a permutation, and each position is uniform over the values", () => {
    const p = values(r.permutation(key, 50));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // The first entry of 2000 permutations of range(5), drawn under vmap.
    const firsts = values(np.slice(vmap((k: NdArray) => r.permutation(k, 5))(r.split(key, 2000)), null, 0));
    const counts = new Array<number>(5).fill(0);
    for (const f of firsts) counts[f]!++;
    counts.forEach((c) => expect(Math.abs(c / 2000 - 0.2)).toBeLessThan(0.04));
  });

  it("independent permutation shuffles each row on its own; dependent permutation moves whole rows", () => {
    const x = np.arange(40, undefined, 1, { dtype: "int32" }).reshape([4, 10]);
    const rows = r.permutation(key, x, { axis: 1, independent: true }).toArray() as number[][];
    rows.forEach((row, i) => expect([...row].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, j) => 10 * i + j)));
    expect(rows.map((row) => row.join())).not.toEqual((x.toArray() as number[][]).map((row) => row.join()));
    const moved = r.permutation(key, x).toArray() as number[][];
    moved.forEach((row) => expect(row.map((v) => v - row[0]!)).toEqual(Array.from({ length: 10 }, (_, j) => j)));
    const picked = r.choice(key, x, { shape: [3], axis: 1, replace: false });
    expect(picked.shape).toEqual([4, 3]);
  });

  it("choice without replacement draws distinct entries; weighted choice follows p", () => {
    const d = values(r.choice(key, 30, { shape: [30], replace: false }));
    expect(new Set(d).size).toBe(30);
    const w = values(r.choice(key, 3, { shape: [N], p: f32([0.5, 0.3, 0.2]) }));
    [0.5, 0.3, 0.2].forEach((p, i) => expect(Math.abs(w.filter((v) => v === i).length / N - p)).toBeLessThan(0.015));
    const wn = values(r.choice(key, 6, { shape: [6], replace: false, p: f32([1, 1, 1, 1, 1, 1]) }));
    expect(new Set(wn).size).toBe(6);
  });

  it("split keys give uncorrelated streams", () => {
    const [a, b] = [0, 1].map((i) => values(r.normal(np.index(r.split(key), i), [N])));
    const corr = a!.reduce((s, v, i) => s + v * b![i]!, 0) / N;
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(N));
  });
});
