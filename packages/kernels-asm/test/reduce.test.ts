/** Axis reductions and arg-reductions of [outer, n, inner] views, against float64 loops. */
import { describe, expect, it } from "vitest";
import { ReduceOp, Status } from "../src/index.js";
import { arena, expectClose, kernels, uniformF32, uniformF64 } from "./_kernels.js";

const STEPS: Record<keyof typeof ReduceOp, { init: number; step: (a: number, x: number) => number }> = {
  sum: { init: 0, step: (a, x) => a + x },
  prod: { init: 1, step: (a, x) => a * x },
  // IEEE maximum/minimum: NaN-propagating, −0 below +0.
  max: { init: -Infinity, step: Math.max },
  min: { init: Infinity, step: Math.min },
};

function reference(op: keyof typeof ReduceOp, x: ArrayLike<number>, outer: number, n: number, inner: number): number[] {
  const { init, step } = STEPS[op];
  const y: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = init;
      for (let j = 0; j < n; j++) acc = step(acc, x[(o * n + j) * inner + i]!);
      y.push(acc);
    }
  }
  return y;
}

function argReference(isMax: boolean, x: ArrayLike<number>, outer: number, n: number, inner: number): number[] {
  const y: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => x[(o * n + j) * inner + i]!;
      let best = 0;
      for (let j = 0; j < n; j++) {
        if (Number.isNaN(at(j))) {
          best = j;
          break;
        }
        if (isMax ? at(j) > at(best) : at(j) < at(best)) best = j;
      }
      y.push(best);
    }
  }
  return y;
}

const SHAPES: Array<[number, number, number]> = [
  ...Array.from({ length: 34 }, (_, n) => [2, n, 1] as [number, number, number]),
  ...Array.from({ length: 34 }, (_, n) => [1, n, 3] as [number, number, number]),
  [3, 5, 33], [0, 4, 2], [2, 7, 0], [1, 3, 2100], [2, 1000, 1], [4, 1, 1],
];

/** Input data with NaN, ±Inf and ties placed in some rows. */
function data(dtype: "f32" | "f64", len: number, seed: number, specials: boolean): Float32Array | Float64Array {
  const x = dtype === "f32" ? uniformF32(len, seed, 0.5, 1.5) : uniformF64(len, seed, 0.5, 1.5);
  if (specials && len > 10) {
    x[3] = NaN;
    x[len - 2] = Infinity;
    x[len - 5] = -Infinity;
    x[7] = x[8]!;
  }
  return x;
}

