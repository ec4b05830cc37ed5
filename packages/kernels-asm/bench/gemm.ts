/**
 * GEMM throughput of the wasm kernels: C = A·B for square n×n f32 (and f64) matrices, single thread,
 * then f32 on the worker pool (`--threads N`, default 2; `--threads 1` skips it).
 * Run: node --import tsx packages/kernels-asm/bench/gemm.ts   (plain SIMD build)
 *      node --experimental-wasm-relaxed-simd --import tsx packages/kernels-asm/bench/gemm.ts   (relaxed FMA build)
 * Prints which build ran, and the median and the best of 7 timed batches per size (the best is the
 * steadier figure on a shared machine; the median is what a user sees).
 */
import process from "node:process";
import { build } from "../scripts/build.mjs";
import { Arena, KernelPool, kernelsUrl, loadKernels, preferredBuild } from "../src/index.js";

await build({ onlyIfStale: true });
const chosen = preferredBuild();
const kernels = await loadKernels(kernelsUrl(chosen));
if (!kernels) throw new Error("no WebAssembly SIMD in this runtime");
const arena = new Arena(kernels);
const threadsArg = process.argv.indexOf("--threads");
const threads = threadsArg >= 0 ? Number(process.argv[threadsArg + 1]) : 2;

/** Median and best GFLOP/s of `gemm` on n×n operands, with A and/or B transposed through the strides. */
function measure(dtype: "f32" | "f64", n: number, ta = false, tb = false): [number, number] {
  arena.reset();
  const bytes = dtype === "f32" ? 4 : 8;
  const a = arena.alloc(n * n * bytes), b = arena.alloc(n * n * bytes), c = arena.alloc(n * n * bytes);
  const fill = dtype === "f32" ? arena.f32(a, 2 * n * n) : arena.f64(a, 2 * n * n);
  for (let i = 0; i < n * n; i++) fill[i] = Math.sin(i);
  (dtype === "f32" ? arena.f32(b, n * n) : arena.f64(b, n * n)).forEach((_, i, arr) => (arr[i] = Math.cos(i)));
  const gemm = dtype === "f32" ? kernels!.gemm_f32 : kernels!.gemm_f64;
  const [rsa, csa] = ta ? [1, n] : [n, 1];
  const [rsb, csb] = tb ? [1, n] : [n, 1];
  const run = () => gemm(n, n, n, a, rsa, csa, b, rsb, csb, 0, c, n, 1);
  return rate(n, run);
}

/** Median and best GFLOP/s of `run` (one n³ product). */
function rate(n: number, run: () => unknown): [number, number] {
  run();
  // Batches of about 0.2 s each.
  const t0 = performance.now();
  run();
  const once = Math.max(performance.now() - t0, 1e-3);
  const reps = Math.max(1, Math.round(200 / once));
  const rates: number[] = [];
  for (let s = 0; s < 7; s++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) run();
    const ms = (performance.now() - start) / reps;
    rates.push((2 * n * n * n) / (ms * 1e6));
  }
  rates.sort((x, y) => x - y);
  return [rates[3]!, rates[6]!];
}

const sizes = [64, 128, 256, 512, 1024];
console.log(`build: ${chosen}.wasm (${chosen.includes("relaxed") ? "relaxed SIMD, f32x4.relaxed_madd" : "SIMD128, mul + add"})`);
console.log("GEMM C = A·B, square n, single thread, GFLOP/s as median / best (N: as stored, T: transposed via strides)");
console.log("   n      f32 NN      f32 NT      f32 TN      f32 TT      f64 NN");
for (const n of sizes) {
  const cols = [measure("f32", n), measure("f32", n, false, true), measure("f32", n, true, false), measure("f32", n, true, true), measure("f64", n)];
  console.log(`${String(n).padStart(4)} ${cols.map(([med, best]) => `${med.toFixed(1)} / ${best.toFixed(1)}`.padStart(11)).join(" ")}`);
}

if (threads > 1) {
  const pool = await KernelPool.create({ threads });
  if (!pool) throw new Error("no shared memory / worker threads in this runtime");
  const pk = pool.kernels;
  const parena = new Arena(pk);
  console.log(`\nf32 NN on ${pool.build}.wasm: 1 thread vs ${threads} threads (worker pool, row blocks of C), GFLOP/s median / best`);
  console.log("   n    1 thread   ${threads} threads   speedup (medians)".replace("${threads}", String(threads)));
  for (const n of [256, 384, 512, 768, 1024]) {
    parena.reset();
    const a = parena.alloc(n * n * 4), b = parena.alloc(n * n * 4), c = parena.alloc(n * n * 4);
    parena.f32(a, n * n).forEach((_, i, arr) => (arr[i] = Math.sin(i)));
    parena.f32(b, n * n).forEach((_, i, arr) => (arr[i] = Math.cos(i)));
    const one = rate(n, () => pk.gemm_f32(n, n, n, a, n, 1, b, n, 1, 0, c, n, 1));
    const many = rate(n, () => pool.gemm(false, n, n, n, a, n, 1, b, n, 1, 0, c, n, 1));
    const fmt = ([med, best]: [number, number]) => `${med.toFixed(1)} / ${best.toFixed(1)}`.padStart(11);
    console.log(`${String(n).padStart(4)} ${fmt(one)} ${fmt(many)} ${(many[0] / one[0]).toFixed(2).padStart(8)}×`);
  }
}
