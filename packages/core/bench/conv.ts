/**
 * Time the wasm backend's conv_general_dilated glue on the convs of a small CNN's training step
 * (batch 64, NCHW, 3×3 SAME): each layer's forward, input-gradient and filter-gradient conv, with the
 * params the transpose rules produce (captured by running `vjp` of `np.conv` on a logging backend).
 * Run: node --import tsx packages/core/bench/conv.ts [--before <conv.ts> <kernels.wasm>]
 * With --before, an older glue module and build are timed in the same process, interleaved, for an A/B.
 * The older glue must sit in this directory so it shares core's modules, e.g. for the committed one:
 *   git show HEAD:packages/core/src/backend/wasm/conv.ts | sed 's#"\.\./\.\./#"../src/#; s#"\.\./reference/#"../src/backend/reference/#;
 *     s#"\./context.js"#"../src/backend/wasm/context.js"#' > packages/core/bench/_conv-before.ts
 * Prints the median and best CPU time per call (ms, process CPU time so a busy machine skews it less) and the median's GFLOP/s.
 */
import process from "node:process";
import { loadKernels } from "@fluxion/kernels-asm";
import type { ConcreteArray } from "../src/array.js";
import type { ShapedArray } from "../src/aval.js";
import type { PrimParams } from "../src/primitives.js";
import { type Backend, setBackend } from "../src/backend/backend.js";
import { wasmBackend } from "../src/backend/wasm/backend.js";
import { wasmContext } from "../src/backend/wasm/context.js";
import { data as dataOf } from "../src/backend/reference/util.js";
import * as glue from "../src/backend/wasm/conv.js";
import { abVariants } from "./ab-variants.js";
import { seededF32 } from "./seeded.js";
import { np, vjp } from "../src/index.js";

type ConvParams = PrimParams["conv_general_dilated"];
const variants = await abVariants(glue);

/** Deterministic pseudo-random f32 data in [-1, 1). */
const data = (n: number, seed: number): Float32Array => seededF32(n, seed, (u) => u * 2 - 1);

type Call = { label: string; inputs: ConcreteArray[]; params: ConvParams; out: ShapedArray };

/** Every conv_general_dilated call of `vjp(conv)` for one layer, in the order forward, then the transposes. */
async function capture(x: number[], w: number[]): Promise<Call[]> {
  const wasm = (await wasmBackend())!;
  const calls: Call[] = [];
  const inner = wasm.kernels.conv_general_dilated!;
  const logging: Backend = {
    name: "logging",
    kernels: {
      ...wasm.kernels,
      conv_general_dilated: (inputs, params, out) => {
        calls.push({ label: "", inputs: [...inputs], params, out });
        return inner(inputs, params, out);
      },
    },
  };
  const prev = setBackend(logging);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const xs = np.array(data(size(x), 1)).reshape(x);
  const ws = np.array(data(size(w), 2)).reshape(w);
  const [y, back] = vjp((a, b) => np.conv(a, b, { padding: "SAME" }), xs, ws);
  back(np.onesLike(y));
  setBackend(prev);
  return calls;
}

const layers = [
  { name: "conv1", x: [64, 1, 28, 28], w: [32, 1, 3, 3], skipInputGrad: true },
  { name: "conv2", x: [64, 32, 14, 14], w: [64, 32, 3, 3], skipInputGrad: false },
];
const calls: Call[] = [];
for (const l of layers) {
  const cs = await capture(l.x, l.w);
  // vjp runs the forward, then the transposes; tell them apart by the output's shape.
  for (const c of cs) {
    const o = c.out.shape.join("x");
    const kind = o === l.x.join("x") ? "input grad" : o === l.w.join("x") ? "filter grad" : "forward";
    if (kind === "input grad" && l.skipInputGrad) continue;
    calls.push({ ...c, label: `${l.name} ${kind} ${o}` });
  }
}

const loaded = await Promise.all(variants.map(async (v) => {
  const k = await loadKernels(v.wasm);
  if (!k) throw new Error("no WebAssembly SIMD");
  return v.glue.wasmConv(wasmContext(k));
}));

/** CPU milliseconds of this process so far: unlike wall time, barely moved by other processes on a busy machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median and best CPU milliseconds per call of each variant, batches interleaved so load hits both alike. */
function time(fns: (() => unknown)[], reps: number): [number, number][] {
  const samples = fns.map(() => [] as number[]);
  for (const f of fns) for (let i = 0; i < 2; i++) f();
  for (let batch = 0; batch < 9; batch++) {
    fns.forEach((f, v) => {
      const t0 = cpuMs();
      for (let i = 0; i < reps; i++) f();
      samples[v]!.push((cpuMs() - t0) / reps);
    });
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return [s[s.length >> 1]!, s[0]!];
  });
}

/** Multiply-adds ×2 of a conv: every output element sums over in-features × window. */
function flops(c: Call): number {
  const rhs = c.inputs[1]!;
  const dn = c.params.dimensionNumbers;
  const win = dn.rhs.slice(1).reduce((p, d) => p * rhs.shape[d]!, 1);
  return 2 * c.out.size * win;
}

// Check the variants agree before timing them.
for (const c of calls) {
  const outs = loaded.map((f) => dataOf(f(c.inputs, c.params, c.out)) as Float32Array);
  for (let v = 1; v < outs.length; v++) {
    let err = 0, mag = 0;
    for (let i = 0; i < outs[0]!.length; i++) {
      err = Math.max(err, Math.abs(outs[v]![i]! - outs[0]![i]!));
      mag = Math.max(mag, Math.abs(outs[0]![i]!));
    }
    if (err > 1e-4 * Math.max(1, mag)) throw new Error(`${c.label}: variants differ by ${err} (magnitude ${mag})`);
  }
}
let totals = variants.map(() => 0);
for (const c of calls) {
  const t = time(loaded.map((f) => () => f(c.inputs, c.params, c.out)), 3);
  totals = totals.map((s, v) => s + t[v]![0]);
  const cells = t.map(([med, best], v) => `${variants[v]!.name} ${med.toFixed(2)} ms (best ${best.toFixed(2)}, ${(flops(c) / med / 1e6).toFixed(1)} GFLOP/s)`);
  console.log(`${c.label.padEnd(36)} ${cells.join("   ")}`);
}
console.log(`${"total".padEnd(36)} ${totals.map((s, v) => `${variants[v]!.name} ${s.toFixed(2)} ms`).join("   ")}`);