describe("reduce", () => {
  for (const dtype of ["f32", "f64"] as const) {
    for (const op of Object.keys(ReduceOp) as Array<keyof typeof ReduceOp>) {
      it(`${dtype} ${op} over n = 0..33 (inner 1 and 3), odd and large shapes, NaN/±Inf`, () => {
        for (const specials of [false, true]) {
          for (const [outer, n, inner] of SHAPES) {
            arena.reset();
            const x = data(dtype, outer * n * inner, n + inner, specials);
            const px = arena.put(x), py = arena.alloc(outer * inner * x.BYTES_PER_ELEMENT);
            const st = dtype === "f32" ? kernels.reduce_f32(ReduceOp[op], px, outer, n, inner, py) : kernels.reduce_f64(ReduceOp[op], px, outer, n, inner, py);
            expect(st).toBe(Status.ok);
            const got = dtype === "f32" ? arena.f32(py, outer * inner) : arena.f64(py, outer * inner);
            const round = dtype === "f32" ? Math.fround : (v: number) => v;
            // f32 results round once from f64 accumulators (f32 sums of 128+ elements first add runs of 8
            // in f32, ≤ 8·2^-24·Σ|x| stored): on these positive data, within an ulp.
            expectClose(got, reference(op, x, outer, n, inner).map(round), { rel: dtype === "f32" ? 6e-8 : 1e-14 }, `${op} [${outer},${n},${inner}]`);
          }
        }
      });
    }
  }

  it("sums 10^7 f32 within 8·2^-24·Σ|x| of the exact sum, and sums small integers exactly at every length", () => {
    arena.reset();
    const n = 10_000_000;
    // Positive data, so that Σ|x| is the sum itself and the bound is a few ulps of it: a plain f32 loop
    // (a missing flush into f64) would be off by thousands.
    const x = uniformF32(n, 9, 0, 1);
    const px = arena.put(x), py = arena.alloc(4);
    expect(kernels.reduce_f32(ReduceOp.sum, px, 1, n, 1, py)).toBe(0);
    // The f64 sum of 10^7 f32 is exact to ~1e-9·Σ|x|, far inside the bound.
    let s = 0, abs = 0;
    for (let i = 0; i < n; i++) {
      s += x[i]!;
      abs += Math.abs(x[i]!);
    }
    const got = arena.f32(py, 1)[0]!;
    // 7·2^-24·Σ|x| from the f32 runs of 8, and one more for the final rounding of the f64 sum to f32.
    expect(Math.abs(got - s)).toBeLessThanOrEqual(8 * 2 ** -24 * abs);
    // Integers sum exactly in f32 while partial sums stay below 2^24, so any dropped, repeated or
    // misplaced element shows, on both sides of the 128-element blocks and the 8-element tail.
    const r = uniformF32(5000, 4, 0, 1);
    for (const len of [127, 128, 129, 255, 256, 257, 1000, 4099]) {
      arena.reset();
      const ints = Float32Array.from(r.subarray(0, len), (v) => Math.floor(v * 100) - 50);
      const pi = arena.put(ints), po = arena.alloc(4), acc = arena.alloc(8);
      expect(kernels.reduce_f32(ReduceOp.sum, pi, 1, len, 1, po)).toBe(0);
      const exact = ints.reduce((a, b) => a + b, 0);
      expect(arena.f32(po, 1)[0], `reduce, n = ${len}`).toBe(exact);
      arena.f64(acc, 1)[0] = 0;
      expect(kernels.reduce_fold_f32(ReduceOp.sum, pi, len, acc)).toBe(0);
      expect(arena.f64(acc, 1)[0], `fold, n = ${len}`).toBe(exact);
    }
  });

  it("sums exactly where an f32 run of 8 would overflow though the sum is finite, in reduce and fold", () => {
    // ±2e38 pairs in one lane of a 128-element block: 2e38 + 2e38 is +Inf in f32, the exact sum is 1.
    for (const n of [128, 131, 1000]) {
      arena.reset();
      const x = new Float32Array(n);
      x[0] = x[16] = 2e38;
      x[32] = x[48] = -2e38;
      x[1] = 1;
      const px = arena.put(x), py = arena.alloc(4), acc = arena.alloc(8);
      expect(kernels.reduce_f32(ReduceOp.sum, px, 1, n, 1, py)).toBe(0);
      expect(arena.f32(py, 1)[0], `reduce, n = ${n}`).toBe(1);
      arena.f64(acc, 1)[0] = 0;
      expect(kernels.reduce_fold_f32(ReduceOp.sum, px, n, acc)).toBe(0);
      expect(arena.f64(acc, 1)[0], `fold, n = ${n}`).toBe(1);
    }
    // A sum that does overflow f32 still reaches ±Inf only on the final rounding, and NaN stays NaN.
    arena.reset();
    const big = new Float32Array(256).fill(3e38);
    const pb = arena.put(big), pOut = arena.alloc(4);
    expect(kernels.reduce_f32(ReduceOp.sum, pb, 1, 256, 1, pOut)).toBe(0);
    expect(arena.f32(pOut, 1)[0]).toBe(Infinity);
    big[200] = NaN;
    const pn = arena.put(big);
    expect(kernels.reduce_f32(ReduceOp.sum, pn, 1, 256, 1, pOut)).toBe(0);
    expect(arena.f32(pOut, 1)[0]).toBeNaN();
  });

  it("rejects an unknown reduction", () => {
    expect(kernels.reduce_f32(7, 0, 0, 0, 0, 0)).toBe(Status.unsupported);
  });

  it("max/min are IEEE maximum/minimum in reduce and fold: a NaN anywhere (vector body or tail) wins, −0 sits below +0", () => {
    for (const dtype of ["f32", "f64"] as const) {
      /** [reduce_*, reduce_fold_*] of x, as numbers. */
      const both = (op: "max" | "min", x: number[]): [number, number] => {
        arena.reset();
        const arr = dtype === "f32" ? Float32Array.from(x) : Float64Array.from(x);
        const px = arena.put(arr), py = arena.alloc(8), acc = arena.alloc(8);
        const [reduce, fold] = dtype === "f32" ? [kernels.reduce_f32, kernels.reduce_fold_f32] : [kernels.reduce_f64, kernels.reduce_fold_f64];
        expect(reduce(ReduceOp[op], px, 1, x.length, 1, py)).toBe(Status.ok);
        arena.f64(acc, 1)[0] = op === "max" ? -Infinity : Infinity;
        expect(fold(ReduceOp[op], px, x.length, acc)).toBe(Status.ok);
        return [(dtype === "f32" ? arena.f32(py, 1) : arena.f64(py, 1))[0]!, arena.f64(acc, 1)[0]!];
      };
      const expectBoth = (op: "max" | "min", x: number[], want: number, what: string) => {
        const [r, f] = both(op, x);
        const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
        if (!Object.is(r, want) || !Object.is(f, want)) expect.fail(`${dtype} ${op} ${what} (n = ${x.length}): reduce ${show(r)}, fold ${show(f)}, want ${show(want)}`);
      };
      for (let n = 1; n <= 33; n++) {
        for (let j = 0; j < n; j++) {
          const ramp = Array.from({ length: n }, (_, i) => i - n / 2);
          ramp[j] = NaN;
          expectBoth("max", ramp, NaN, `NaN at ${j}`);
          expectBoth("min", ramp, NaN, `NaN at ${j}`);
          // Negatives and −0s (max −0), then one +0 at j (max +0); mirrored for min.
          const below = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : -1 - i));
          expectBoth("max", below, -0, "negatives and −0");
          below[j] = 0;
          expectBoth("max", below, 0, `+0 at ${j}`);
          const above = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1 + i));
          expectBoth("min", above, 0, `positives and +0`);
          above[j] = -0;
          expectBoth("min", above, -0, `−0 at ${j}`);
        }
      }
    }
  });
});

