/** Shared checks of the wasm backend suites: special values, test lengths, and agreement in ulps with the reference. */
import { expect } from "vitest";
import { type NdArray, np } from "../../src/index.js";
import { randomArray } from "../../src/testing/index.js";

export type Float = "float32" | "float64";
export const FLOATS: readonly Float[] = ["float32", "float64"];
export const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2.5, -3.5, 1e-30, -1e-30, 1e-45, 1e30, -1e30, 88.5, -87.5, 3e38, 1e-7];

/** One unit in the last place of `x` in `dtype` (the spacing just above |x|). */
export function ulp(x: number, dtype: Float): number {
  const a = Math.abs(x);
  if (dtype === "float32") {
    const f = new Float32Array([a]);
    const u = new Uint32Array(f.buffer);
    u[0] = u[0]! + 1;
    return f[0]! - Math.fround(a);
  }
  const f = new Float64Array([a]);
  const u = new BigUint64Array(f.buffer);
  u[0] = u[0]! + 1n;
  return f[0]! - a;
}

/** A full f32 sum of `x` within 8·2^-24·Σ|x| (the wasm kernel's bound, final rounding included) and an ulp of `want`; non-finite results identical. */
export function expectWithinSumBound(got: NdArray, want: NdArray, x: NdArray, what: string): void {
  const [g, w] = [got.toTypedArray()[0] as number, want.toTypedArray()[0] as number];
  if (!Number.isFinite(w)) return void expect(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${what}: ${g} vs ${w}`).toBe(true);
  const abs = (x.toTypedArray() as Float32Array).reduce((a, v) => a + Math.abs(v), 0);
  expect(Math.abs(g - w), `${what}: ${g} vs ${w}`).toBeLessThanOrEqual(8 * 2 ** -24 * abs + 2 ** -23 * Math.abs(w));
}

/**
 * Elementwise agreement within `ulps` units in the last place (0: identical, including the sign of
 * zero unless `signedZero` is false); NaN must meet NaN and infinities must match exactly.
 */
export function expectUlps(got: NdArray, want: NdArray, ulps: number, what: string, signedZero = true): void {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype, what).toBe(want.dtype);
  const g = got.toTypedArray();
  const w = want.toTypedArray();
  const dtype = want.dtype as Float;
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if (Number.isNaN(b) || Number.isNaN(a) || !Number.isFinite(b) || !Number.isFinite(a) || ulps === 0) {
      const same = Object.is(a, b) || (!signedZero && a === b);
      if (!same) throw new Error(`${what}: element ${i} is ${a}, want ${b}`);
      continue;
    }
    if (Math.abs(a - b) > ulps * ulp(b, dtype)) throw new Error(`${what}: element ${i} is ${a}, want ${b} (> ${ulps} ulp)`);
  }
}

/** n values: random in [lo, hi) with the special values spliced in at a stride (when asked). */
export function values(n: number, seed: number, dtype: Float, lo = -4, hi = 4, special = SPECIAL): NdArray {
  const base = randomArray([n], seed, { dtype: "float64", lo, hi }).toTypedArray();
  const out = Float64Array.from(base);
  for (let i = 0, j = seed % 7; j < n && i < special.length; i++, j += 3) out[j] = special[i]!;
  return np.array(out, { dtype });
}

/** Sizes 0..33 and a few larger ones (SIMD bodies plus every tail length). */
export const LENGTHS = [...Array.from({ length: 34 }, (_, i) => i), 61, 128, 1031];
