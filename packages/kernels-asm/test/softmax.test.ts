/** Softmax and log-softmax rows against float64 definitions. */
import { describe, expect, it } from "vitest";
import { arena, expectClose, kernels, uniformF32 } from "./_kernels.js";

function reference(x: ArrayLike<number>, rows: number, n: number, log: boolean): number[] {
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: n }, (_, j) => x[r * n + j]!);
    const m = row.some(Number.isNaN) ? NaN : Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    for (const v of row) y.push(Math.fround(log ? v - m - Math.log(s) : Math.exp(v - m) / s));
  }
  return y;
}

describe("softmax_f32 / log_softmax_f32", () => {
  for (const log of [false, true]) {
    const name = log ? "log_softmax" : "softmax";
    it(`${name}: n = 0..33 and 1000, wide ranges, in place`, () => {
      for (const n of [...Array.from({ length: 34 }, (_, i) => i), 1000]) {
        for (const scale of [1, 30, 100]) {
          arena.reset();
          const rows = 3;
          const x = uniformF32(rows * n, n + scale, -scale, scale);
          const px = arena.put(x);
          (log ? kernels.log_softmax_f32 : kernels.softmax_f32)(px, px, rows, n);
          // softmax: x − max rounds in f32 (absolute error up to 2^-24·|x − max|, which exp turns into
          // that much relative error), plus exp's and the sum's roundings; log-softmax: the same
          // absolute error, relative to the row's spread.
          const tol = log ? { abs: 2e-7 * scale, rel: 2e-7 } : { abs: 1e-37, rel: 1e-6 + 1.5e-7 * scale };
          expectClose(arena.f32(px, rows * n), reference(x, rows, n, log), tol, `${name} n=${n} scale=${scale}`);
        }
      }
    });

    it(`${name}: ±Inf and NaN rows`, () => {
      arena.reset();
      const x = new Float32Array([1, -Infinity, 2, 0, /* */ NaN, 1, 2, 3, /* */ -Infinity, 5, -Infinity, 5]);
      const px = arena.put(x), py = arena.alloc(x.length * 4);
      (log ? kernels.log_softmax_f32 : kernels.softmax_f32)(px, py, 3, 4);
      expectClose(arena.f32(py, 12), reference(x, 3, 4, log), { rel: 1e-6, abs: 1e-7 }, name);
    });
  }

  it("softmax rows sum to 1", () => {
    arena.reset();
    const x = uniformF32(7 * 257, 11, -20, 20);
    const px = arena.put(x);
    kernels.softmax_f32(px, px, 7, 257);
    const y = arena.f32(px, 7 * 257);
    for (let r = 0; r < 7; r++) expect(y.subarray(r * 257, (r + 1) * 257).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
