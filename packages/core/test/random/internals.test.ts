/** The building blocks of `random` that have no JAX vector of their own: sort, nextafter, erf⁻¹. */
import { describe, expect, it } from "vitest";
import { type NdArray, jit, np, vmap } from "../../src/index.js";
import { erfInv } from "../../src/random/erf-inv.js";
import { nextAfter } from "../../src/random/next-after.js";
import { argsortLast } from "../../src/random/sort.js";

const values = (x: NdArray) => Array.from(x.toTypedArray(), Number);
const f32 = (xs: number[]) => np.array(xs, { dtype: "float32" });

/** A stable argsort by JS's (stable) Array.prototype.sort. */
const stableArgsort = (xs: number[]) => xs.map((v, i) => [v, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, i]) => i);

describe("argsortLast (bitonic network)", () => {
  it("is the stable argsort for every length 0..40, with many ties", () => {
    for (let n = 0; n <= 40; n++) {
      const keys = Array.from({ length: n }, (_, i) => (i * 2654435761) % 7);
      expect(values(argsortLast(np.array(keys, { dtype: "uint32" }), 2 ** 32 - 1))).toEqual(stableArgsort(keys));
    }
  });

  it("sorts uint32 keys above 2³¹ and float keys with ±∞ (padding stays last)", () => {
    const big = [4294967295, 0, 2147483648, 4294967295, 5];
    expect(values(argsortLast(np.array(big, { dtype: "uint32" }), 2 ** 32 - 1))).toEqual(stableArgsort(big));
    const fl = [Infinity, -1.5, Infinity, -Infinity, 0];
    expect(values(argsortLast(f32(fl), Infinity))).toEqual(stableArgsort(fl));
  });

  it("sorts each row of a batch, under jit and vmap too", () => {
    const rows = [[3, 1, 2], [0, 0, 9], [5, 4, 4]];
    const x = np.array(rows, { dtype: "uint32" });
    const want = rows.flatMap(stableArgsort);
    expect(values(argsortLast(x, 2 ** 32 - 1))).toEqual(want);
    expect(values(jit((k: NdArray) => argsortLast(k, 2 ** 32 - 1))(x))).toEqual(want);
    expect(values(vmap((k: NdArray) => argsortLast(k, 2 ** 32 - 1))(x))).toEqual(want);
  });
});

describe("nextAfter", () => {
  /** The adjacent float32 by stepping the bit pattern with typed arrays. */
  function step(x: number, up: boolean): number {
    if (Number.isNaN(x) || x === (up ? Infinity : -Infinity)) return x;
    if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
    const f = new Float32Array([x]);
    const u = new Uint32Array(f.buffer);
    u[0] = u[0]! + ((x > 0) === up ? 1 : -1);
    return f[0]!;
  }
  const xs = [0, -0, 1, -1, 2 ** -149, -(2 ** -149), 3.4028234663852886e38, Infinity, -Infinity, 0.1, -2.5];

  it.each([true, false])("float32 steps one ulp exactly (up = %s)", (up) => {
    const got = values(nextAfter(f32(xs), up));
    xs.forEach((x, i) => expect(got[i]).toBe(step(Math.fround(x), up)));
    expect(values(nextAfter(f32([NaN]), up))[0]).toBeNaN();
  });

  it("float64 lands strictly past x and within two ulps", () => {
    const x = np.array([1, -1, 0, 1e300, -3.5], { dtype: "float64" });
    const up = values(nextAfter(x, true));
    const down = values(nextAfter(x, false));
    values(x).forEach((v, i) => {
      expect(up[i]).toBeGreaterThan(v);
      expect(down[i]).toBeLessThan(v);
      expect(up[i]! - v).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -51, 2 ** -1073));
    });
  });
});

describe("erfInv (XLA's float32 polynomial)", () => {
  it("is within a few ulps of the accurate erf⁻¹ kernel in the bulk, ~1e-5 near ±1 (XLA's float32 error), and ±∞ at ±1", () => {
    const xs = [-0.999999, -0.99, -0.5, -1e-6, 0, 1e-6, 0.3, 0.9, 0.9999];
    const poly = values(erfInv(f32(xs)));
    const exact = values(np.erfinv(f32(xs)));
    poly.forEach((p, i) => {
      const ulps = Math.abs(xs[i]!) <= 0.99 ? 4 : 64;
      expect(Math.abs(p - exact[i]!)).toBeLessThanOrEqual(ulps * Math.max(Math.abs(exact[i]!), 1e-6) * 2 ** -23);
    });
    expect(values(erfInv(f32([1, -1])))).toEqual([Infinity, -Infinity]);
  });
});
