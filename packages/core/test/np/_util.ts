/** Shared helpers for the `np` tests. */
import { expect } from "vitest";
import { type DType, type NdArray, np } from "../../src/index.js";
import { mismatch } from "../../src/testing/index.js";

/** Assert `x` has `shape`, `dtype` (if given) and values close to the nested list `expected`. */
export function expectArray(x: NdArray, expected: unknown, opts: { dtype?: DType; rtol?: number; atol?: number; shape?: readonly number[] } = {}): void {
  if (opts.dtype !== undefined) expect(x.dtype).toBe(opts.dtype);
  const e = np.array(expected as never, { dtype: "float64" });
  expect([...x.shape]).toEqual(opts.shape ? [...opts.shape] : [...e.shape]);
  const m = mismatch(x.astype("float64"), opts.shape ? Array.from(e.toTypedArray()) : e, { rtol: opts.rtol ?? 1e-6, atol: opts.atol ?? 1e-6 });
  if (m !== null) throw new Error(`${m}\n got ${JSON.stringify(x.toArray())}\n expected ${JSON.stringify(expected)}`);
}

/** Values as nested lists with float32 rounding undone (for exact comparisons of simple numbers). */
export const vals = (x: NdArray): unknown => x.toArray();
