/** A tiny deterministic generator for test inputs (tests must not depend on Math.random). */
import type { NdArray } from "../array.js";
import { type DType } from "../dtype.js";
import { array } from "../np/convert.js";

/** Mulberry32: a seeded 32-bit generator returning floats in [0, 1). */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An array of `shape` with values uniform in [lo, hi) from `seed`. */
export function randomArray(shape: readonly number[], seed: number, opts: { dtype?: DType; lo?: number; hi?: number } = {}): NdArray {
  const next = seededUniform(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const lo = opts.lo ?? -1;
  const hi = opts.hi ?? 1;
  const data = Float64Array.from({ length: n }, () => lo + (hi - lo) * next());
  return array(data, { dtype: opts.dtype ?? "float64" }).reshape(shape);
}
