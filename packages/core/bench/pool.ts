/**
 * Time the wasm backend's pooling kernels (reduce_window and select_and_scatter_add) on the shapes of
 * a small CNN's max pooling, called directly with concrete arrays as the backend would call them.
 * Run: node --import tsx packages/core/bench/pool.ts [--before <pool.ts> <kernels.wasm>]
 * (for --before, copy the older glue into packages/core/bench/ with its imports pointed at ../src/, so
 * that it shares this process's core modules, and save the older build/kernels.wasm anywhere).
 * With --before, an older glue module and build are timed in the same process, interleaved, for an A/B.
 * Prints the median and best per call (ms) over interleaved batches.
 */
import { loadKernels } from "@fluxion/kernels-asm";
import { ConcreteArray } from "../src/array.js";
import { ShapedArray } from "../src/aval.js";
import type { PrimParams } from "../src/primitives.js";
import { wasmContext } from "../src/backend/wasm/context.js";
import * as glue from "../src/backend/wasm/pool.js";
import { abVariants } from "./ab-variants.js";
import { seededF32 } from "./seeded.js";

const variants = await abVariants(glue);

/** Deterministic pseudo-random f32 data with many ties (values on a coarse grid). */
const data = (n: number, seed: number): Float32Array => seededF32(n, seed, (u) => Math.round(u * 64 - 32) / 8);

const pool2 = { windowDimensions: [1, 1, 2, 2], windowStrides: [1, 1, 2, 2], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] as [number, number][] };
const cases = [
  { name: "64x32x28x28", x: [64, 32, 28, 28], y: [64, 32, 14, 14] },
  { name: "64x64x14x14", x: [64, 64, 14, 14], y: [64, 64, 7, 7] },
];

type Run = { label: string; fns: (() => unknown)[] };
const runs: Run[] = [];
const loaded = await Promise.all(variants.map(async (v) => {
  const k = await loadKernels(v.wasm);
  if (!k) throw new Error("no WebAssembly SIMD");
  const ctx = wasmContext(k);
  return { rw: v.glue.wasmReduceWindow(ctx, 64), ss: v.glue.wasmSelectAndScatterAdd(ctx, 64) };
}));
for (const c of cases) {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const x = new ConcreteArray(data(size(c.x), 1), c.x, "float32");
  const dy = new ConcreteArray(data(size(c.y), 2), c.y, "float32");
  const yAval = new ShapedArray(c.y, "float32"), xAval = new ShapedArray(c.x, "float32");
  const rwp: PrimParams["reduce_window"] = { op: "max", ...pool2 };
  const ssp: PrimParams["select_and_scatter_add"] = { op: "max", ...pool2 };
  runs.push({ label: `reduce_window max ${c.name}`, fns: loaded.map((l) => () => l.rw([x], rwp, yAval)) });
  runs.push({ label: `select_and_scatter_add ${c.name}`, fns: loaded.map((l) => () => l.ss([dy, x], ssp, xAval)) });
  runs.push({ label: `reduce_window min ${c.name}`, fns: loaded.map((l) => () => l.rw([x], { ...rwp, op: "min" }, yAval)) });
  runs.push({ label: `reduce_window sum ${c.name}`, fns: loaded.map((l) => () => l.rw([x], { ...rwp, op: "sum" }, yAval)) });
}

/** Median and best milliseconds per call of each variant, batches interleaved so load hits both alike. */
function time(fns: (() => unknown)[]): [number, number][] {
  const samples = fns.map(() => [] as number[]);
  for (const f of fns) for (let i = 0; i < 3; i++) f();
  for (let batch = 0; batch < 15; batch++) {
    fns.forEach((f, v) => {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) f();
      samples[v]!.push((performance.now() - t0) / 5);
    });
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return [s[s.length >> 1]!, s[0]!];
  });
}

for (const r of runs) {
  const t = time(r.fns);
  const cells = t.map(([med, best], v) => `${variants[v]!.name} ${med.toFixed(2)} ms (best ${best.toFixed(2)})`);
  console.log(`${r.label.padEnd(40)} ${cells.join("   ")}`);
}
