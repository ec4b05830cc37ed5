/**
 * Time the raw pooling kernels (max forward and backward, f32 and f64) on the shapes of a small CNN's
 * 2×2 / stride-2 max pooling, plus a 3×3 / stride-2 padded (overlapping) case, with operands already
 * in the arena. Run: node --import tsx packages/kernels-asm/bench/pool.ts [--before <kernels.wasm>]
 * With --before, an older build is timed in the same process, batches interleaved, for an A/B.
 * Prints the median and best per call (ms).
 */
import process from "node:process";
import { readFileSync } from "node:fs";
import { build } from "../scripts/build.mjs";
import { Arena, type KernelExports, encodePool, kernelsUrl, loadKernels, pool2d } from "../src/index.js";

await build({ onlyIfStale: true });
const at = process.argv.indexOf("--before");
const sources: [string, URL | Uint8Array][] = [["now", kernelsUrl("kernels")]];
if (at >= 0) sources.unshift(["before", readFileSync(process.argv[at + 1]!)]);
const builds = await Promise.all(sources.map(async ([name, src]) => {
  const k = await loadKernels(src);
  if (!k) throw new Error("no WebAssembly SIMD in this runtime");
  return { name, k, arena: new Arena(k) };
}));

type Case = { label: string; bhw: [number, number, number]; k: [number, number]; s: [number, number]; pad: [[number, number], [number, number]] };
const cases: Case[] = [
  { label: "2x2/2 64x32x28x28", bhw: [64 * 32, 28, 28], k: [2, 2], s: [2, 2], pad: [[0, 0], [0, 0]] },
  { label: "2x2/2 64x64x14x14", bhw: [64 * 64, 14, 14], k: [2, 2], s: [2, 2], pad: [[0, 0], [0, 0]] },
  { label: "3x3/2 pad 1 64x32x28x28", bhw: [64 * 32, 28, 28], k: [3, 3], s: [2, 2], pad: [[1, 1], [1, 1]] },
];

/** Per build, a closure running `kernel` once on freshly staged operands of case `c`. */
function setup(b: (typeof builds)[number], c: Case, f64: boolean, backward: boolean): () => void {
  const g = pool2d(c.bhw, c.k, c.s, c.pad);
  const nx = g.b * g.h * g.w, ny = g.b * g.oh * g.ow, sz = f64 ? 8 : 4;
  const geom = b.arena.putI32(encodePool(g));
  const px = b.arena.alloc(nx * sz), pdy = b.arena.alloc(ny * sz), py = b.arena.alloc(ny * sz), pdx = b.arena.alloc(nx * sz);
  const xs = f64 ? b.arena.f64(px, nx) : b.arena.f32(px, nx);
  for (let i = 0; i < nx; i++) xs[i] = Math.round(Math.sin(i * 12.9898) * 16) / 4;
  const dys = f64 ? b.arena.f64(pdy, ny) : b.arena.f32(pdy, ny);
  for (let i = 0; i < ny; i++) dys[i] = Math.cos(i);
  const k: KernelExports = b.k;
  if (backward) {
    const fn = f64 ? k.maxpool2d_backward_f64 : k.maxpool2d_backward_f32;
    return () => fn(geom, px, pdy, pdx);
  }
  const fn = f64 ? k.maxpool2d_f64 : k.maxpool2d_f32;
  return () => fn(geom, px, py);
}

/** Median and best ms per call of each closure, batches interleaved. */
function time(fns: (() => void)[]): [number, number][] {
  const samples = fns.map(() => [] as number[]);
  for (const f of fns) for (let i = 0; i < 3; i++) f();
  for (let batch = 0; batch < 15; batch++) {
    fns.forEach((f, v) => {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) f();
      samples[v]!.push((performance.now() - t0) / 5);
    });
  }
  return samples.map((s) => (s.sort((a, b) => a - b), [s[s.length >> 1]!, s[0]!]));
}

for (const c of cases) {
  for (const f64 of [false, true]) {
    for (const backward of [false, true]) {
      for (const b of builds) b.arena.reset();
      const t = time(builds.map((b) => setup(b, c, f64, backward)));
      const label = `${backward ? "maxpool backward" : "maxpool forward "} ${f64 ? "f64" : "f32"} ${c.label}`;
      console.log(`${label.padEnd(48)} ${t.map(([m, best], i) => `${builds[i]!.name} ${m.toFixed(2)} ms (best ${best.toFixed(2)})`).join("   ")}`);
    }
  }
}
