/**
 * Time of the f32 transcendental kernels (exp, tanh, logistic, erf over 10^6 elements in [−3, 3]) and
 * of a full f32 sum of 10^7 elements (folded from one 256 KiB window in cache, and streamed from a JS
 * array a window at a time, as the core's eager `sum` does), operands already in the arena.
 * Run: node --import tsx packages/kernels-asm/bench/math.ts [other.wasm …]
 * Times the plain SIMD build, and each further module given (e.g. a saved earlier build) interleaved
 * with it for an A/B. Prints the median and best milliseconds per call over 25 rounds.
 */
import { ReduceOp, UnaryOp } from "../src/index.js";
import { benchModules } from "./modules.js";

const modules = await benchModules();

const N_MATH = 1_000_000;
const N_SUM = 10_000_000;
const WINDOW = 1 << 16;
const mathInput = Float32Array.from({ length: N_MATH }, (_, i) => Math.sin(i) * 3);
const sumInput = Float32Array.from({ length: N_SUM }, (_, i) => Math.sin(i));

/** Per module: closures for each case, over operands staged once. */
const cases = modules.map(({ k, arena }) => {
  const px = arena.put(mathInput);
  const py = arena.alloc(N_MATH * 4);
  const acc = arena.alloc(8);
  const win = arena.alloc(WINDOW * 4);
  arena.f32(win, WINDOW).set(sumInput.subarray(0, WINDOW));
  const unary = (op: number) => () => k.unary_f32(op, px, py, N_MATH);
  return {
    "exp 1e6": unary(UnaryOp.exp),
    "tanh 1e6": unary(UnaryOp.tanh),
    "logistic 1e6": unary(UnaryOp.logistic),
    "erf 1e6": unary(UnaryOp.erf),
    "sum 1e7, folded in cache": () => {
      for (let at = 0; at < N_SUM; at += WINDOW) k.reduce_fold_f32(ReduceOp.sum, win, Math.min(WINDOW, N_SUM - at), acc);
    },
    "sum 1e7, streamed from JS": () => {
      for (let at = 0; at < N_SUM; at += WINDOW) {
        const n = Math.min(WINDOW, N_SUM - at);
        arena.f32(win, n).set(sumInput.subarray(at, at + n));
        k.reduce_fold_f32(ReduceOp.sum, win, n, acc);
      }
    },
  };
});

console.log(`modules: ${modules.map((m) => m.name).join(", ")} — ms per call, median (best)`);
for (const name of Object.keys(cases[0]!) as (keyof (typeof cases)[0])[]) {
  const samples = modules.map(() => [] as number[]);
  for (const c of cases) c[name]();
  for (let round = 0; round < 25; round++) {
    cases.forEach((c, v) => {
      const t0 = performance.now();
      c[name]();
      samples[v]!.push(performance.now() - t0);
    });
  }
  const cells = samples.map((s) => (s.sort((a, b) => a - b), `${s[s.length >> 1]!.toFixed(3)} (${s[0]!.toFixed(3)})`));
  console.log(`${name.padEnd(26)} ${cells.join("   ")}`);
}
