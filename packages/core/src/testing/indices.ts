/** Index helpers for naive test oracles (direct loops that kernels are checked against). */

/** Visit every multi-index of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], fn: (idx: number[]) => void): void {
  if (shape.some((d) => d === 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    fn(idx);
    let d = shape.length - 1;
    for (; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Row-major flat offset of multi-index `idx` in `shape`. */
export const flatAt = (shape: readonly number[], idx: readonly number[]): number => idx.reduce((o, v, d) => o * shape[d]! + v, 0);
