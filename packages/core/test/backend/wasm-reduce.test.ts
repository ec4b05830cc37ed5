/** wasm reductions (sum, max, min, prod, argmax/argmin) against the reference backend: every axis subset, specials, streamed full sums. */
import { describe, expect, it } from "vitest";
import { type NdArray, jit, lax, np } from "../../src/index.js";
import { assertAllclose } from "../../src/testing/index.js";
import { STREAM_CHUNK } from "../../src/backend/wasm/reduce.js";
import { wasmAgainstReference } from "./wasm-vs-reference.js";
import { FLOATS, LENGTHS, expectUlps, expectWithinSumBound, values } from "./wasm-agreement.js";

const both = wasmAgainstReference();

const subsets = (r: number): number[][] => Array.from({ length: 1 << r }, (_, m) => Array.from({ length: r }, (_, i) => i).filter((i) => (m >> i) & 1));

describe("wasm reductions", () => {
  const REDUCE: [string, (x: NdArray, axes: number[]) => NdArray][] = [
    ["reduce_sum", lax.reduceSum], ["reduce_max", lax.reduceMax], ["reduce_min", lax.reduceMin], ["reduce_prod", lax.reduceProd],
  ];
  for (const dtype of FLOATS) {
    for (const [name, f] of REDUCE) {
      // Sums accumulate in f64 either way, in another order: identical in f32 (up to a tie), an ulp or so in f64.
      // (Rows of 128 or more f32 first add runs of 8 in f32 on wasm: see the streaming test's bound.)
      const ulps = name === "reduce_max" || name === "reduce_min" ? 0 : dtype === "float32" ? 1 : 8;
      // Max/min are IEEE maximum/minimum in both backends, so even the sign of a zero result agrees.
      const signedZero = true;
      it(`${name} ${dtype}: lengths 0..33, every axis subset of odd shapes, NaN/±Inf`, () => {
        for (const n of LENGTHS) {
          const x = name === "reduce_prod" ? values(n, n, dtype, 0.5, 1.5, []) : values(n, n, dtype, -4, 4, []);
          const [got, want] = both(() => f(x, [0]));
          if (name === "reduce_sum" && dtype === "float32" && n >= 128) expectWithinSumBound(got, want, x, `${name}[${n}]`);
          else expectUlps(got, want, ulps, `${name}[${n}]`, signedZero);
        }
        for (const shape of [[3, 5, 7], [2, 1, 4, 3], [4, 0, 3], [33, 2], [2, 33]]) {
          const size = shape.reduce((a, b) => a * b, 1);
          const x = np.reshape(values(size, size + 3, dtype, name === "reduce_prod" ? 0.5 : -4, name === "reduce_prod" ? 1.5 : 4, []), shape);
          for (const axes of subsets(shape.length).filter((s) => s.length > 0)) {
            const [got, want] = both(() => f(x, axes));
            expectUlps(got, want, ulps, `${name} ${shape} over ${axes}`, signedZero);
          }
        }
        // NaN, ±Inf and ±0 in some rows (no huge finite values: their cancellation depends on the summation order).
        const special = np.reshape(values(6 * 11, 4, dtype, -4, 4, [NaN, Infinity, -Infinity, -0, 0, NaN, 1, -1, -Infinity, Infinity]), [6, 11]);
        for (const axes of [[0], [1], [0, 1]]) {
          const [got, want] = both(() => f(special, axes));
          expectUlps(got, want, ulps, `${name} special over ${axes}`, signedZero);
        }
      });
      it(`${name} ${dtype}: full reductions of more than two chunks stream through the arena (seams, ragged tail, unit axes, NaN/±Inf far in)`, () => {
        const n = 2 * STREAM_CHUNK + 1235;
        const [lo, hi] = name === "reduce_prod" ? [0.9999, 1.0001] : [-4, 4];
        const base = values(n, 5, dtype, lo, hi, []).toTypedArray();
        const cases: [string, NdArray, number[]][] = [
          ["flat", np.array(base, { dtype }), [0]],
          ["[1, n, 1] over axis 1", np.reshape(np.array(base, { dtype }), [1, n, 1]), [1]],
          ["[2, n/2] over both", np.reshape(np.array(base.subarray(0, n - 1), { dtype }), [2, (n - 1) / 2]), [0, 1]],
        ];
        for (const [at, v] of [[STREAM_CHUNK + 7, NaN], [n - 1, Infinity], [STREAM_CHUNK, -Infinity]] as const) {
          const x = Float64Array.from(base);
          x[at] = v;
          cases.push([`${v} at ${at}`, np.array(x, { dtype }), [0]]);
        }
        for (const [what, x, axes] of cases) {
          const [got, want] = both(() => f(x, axes));
          // The wasm f32 sum adds runs of 8 per lane in f32 before widening: within 8·2^-24·Σ|x| of the exact
          // sum, plus the reference's own rounding. Products and f64 sums accumulate in f64 in both, in
          // different orders: f32 products agree to an ulp, f64 results of 10^5 terms to ~1e-12.
          if (name === "reduce_sum" && dtype === "float32") expectWithinSumBound(got, want, x, `${name} ${what}`);
          else if (dtype === "float32" || ulps === 0) expectUlps(got, want, ulps, `${name} ${what}`, signedZero);
          else assertAllclose(got, want, { rtol: 1e-11, atol: 0 }, `${name} ${what}`);
        }
      });
    }
    it(`reduce_sum ${dtype}: ±2e38 pairs whose f32 running sums would overflow still sum to the exact 1, eager and jit, whole and streamed`, () => {
      for (const n of [128, 1000, 2 * STREAM_CHUNK + 5]) {
        const x = new Float64Array(n);
        x[0] = x[16] = 2e38;
        x[32] = x[48] = -2e38;
        // Last, so that the reference's in-order f64 sum keeps it too (2e38 + 1 drops the 1 even in f64).
        x[n - 1] = 1;
        const a = np.array(x, { dtype });
        for (const [how, f] of [["eager", (v: NdArray) => lax.reduceSum(v, [0])], ["jit", jit((v: NdArray) => lax.reduceSum(v, [0]))]] as const) {
          const [got, want] = both(() => f(a));
          expect(want.toTypedArray()[0], `reference, n = ${n}`).toBe(1);
          expect(got.toTypedArray()[0], `${how}, n = ${n}`).toBe(1);
        }
      }
    });
    it(`argmax/argmin ${dtype}: every axis, ties take the first index, NaN wins`, () => {
      for (const n of LENGTHS.filter((n) => n > 0)) {
        // Few distinct values, so there are many ties.
        const x = np.floor(values(n, n, dtype, -3, 3, []));
        for (const f of [lax.argmax, lax.argmin]) {
          const [got, want] = both(() => f(x, 0));
          expect(got.dtype).toBe("int32");
          expect(got.toArray()).toEqual(want.toArray());
        }
      }
      const x = np.reshape(np.floor(values(4 * 5 * 6, 2, dtype)), [4, 5, 6]);
      for (const axis of [0, 1, 2]) {
        for (const f of [lax.argmax, lax.argmin]) {
          const [got, want] = both(() => f(x, axis));
          expect(got.toArray(), `axis ${axis}`).toEqual(want.toArray());
        }
      }
      const [g, w] = both(() => lax.argmax(x, 1, "uint32"));
      expect(g.dtype).toBe("uint32");
      expect(g.toArray()).toEqual(w.toArray());
    });
  }
});
