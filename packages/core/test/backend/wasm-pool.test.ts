/**
 * The wasm pooling kernels' fast paths (2×2 / stride-2 SIMD, SIMD across windows for other windows)
 * through the backend glue: reduce_window max/min/sum and select_and_scatter_add max/min against the
 * reference bit for bit, at CNN sizes and odd ones, with ties, ±0, NaN and ±∞ in the data.
 */
import { describe, it } from "vitest";
import { type NdArray, lax, np } from "../../src/index.js";
import { wasmAgainstReference } from "./wasm-vs-reference.js";

const both = wasmAgainstReference();

/** Expect the same shape, dtype and values bit for bit (+0 ≠ −0; any NaN matches any NaN). */
function expectIdentical(got: NdArray, want: NdArray, what: string): void {
  if (got.dtype !== want.dtype || got.shape.join() !== want.shape.join()) throw new Error(`${what}: ${got.dtype}[${got.shape}] vs ${want.dtype}[${want.shape}]`);
  const g = got.toTypedArray(), w = want.toTypedArray();
  for (let i = 0; i < w.length; i++) {
    if (!Object.is(g[i], w[i]) && !(Number.isNaN(g[i]!) && Number.isNaN(w[i]!))) throw new Error(`${what}: element ${i} is ${Object.is(g[i], -0) ? "-0" : g[i]}, want ${Object.is(w[i], -0) ? "-0" : w[i]}`);
  }
}

/** Deterministic values of `shape` from a small set (ties, ±0, ±∞) with NaN at `nanRate`. */
function tricky(shape: readonly number[], seed: number, dtype: "float32" | "float64", nanRate: number): NdArray {
  const set = [0, -0, 1, 1, -1, 2, 2, 0.5, -2.5, Infinity, -Infinity];
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n }, () => (next() < nanRate ? NaN : set[Math.floor(next() * set.length)]!));
  return np.reshape(np.array(data, { dtype }), shape);
}

type Case = { name: string; shape: number[]; window: [number, number]; strides: [number, number]; pad: [[number, number], [number, number]] };
const CASES: Case[] = [
  { name: "2×2/2, 28×28 (CNN layer 1)", shape: [4, 8, 28, 28], window: [2, 2], strides: [2, 2], pad: [[0, 0], [0, 0]] },
  { name: "2×2/2, 14×14 (CNN layer 2)", shape: [3, 16, 14, 14], window: [2, 2], strides: [2, 2], pad: [[0, 0], [0, 0]] },
  { name: "2×2/2, odd 15×13 (dropped last row and column)", shape: [2, 5, 15, 13], window: [2, 2], strides: [2, 2], pad: [[0, 0], [0, 0]] },
  { name: "2×2/2, odd 15×13 SAME (windows into padding)", shape: [2, 5, 15, 13], window: [2, 2], strides: [2, 2], pad: [[0, 1], [1, 0]] },
  { name: "2×2/2, rows too short for SIMD (5 → 2)", shape: [2, 3, 6, 5], window: [2, 2], strides: [2, 2], pad: [[0, 0], [0, 0]] },
  { name: "3×3/2 padded (overlapping)", shape: [2, 4, 17, 20], window: [3, 3], strides: [2, 2], pad: [[1, 1], [1, 1]] },
  { name: "3×3/3 (disjoint, stride = window)", shape: [2, 4, 18, 19], window: [3, 3], strides: [3, 3], pad: [[0, 0], [0, 0]] },
  { name: "2×2/1 (overlapping, contiguous lanes)", shape: [2, 3, 9, 12], window: [2, 2], strides: [1, 1], pad: [[0, 0], [0, 0]] },
];

describe("wasm pooling fast paths match the reference bit for bit", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const c of CASES) {
      it(`${dtype} ${c.name}`, () => {
        const window = [1, 1, ...c.window], strides = [1, 1, ...c.strides];
        const padding: [number, number][] = [[0, 0], [0, 0], ...c.pad];
        let seed = 7;
        for (const nanRate of [0, 0.03]) {
          const x = tricky(c.shape, ++seed, dtype, nanRate);
          for (const op of ["max", "min", "sum"] as const) {
            const [got, want] = both(() => lax.reduceWindow(x, op, window, strides, padding));
            // Window sums of non-power-of-two windows may differ from the reference's by an ulp (pool.ts); these are exact.
            if (op !== "sum" || (c.window[0] * c.window[1]) % 2 === 0) expectIdentical(got, want, `reduce_window ${op} NaN rate ${nanRate}`);
          }
          const windows = lax.reduceWindow(x, "max", window, strides, padding);
          // dy with −0s: the adjoint adds them to zero, giving +0.
          const source = np.where(np.equal(tricky(windows.shape, ++seed, dtype, 0), np.array(2, { dtype })), np.array(-0, { dtype }), tricky(windows.shape, ++seed, dtype, 0).mul(np.array(1.5, { dtype })));
          for (const op of ["max", "min"] as const) {
            const [got, want] = both(() => lax.selectAndScatterAdd(source, x, { op, windowDimensions: window, windowStrides: strides, padding }));
            expectIdentical(got, want, `select_and_scatter_add ${op} NaN rate ${nanRate}`);
          }
        }
      });
    }
  }
});
