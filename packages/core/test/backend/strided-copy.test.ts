import { describe, expect, it } from "vitest";
import { contiguousStrides, stridedCopy } from "../../src/backend/reference/util.js";
import { seededUniform } from "../../src/testing/index.js";

/** The definition: dst[flat(idx)] = src[offset + Σ idx[d]·strides[d]], one element at a time. */
function naive(src: ArrayLike<number>, offset: number, strides: readonly number[], shape: readonly number[]): number[] {
  const out: number[] = [];
  const total = shape.reduce((a, b) => a * b, 1);
  const cs = contiguousStrides(shape);
  for (let i = 0; i < total; i++) {
    let p = offset;
    shape.forEach((_, d) => (p += Math.floor(i / cs[d]!) % shape[d]! * strides[d]!));
    out.push(src[p]!);
  }
  return out;
}

describe("stridedCopy fast paths (merged dims, row copies, fills, tiled transposes)", () => {
  const src = Float32Array.from({ length: 200_000 }, (_, i) => i);
  const cases: [string, readonly number[], readonly number[], number][] = [
    ["contiguous (one block copy)", [7, 9, 11], [99, 11, 1], 0],
    ["bias rows: broadcast of the last dims", [5, 3, 40], [0, 40, 1], 0],
    ["per-row values: broadcast of the first dims", [6, 50], [1, 0], 3],
    ["NCHW bias: stride 0 around a channel", [2, 3, 9, 10], [0, 1, 0, 0], 0],
    ["2-d transpose, odd sizes across tiles", [45, 77], [1, 45], 0],
    ["2-d transpose with an offset", [33, 65], [1, 40], 17],
    ["3-d permutation", [4, 37, 9], [9, 36, 1], 0],
    ["3-d permutation without unit inner stride", [9, 4, 37], [1, 333, 9], 0],
    ["reverse (negative strides) of long rows", [3, 20], [-20, -1], 59],
    ["strided slice (step 2)", [10, 16], [64, 2], 5],
    ["unit dims everywhere", [1, 12, 1, 9, 1], [0, 9, 5, 1, 3], 2],
    ["short rows (generic loop)", [50, 3], [3, 1], 0],
  ];
  for (const [name, shape, strides, offset] of cases) {
    it(name, () => {
      const total = shape.reduce((a, b) => a * b, 1);
      const dst = new Float32Array(total);
      stridedCopy(src, offset, strides, shape, dst);
      expect(Array.from(dst)).toEqual(naive(src, offset, strides, shape));
    });
  }

  it("random shapes, permutations and broadcasts agree with the definition", () => {
    const next = seededUniform(5);
    const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    for (let t = 0; t < 300; t++) {
      const rank = int(1, 4);
      const base = Array.from({ length: rank }, () => int(1, 12));
      const perm = base.map((_, i) => i).sort(() => next() - 0.5);
      const cs = contiguousStrides(base);
      const shape = perm.map((p) => base[p]!);
      const strides = perm.map((p) => (next() < 0.2 ? 0 : cs[p]!));
      const dst = new Float32Array(shape.reduce((a, b) => a * b, 1));
      stridedCopy(src, 0, strides, shape, dst);
      expect(Array.from(dst), `${shape} ${strides}`).toEqual(naive(src, 0, strides, shape));
    }
  });
});
