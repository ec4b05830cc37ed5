/** Deterministic inputs shared by every system, so each one multiplies, convolves and trains on the same numbers. */

/** `n` floats in [-1, 1) from a seeded 32-bit LCG (cheap, and identical in every process). */
export function floats(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

/** `n` integer class labels in [0, classes). */
export function labels(n: number, classes: number, seed: number): Int32Array {
  const f = floats(n, seed);
  return Int32Array.from(f, (v) => Math.min(classes - 1, Math.floor(((v + 1) / 2) * classes)));
}

/** He-style scale for a weight tensor with `fanIn` inputs, so training steps see realistic magnitudes. */
export function heScale(fanIn: number): number {
  return Math.sqrt(6 / fanIn);
}
