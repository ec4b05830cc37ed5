/** Shared helpers for the linalg tests: seeded test matrices, fixture decoding, error measures. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DType, type NdArray, lax, linalg, np } from "../../src/index.js";
import { randomArray } from "../../src/testing/index.js";

/** One encoded array of linalg.json: flat row-major data, non-finite floats as strings. */
export type EncodedArray = { dtype: DType; shape: number[]; data: (number | string | boolean)[] };

/** One fixture case: `linalg[fn](...args, kw)` must equal `out` (a list of arrays). */
export type FixtureCase = { name: string; fn: string; args: EncodedArray[]; kw: Record<string, unknown>; out: EncodedArray[]; rtol?: number; atol?: number };

const path = fileURLToPath(new URL("../fixtures/linalg.json", import.meta.url));

/** Every case of fixtures/linalg.json (made by make_linalg_fixtures.py). */
export const FIXTURES: readonly FixtureCase[] = (JSON.parse(readFileSync(path, "utf8")) as { cases: FixtureCase[] }).cases;

const NONFINITE: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity };

/** Rebuild an array exactly as NumPy wrote it. */
export function decode(e: EncodedArray): NdArray {
  const flat = Float64Array.from(e.data, (v) => (typeof v === "string" ? NONFINITE[v]! : Number(v)));
  return lax.reshape(np.array(flat, { dtype: e.dtype }), e.shape);
}

const f64 = (x: NdArray) => x.astype("float64");

/** ‖x − y‖_F / max(‖y‖_F, tiny): a relative error that does not care about individual tiny entries. */
export function relErr(x: NdArray, y: NdArray): number {
  const d = linalg.norm(np.subtract(f64(x), f64(y))).item() as number;
  return d / Math.max(linalg.norm(f64(y)).item() as number, 1e-300);
}

/** ‖qᵀq − I‖_max for the columns of q (stack). */
export function orthogonalityError(q: NdArray): number {
  const k = q.shape[q.ndim - 1]!;
  const qtq = np.matmul(np.swapaxes(f64(q), -1, -2), f64(q));
  return np.max(np.abs(np.subtract(qtq, np.eye(k, k, { dtype: "float64" })))).item() as number;
}

/** A seeded n×n orthogonal matrix (the Q of a random matrix). */
export function orthogonal(n: number, seed: number): NdArray {
  return linalg.qr(randomArray([n, n], seed))[0];
}

/** A seeded well-conditioned matrix (stack): random entries plus 2√n on the diagonal. */
export function wellConditioned(n: number, seed: number, batch: number[] = [], dtype: DType = "float64"): NdArray {
  const a = randomArray([...batch, n, n], seed);
  return np.add(a, np.multiply(np.eye(n, n, { dtype: "float64" }), 2 * Math.sqrt(n))).astype(dtype);
}

/** A seeded symmetric positive-definite matrix (stack): a·aᵀ + n·I. */
export function spd(n: number, seed: number, batch: number[] = [], dtype: DType = "float64"): NdArray {
  const a = randomArray([...batch, n, n], seed);
  return np.add(np.matmul(a, np.swapaxes(a, -1, -2)), np.multiply(np.eye(n, n, { dtype: "float64" }), n)).astype(dtype);
}

/** A seeded float64 matrix with singular values logspace(0, −log10(cond)) (symmetric: U·S·Uᵀ, SPD). */
export function illConditioned(n: number, seed: number, cond = 1e8, symmetric = false): NdArray {
  const u = orthogonal(n, seed);
  const v = symmetric ? u : orthogonal(n, seed + 1000);
  const s = np.power(10, np.multiply(np.linspace(0, -Math.log10(cond), n, { dtype: "float64" }), 1));
  return np.matmul(np.multiply(u, s), np.transpose(v));
}

/** A seeded symmetric matrix with well-separated eigenvalues 1, 2, …, n (shifted by `shift`). */
export function separatedSymmetric(n: number, seed: number, shift = 0): NdArray {
  const u = orthogonal(n, seed);
  const w = np.add(np.arange(1, n + 1).astype("float64"), shift);
  return np.matmul(np.multiply(u, w), np.transpose(u));
}
