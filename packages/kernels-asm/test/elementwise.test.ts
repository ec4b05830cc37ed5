/** Contiguous unary and binary kernels (f32, f64) against the float64 definitions: every op, lengths 0..33, specials. */
import { describe, expect, it } from "vitest";
import { BinaryOp, Status, UnaryOp } from "../src/index.js";
import { BINARY_REF, UNARY_REF } from "./_reference.js";
import { arena, kernels, rng, sameValue, ulpError } from "./_kernels.js";

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2.5, 3.5, 1e-40, -1e-40, 1e30, -1e30, 88.5, -88.5, 100, -100, 1e-7];

/** n values: specials first, then a mix of small and wide-range randoms. */
function inputs(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    if (i < SPECIALS.length && seed % 2 === 0) return SPECIALS[(i + seed) % SPECIALS.length]!;
    const u = r();
    return u < 0.5 ? (r() - 0.5) * 8 : (r() - 0.5) * 2 * 10 ** (r() * 6 - 3);
  });
}

/** Tolerated f32 error per unary op, in ulps (0: exact). */
const UNARY_ULPS: Record<keyof typeof UnaryOp, number> = {
  neg: 0, abs: 0, sign: 0, floor: 0, ceil: 0, round: 0, sqrt: 0.5, rsqrt: 0.5,
  exp: 1, expm1: 1.5, log: 1, log1p: 1.5, tanh: 1.5, logistic: 1.5, erf: 1.5,
  sin: 1, cos: 1, tan: 1, asin: 1.5, acos: 1, atan: 1, sinh: 2, cosh: 1.5,
};

const LENGTHS = [...Array.from({ length: 34 }, (_, i) => i), 1000];

describe("unary_f32", () => {
  for (const name of Object.keys(UnaryOp) as Array<keyof typeof UnaryOp>) {
    it(`${name}: lengths 0..33 and 1000, NaN/±Inf/±0/subnormals`, () => {
      for (const n of LENGTHS) {
        arena.reset();
        const xs = Float32Array.from(inputs(n, n));
        const px = arena.put(xs), py = arena.alloc(n * 4);
        expect(kernels.unary_f32(UnaryOp[name], px, py, n)).toBe(Status.ok);
        const ys = arena.f32(py, n);
        for (let i = 0; i < n; i++) {
          const e = ulpError(ys[i]!, UNARY_REF[name](xs[i]!));
          if (!(e <= UNARY_ULPS[name])) expect.fail(`${name}(${xs[i]}) = ${ys[i]}, expected ${UNARY_REF[name](xs[i]!)} (n=${n}, ${e} ulp)`);
        }
      }
    });
  }

  it("gives an element the same result wherever it sits (the tail runs the body's code)", () => {
    const xs = Float32Array.from(inputs(33, 5));
    for (const name of ["exp", "tanh", "erf", "log1p"] as const) {
      arena.reset();
      const px = arena.put(xs), py = arena.alloc(33 * 4), p1 = arena.alloc(4);
      kernels.unary_f32(UnaryOp[name], px, py, 33);
      for (let i = 0; i < 33; i++) {
        arena.f32(p1, 1)[0] = xs[i]!;
        kernels.unary_f32(UnaryOp[name], p1, p1, 1);
        expect(Object.is(arena.f32(p1, 1)[0], arena.f32(py, 33)[i])).toBe(true);
      }
    }
  });

  it("exp: the one-multiply route (all lanes |x| ≤ 87) and the general route agree bit for bit", () => {
    // Groups of 16 in-range values take the fast route. The same values with an out-of-range lane
    // (100, −100, ±Inf, NaN) in every vector take the clamped two-step route: the unary loop tests four
    // vectors at once, then each vector again, so one spoiler per vector puts every lane on that route.
    // The range's edges sit in the first vectors, beside spoilers like every other value.
    const r = rng(11);
    const edges = [87, -87, 86.99999, -86.99999, 0, -0, 1e-30, 88.72, -87.33];
    const n = 4096;
    const spoiled = (i: number) => i % 4 === 3;
    // Edge e at the e-th lane that is not a spoiler: lanes 0, 1, 2, 4, 5, 6, 8, …
    const edgeAt = new Map(edges.map((e, k) => [Math.floor(k / 3) * 4 + (k % 3), e]));
    const xs = Float32Array.from({ length: n }, (_, i) => edgeAt.get(i) ?? (r() - 0.5) * 174);
    const spoilers = [100, -100, Infinity, -Infinity, NaN];
    const mixed = xs.map((x, i) => (spoiled(i) ? spoilers[(i >> 2) % spoilers.length]! : x));
    arena.reset();
    const [pa, pb] = [arena.put(xs), arena.put(mixed)];
    expect(kernels.unary_f32(UnaryOp.exp, pa, pa, n)).toBe(Status.ok);
    expect(kernels.unary_f32(UnaryOp.exp, pb, pb, n)).toBe(Status.ok);
    const [fast, general] = [arena.f32(pa, n), arena.f32(pb, n)];
    for (let i = 0; i < n; i++) {
      if (spoiled(i)) {
        expect(ulpError(general[i]!, Math.exp(mixed[i]!)), `exp(${mixed[i]})`).toBeLessThanOrEqual(1);
        continue;
      }
      if (!Object.is(fast[i], general[i])) expect.fail(`exp(${xs[i]}): ${fast[i]} alone, ${general[i]} next to an out-of-range lane`);
      expect(ulpError(fast[i]!, Math.exp(xs[i]!))).toBeLessThanOrEqual(1);
    }
  });

  it("rejects an unknown operation code", () => {
    expect(kernels.unary_f32(99, 0, 0, 0)).toBe(Status.unsupported);
  });
});

