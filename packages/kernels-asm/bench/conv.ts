/**
 * Conv kernel throughput on the shapes of a small CNN's training step (batch 64, NCHW, 3×3 SAME, f32):
 * the module's forward and filter-gradient passes called directly (no core glue, no copies), next to a
 * 256³ GEMM as the yardstick of what the machine gives right now.
 * Run: node --import tsx packages/kernels-asm/bench/conv.ts [other.wasm …]
 * Times the plain SIMD build, and each further module given (e.g. a saved earlier build) interleaved
 * with it for an A/B. Prints the median and best GFLOP/s over 15 batches per case and module (the best
 * is the steadier figure on a shared machine).
 */
import { type ConvGeometry, type KernelExports, encodeConv, nchwConv } from "../src/index.js";
import { type BenchModule, benchModules } from "./modules.js";

const modules = await benchModules();

type Module = BenchModule;

/** Median and best GFLOP/s of each module's `run`, which does `flop` floating-point operations; batches interleaved. */
function rates(flop: number, runs: (() => unknown)[]): [number, number][] {
  const reps = runs.map((run) => {
    run();
    const t0 = performance.now();
    run();
    return Math.max(1, Math.round(40 / Math.max(0.01, performance.now() - t0)));
  });
  const samples = runs.map(() => [] as number[]);
  for (let b = 0; b < 15; b++) {
    runs.forEach((run, v) => {
      const t = performance.now();
      for (let i = 0; i < reps[v]!; i++) run();
      samples[v]!.push((flop * reps[v]!) / ((performance.now() - t) * 1e6));
    });
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return [s[s.length >> 1]!, s[s.length - 1]!];
  });
}

const fill = (m: Module, p: number, n: number) => m.arena.f32(p, n).forEach((_, i, a) => (a[i] = Math.sin(i)));

function report(label: string, flop: number, runs: (() => unknown)[]): void {
  const cells = rates(flop, runs).map(([med, best], v) => `${modules[v]!.name} ${med.toFixed(1)} (best ${best.toFixed(1)})`);
  console.log(`${label.padEnd(34)} ${cells.join("   ")} GFLOP/s`);
}

/** Time one pass of conv geometry `g` on every module. */
function conv(label: string, g: ConvGeometry, pass: "forward" | "filter"): void {
  const nx = g.n * g.c * g.h * g.w, ny = g.n * g.o * g.oh * g.ow, nw = g.o * (g.c / g.groups) * g.kh * g.kw;
  const runs = modules.map((m) => {
    m.arena.reset();
    const px = m.arena.alloc(nx * 4), py = m.arena.alloc(ny * 4), pw = m.arena.alloc(nw * 4);
    fill(m, px, nx);
    fill(m, py, ny);
    fill(m, pw, nw);
    const geom = m.arena.putI32(encodeConv(g));
    const k: KernelExports = m.k;
    return pass === "forward" ? () => k.conv2d_forward_f32(geom, px, pw, py) : () => k.conv2d_backward_filter_f32(geom, px, py, pw);
  });
  report(label, 2 * ny * (g.c / g.groups) * g.kh * g.kw, runs);
}

{
  const n = 256;
  const runs = modules.map((m) => {
    m.arena.reset();
    const a = m.arena.alloc(n * n * 4), b = m.arena.alloc(n * n * 4), c = m.arena.alloc(n * n * 4);
    fill(m, a, n * n);
    fill(m, b, n * n);
    return () => m.k.gemm_f32(n, n, n, a, n, 1, b, n, 1, 0, c, n, 1);
  });
  report("gemm 256³ (yardstick)", 2 * n ** 3, runs);
}
const same: { padding: [[number, number], [number, number]] } = { padding: [[1, 1], [1, 1]] };
conv("conv1 forward 1→32 @28", nchwConv([64, 1, 28, 28], [32, 1, 3, 3], same), "forward");
conv("conv1 filter gradient", nchwConv([64, 1, 28, 28], [32, 1, 3, 3], same), "filter");
conv("conv2 forward 32→64 @14", nchwConv([64, 32, 14, 14], [64, 32, 3, 3], same), "forward");
conv("conv2 input gradient (64→32 fwd)", nchwConv([64, 64, 14, 14], [32, 64, 3, 3], same), "forward");
conv("conv2 filter gradient", nchwConv([64, 32, 14, 14], [64, 32, 3, 3], same), "filter");
// Winograd's crossover: small channel counts and small images.
for (const [c, o, hw] of [[4, 8, 28], [8, 8, 28], [8, 16, 28], [16, 16, 14], [16, 32, 14], [64, 64, 7], [128, 128, 7], [64, 64, 4]] as const) {
  conv(`forward ${c}→${o} @${hw}`, nchwConv([64, c, hw, hw], [o, c, 3, 3], same), "forward");
  if (c >= 8 && o <= 16) conv(`filter gradient ${c}→${o} @${hw}`, nchwConv([64, c, hw, hw], [o, c, 3, 3], same), "filter");
}
