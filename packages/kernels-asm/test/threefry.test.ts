/** threefry2x32 (20 rounds): the Random123 / JAX known-answer vectors and a scalar reference on lengths 0..33. */
import { describe, expect, it } from "vitest";
import { arena, kernels, rng } from "./_kernels.js";

/** Scalar Threefry-2x32-20, straight from the specification. */
function threefry(k0: number, k1: number, x0: number, x1: number): [number, number] {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  const rot = [13, 15, 26, 6, 17, 29, 16, 24];
  let a = (x0 + ks[0]!) >>> 0, b = (x1 + ks[1]!) >>> 0;
  for (let r = 0; r < 20; r++) {
    a = (a + b) >>> 0;
    const s = rot[r % 8]!;
    b = ((b << s) | (b >>> (32 - s))) >>> 0;
    b = (b ^ a) >>> 0;
    if (r % 4 === 3) {
      const j = (r + 1) / 4;
      a = (a + ks[j % 3]!) >>> 0;
      b = (b + ks[(j + 1) % 3]! + j) >>> 0;
    }
  }
  return [a, b];
}

function run(k0: number, k1: number, x0: Uint32Array, x1: Uint32Array): [number[], number[]] {
  arena.reset();
  const p0 = arena.put(x0), p1 = arena.put(x1);
  kernels.threefry2x32(k0, k1, p0, p1, p0, p1, x0.length);
  return [Array.from(arena.u32(p0, x0.length)), Array.from(arena.u32(p1, x1.length))];
}

describe("threefry2x32", () => {
  it("reproduces the known-answer vectors (Random123 kat_vectors; JAX's threefry test)", () => {
    const kat: Array<[number, number, number, number, number, number]> = [
      [0, 0, 0, 0, 0x6b200159, 0x99ba4efe],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
      [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
    ];
    for (const [k0, k1, x0, x1, y0, y1] of kat) {
      expect(threefry(k0, k1, x0, x1)).toEqual([y0, y1]);
      // Put the pair at every lane position of a 5-element call so body and tail are both exercised.
      for (let lane = 0; lane < 5; lane++) {
        const a = new Uint32Array(5), b = new Uint32Array(5);
        a[lane] = x0;
        b[lane] = x1;
        const [r0, r1] = run(k0, k1, a, b);
        expect([r0[lane], r1[lane]]).toEqual([y0, y1]);
      }
    }
  });

  it("matches the scalar reference on lengths 0..33 with separate outputs", () => {
    const r = rng(5);
    for (let n = 0; n <= 33; n++) {
      arena.reset();
      const x0 = Uint32Array.from({ length: n }, () => (r() * 2 ** 32) >>> 0);
      const x1 = Uint32Array.from({ length: n }, (_, i) => i);
      const [k0, k1] = [(r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0];
      const p0 = arena.put(x0), p1 = arena.put(x1), q0 = arena.alloc(n * 4), q1 = arena.alloc(n * 4);
      kernels.threefry2x32(k0, k1, p0, p1, q0, q1, n);
      const want = Array.from({ length: n }, (_, i) => threefry(k0, k1, x0[i]!, x1[i]!));
      expect(Array.from(arena.u32(q0, n))).toEqual(want.map((w) => w[0]));
      expect(Array.from(arena.u32(q1, n))).toEqual(want.map((w) => w[1]));
      expect(Array.from(arena.u32(p0, n))).toEqual(Array.from(x0)); // inputs untouched
    }
  });
});
