/** Deterministic inputs for the micro-benchmarks: identical in every process and for every variant. */

/** `n` f32 values `map(u)` of uniform u in [0, 1) from a seeded 32-bit LCG. */
export function seededF32(n: number, seed: number, map: (u: number) => number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = map(s / 2 ** 32);
  }
  return a;
}
