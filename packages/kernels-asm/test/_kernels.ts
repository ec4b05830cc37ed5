/**
 * Shared by the kernel tests: build the module when a source is newer than it, load it once per
 * worker, and compare results. Not a test file itself (vitest collects *.test.ts only).
 */
import { setFlagsFromString } from "node:v8";
import process from "node:process";
import { expect } from "vitest";
import { build } from "../scripts/build.mjs";
import { Arena, type KernelBuild, type KernelExports, kernelsUrl, loadKernels } from "../src/index.js";

await build({ onlyIfStale: true });
// Node 20 validates relaxed SIMD only behind this flag; setting it at run time is enough for modules
// compiled afterwards, so the relaxed build is tested without restarting node.
setFlagsFromString("--experimental-wasm-relaxed-simd");

/** One single-memory build, loaded, with its arena. */
export type LoadedBuild = { name: KernelBuild; kernels: KernelExports; arena: Arena };

async function load(name: KernelBuild): Promise<LoadedBuild> {
  const k = await loadKernels(kernelsUrl(name));
  if (!k) throw new Error("this runtime has no WebAssembly SIMD: the kernel tests cannot run");
  return { name, kernels: k, arena: new Arena(k) };
}

/** Both single-memory builds: the kernels whose code differs between them (GEMM, conv) are tested on each. */
export const builds: readonly LoadedBuild[] = [await load("kernels"), await load("kernels-relaxed")];

// The rest of the tests run on the plain build, or on the one FLUXION_KERNELS_BUILD names.
const chosen = (process.env.FLUXION_KERNELS_BUILD ?? "kernels") as KernelBuild;
const selected = builds.find((b) => b.name === chosen) ?? (await load(chosen));

/** The instantiated module. */
export const kernels: KernelExports = selected.kernels;

/** Its arena (tests reset it between cases). */
export const arena = selected.arena;

/** A seeded uniform generator in [0, 1) (mulberry32), so every failure reproduces. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n f32 values uniform in [lo, hi). */
export function uniformF32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** n f64 values uniform in [lo, hi). */
export function uniformF64(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** True when a and b are the same number, NaN equal to NaN and −0 equal to +0. */
export function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Expect |actual[i] − expected[i]| ≤ abs + rel·|expected[i]| elementwise, with NaN matching NaN and
 * infinities matching exactly; reports the first offending index.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: { abs?: number; rel?: number } = {}, what = ""): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  const abs = tol.abs ?? 0;
  const rel = tol.rel ?? 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (sameValue(a, e)) continue;
    const ok = Number.isFinite(e) && Number.isFinite(a) && Math.abs(a - e) <= abs + rel * Math.abs(e);
    if (!ok) expect.fail(`${what}[${i}]: got ${a}, expected ${e} (abs ${abs}, rel ${rel})`);
  }
}

/** Distance in f32 ulps between `got` (an f32) and the exact value `ref`; 0 when both are the same non-finite value. */
export function ulpError(got: number, ref: number): number {
  const r32 = Math.fround(ref);
  if (!Number.isFinite(r32) || Number.isNaN(ref)) return sameValue(got, r32) ? 0 : Infinity;
  if (!Number.isFinite(got)) return Infinity;
  const a = Math.abs(ref);
  let e = a === 0 ? -126 : Math.floor(Math.log2(a));
  if (a !== 0) {
    if (2 ** e > a) e--;
    if (2 ** (e + 1) <= a) e++;
  }
  return Math.abs(got - ref) / 2 ** (Math.max(e, -126) - 23);
}