describe("reduce_fold", () => {
  for (const dtype of ["f32", "f64"] as const) {
    for (const op of Object.keys(ReduceOp) as Array<keyof typeof ReduceOp>) {
      it(`${dtype} ${op} folded chunk by chunk (0..33 wide, NaN/±Inf) equals one f64 pass`, () => {
        for (const specials of [false, true]) {
          for (const chunk of [1, 2, 7, 8, 9, 33]) {
            arena.reset();
            const len = 101;
            const x = data(dtype, len, chunk, specials);
            const px = arena.put(x), acc = arena.alloc(8);
            arena.f64(acc, 1)[0] = STEPS[op].init;
            const size = x.BYTES_PER_ELEMENT;
            for (let at = 0; at < len; at += chunk) {
              const w = Math.min(chunk, len - at);
              const st = dtype === "f32" ? kernels.reduce_fold_f32(ReduceOp[op], px + at * size, w, acc) : kernels.reduce_fold_f64(ReduceOp[op], px + at * size, w, acc);
              expect(st).toBe(Status.ok);
            }
            // Folding keeps the f64 accumulator between chunks, so only the association differs.
            expectClose(arena.f64(acc, 1), reference(op, x, 1, len, 1), { rel: 1e-14 }, `${op} chunk ${chunk}`);
          }
        }
      });
    }
  }

  it("folds an empty chunk as the identity and rejects an unknown reduction", () => {
    arena.reset();
    const acc = arena.alloc(8);
    arena.f64(acc, 1)[0] = 2.5;
    expect(kernels.reduce_fold_f32(ReduceOp.sum, acc, 0, acc)).toBe(Status.ok);
    expect(arena.f64(acc, 1)[0]).toBe(2.5);
    expect(kernels.reduce_fold_f32(7, 0, 0, acc)).toBe(Status.unsupported);
  });
});

describe("argreduce", () => {
  for (const dtype of ["f32", "f64"] as const) {
    it(`${dtype} argmax/argmin: first occurrence, NaN wins, inner 1 and > 1`, () => {
      for (const specials of [false, true]) {
        for (const [outer, n, inner] of SHAPES) {
          if (n === 0) continue;
          for (const isMax of [true, false]) {
            arena.reset();
            const x = data(dtype, outer * n * inner, n * 3 + inner, specials);
            // Ties: quantise so equal values are common.
            for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!) && Number.isFinite(x[i]!)) x[i] = Math.round(x[i]! * 4) / 4;
            const px = arena.put(x), py = arena.alloc(outer * inner * 4);
            if (dtype === "f32") kernels.argreduce_f32(isMax ? 1 : 0, px, outer, n, inner, py);
            else kernels.argreduce_f64(isMax ? 1 : 0, px, outer, n, inner, py);
            expect(Array.from(arena.i32(py, outer * inner)), `[${outer},${n},${inner}]`).toEqual(argReference(isMax, x, outer, n, inner));
          }
        }
      }
    });
  }
});
