/**
 * Accuracy of the f32 transcendental kernels: a dense sweep over each function's f32 domain
 * (about 2·10^6 inputs spread evenly over the bit patterns, so every binade is sampled) against the
 * float64 definition, in f32 ulps of the exact value. The bounds asserted are the ones claimed in
 * the package's documentation.
 */
import { describe, expect, it } from "vitest";
import { UnaryOp } from "../src/index.js";
import { UNARY_REF } from "./_reference.js";
import { arena, kernels, ulpError } from "./_kernels.js";

const f32bits = new Float32Array(1);
const u32bits = new Uint32Array(f32bits.buffer);
const bitsOf = (x: number): number => ((f32bits[0] = x), u32bits[0]!);

/** About `count` f32 values evenly spaced in bit-pattern order over [lo, hi] (either sign). */
function sweep(lo: number, hi: number, count: number): Float32Array {
  const parts: number[][] = [];
  const half = (a: number, b: number, sign: number, n: number) => {
    const ba = bitsOf(a), bb = bitsOf(b);
    const step = Math.max(1, Math.floor((bb - ba) / n));
    const out: number[] = [];
    for (let u = ba; u <= bb; u += step) {
      u32bits[0] = u;
      out.push(sign * f32bits[0]!);
    }
    parts.push(out);
  };
  if (lo < 0) half(0, -lo, -1, hi > 0 ? count / 2 : count);
  if (hi > 0) half(Math.max(0, lo), hi, 1, lo < 0 ? count / 2 : count);
  return Float32Array.from(parts.flat());
}

/** Largest ulp error of unary op `name` over `xs`, and where. */
function maxUlp(name: keyof typeof UnaryOp, xs: Float32Array): { ulp: number; at: number } {
  arena.reset();
  const p = arena.put(xs);
  expect(kernels.unary_f32(UnaryOp[name], p, p, xs.length)).toBe(0);
  const ys = arena.f32(p, xs.length).slice();
  const ref = UNARY_REF[name];
  let worst = { ulp: 0, at: NaN };
  for (let i = 0; i < xs.length; i++) {
    const e = ulpError(ys[i]!, ref(xs[i]!));
    if (e > worst.ulp) worst = { ulp: e, at: xs[i]! };
  }
  return worst;
}

/** Claimed maximum error (f32 ulps) and the swept domain of each SIMD transcendental. */
const CLAIMS: Array<{ name: keyof typeof UnaryOp; lo: number; hi: number; bound: number; count?: number }> = [
  { name: "exp", lo: -104, hi: 89, bound: 1 },
  { name: "expm1", lo: -104, hi: 89, bound: 1.5 },
  { name: "log", lo: 0, hi: 3.4e38, bound: 1 },
  { name: "log1p", lo: -1, hi: 3.4e38, bound: 1.5 },
  { name: "tanh", lo: -12, hi: 12, bound: 1.5 },
  { name: "logistic", lo: -105, hi: 20, bound: 1.5 },
  { name: "erf", lo: -5, hi: 5, bound: 1.5 },
  { name: "sqrt", lo: 0, hi: 3.4e38, bound: 0.5 },
  { name: "rsqrt", lo: 0, hi: 3.4e38, bound: 0.5 },
  // The scalar family runs musl's single-precision libm (through AssemblyScript's Mathf).
  { name: "sin", lo: -1e5, hi: 1e5, bound: 1, count: 200_000 },
  { name: "cos", lo: -1e5, hi: 1e5, bound: 1, count: 200_000 },
  { name: "tan", lo: -1e5, hi: 1e5, bound: 1, count: 200_000 },
  { name: "asin", lo: -1, hi: 1, bound: 1.5, count: 200_000 },
  { name: "acos", lo: -1, hi: 1, bound: 1, count: 200_000 },
  { name: "atan", lo: -1e30, hi: 1e30, bound: 1, count: 200_000 },
  { name: "sinh", lo: -90, hi: 90, bound: 2, count: 200_000 },
  { name: "cosh", lo: -90, hi: 90, bound: 1.5, count: 200_000 },
];

describe("transcendental accuracy (dense f32 sweep vs float64)", () => {
  for (const { name, lo, hi, bound, count } of CLAIMS) {
    it(`${name} is within ${bound} ulp on [${lo}, ${hi}]`, () => {
      const worst = maxUlp(name, sweep(lo, hi, count ?? 2_000_000));
      console.log(`ulp ${name}: max ${worst.ulp.toFixed(3)} at ${worst.at}`);
      expect(worst.ulp, `${name} at ${worst.at}`).toBeLessThanOrEqual(bound);
    });
  }

  it("subnormal inputs and outputs are handled (log of subnormals, exp into the subnormal range)", () => {
    const xs = sweep(1e-45, 1.1754942e-38, 100_000);
    expect(maxUlp("log", xs).ulp).toBeLessThanOrEqual(1);
    expect(maxUlp("exp", sweep(-103.9, -87.3, 100_000)).ulp).toBeLessThanOrEqual(1);
  });
});