describe("unary_f64", () => {
  for (const name of Object.keys(UnaryOp) as Array<keyof typeof UnaryOp>) {
    if (name === "erf") continue;
    it(`${name}: lengths 0..33, specials`, () => {
      for (const n of LENGTHS) {
        arena.reset();
        const xs = Float64Array.from(inputs(n, n + 1).concat());
        const px = arena.put(xs);
        expect(kernels.unary_f64(UnaryOp[name], px, px, n)).toBe(Status.ok);
        const ys = arena.f64(px, n);
        for (let i = 0; i < n; i++) {
          const want: number = UNARY_REF[name](xs[i]!);
          const got = ys[i]!;
          // musl's libm and V8's fdlibm are each within ~1.5 ulp, so they may differ by a few ulps.
          if (!(sameValue(got, want) || Math.abs(got - want) <= 8e-16 * Math.abs(want))) expect.fail(`${name}(${xs[i]}) = ${got}, expected ${want}`);
        }
      }
    });
  }

  it("has no erf (the core's reference computes it) and says so", () => {
    expect(kernels.unary_f64(UnaryOp.erf, 0, 0, 0)).toBe(Status.unsupported);
  });
});

const BINARY_SPECIALS: Array<[number, number]> = [
  [1, NaN], [-1, Infinity], [-1, -Infinity], [0, -1], [-0, -1], [-8, 1 / 3], [2, 0.5], [NaN, 0], [0, 0], [Infinity, -Infinity],
  [-0, 0], [0, -0], [5, -0], [-5, 3], [5.5, 2], [-5.5, 2], [1e30, 1e-30], [3, Infinity], [NaN, NaN], [-2, 3],
];

/** Tolerated f32 error per binary op, in ulps. */
const BINARY_ULPS: Record<keyof typeof BinaryOp, number> = { add: 0.5, sub: 0.5, mul: 0.5, div: 0.5, max: 0, min: 0, pow: 1, rem: 0, atan2: 1.5 };

/** Pairs for length n: the specials first, then randoms. */
function pairs(n: number, seed: number): [number[], number[]] {
  const r = rng(seed);
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < n; i++) {
    const sp = BINARY_SPECIALS[i];
    if (sp && seed % 2 === 0) {
      a.push(sp[0]);
      b.push(sp[1]);
    } else {
      a.push((r() - 0.5) * 20);
      b.push((r() - 0.5) * 6);
    }
  }
  return [a, b];
}

describe("binary_f32 / binary_f64", () => {
  for (const name of Object.keys(BinaryOp) as Array<keyof typeof BinaryOp>) {
    it(`${name}: lengths 0..33 and 1000, specials, both dtypes`, () => {
      for (const n of LENGTHS) {
        arena.reset();
        const [a, b] = pairs(n, n);
        const a32 = Float32Array.from(a), b32 = Float32Array.from(b);
        const pa = arena.put(a32), pb = arena.put(b32), py = arena.alloc(n * 4);
        expect(kernels.binary_f32(BinaryOp[name], pa, pb, py, n)).toBe(Status.ok);
        const y32 = arena.f32(py, n);
        for (let i = 0; i < n; i++) {
          const want = BINARY_REF[name](a32[i]!, b32[i]!);
          const e = ulpError(y32[i]!, want);
          if (!(e <= BINARY_ULPS[name] || (want === 0 && y32[i] === 0))) expect.fail(`f32 ${name}(${a32[i]}, ${b32[i]}) = ${y32[i]}, expected ${want} (${e} ulp)`);
        }
        const a64 = Float64Array.from(a), b64 = Float64Array.from(b);
        const qa = arena.put(a64), qb = arena.put(b64);
        expect(kernels.binary_f64(BinaryOp[name], qa, qb, qa, n)).toBe(Status.ok);
        const y64 = arena.f64(qa, n);
        for (let i = 0; i < n; i++) {
          const want = BINARY_REF[name](a64[i]!, b64[i]!);
          const got = y64[i]!;
          if (!(sameValue(got, want) || Math.abs(got - want) <= 8e-16 * Math.abs(want))) expect.fail(`f64 ${name}(${a64[i]}, ${b64[i]}) = ${got}, expected ${want}`);
        }
      }
    });
  }

  // Fused programs reuse registers, so y may be either operand: each vector must be read before it is written.
  it("writes in place over either operand (f32), equal to the out-of-place result", () => {
    for (const n of [15, 16, 17, 33, 64, 1000]) {
      for (const name of ["add", "sub", "max"] as const) {
        arena.reset();
        const [a, b] = pairs(n, n + 1);
        const a32 = Float32Array.from(a), b32 = Float32Array.from(b);
        const pa = arena.put(a32), pb = arena.put(b32), py = arena.alloc(n * 4);
        kernels.binary_f32(BinaryOp[name], pa, pb, py, n);
        const want = Array.from(arena.f32(py, n));
        kernels.binary_f32(BinaryOp[name], pa, pb, pa, n);
        expect(Array.from(arena.f32(pa, n)), `${name} y = a, n = ${n}`).toEqual(want);
        arena.f32(pa, n).set(a32);
        kernels.binary_f32(BinaryOp[name], pa, pb, pb, n);
        expect(Array.from(arena.f32(pb, n)), `${name} y = b, n = ${n}`).toEqual(want);
      }
    }
  });

  it("rejects an unknown operation code", () => {
    expect(kernels.binary_f32(42, 0, 0, 0, 0)).toBe(Status.unsupported);
    expect(kernels.binary_f64(-1, 0, 0, 0, 0)).toBe(Status.unsupported);
  });
});
