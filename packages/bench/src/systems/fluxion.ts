/** Fluxion on its wasm backend, eager or with every workload wrapped in `jit`. */
import { type NdArray, jit, np, random, setBackend, valueAndGrad, wasmBackend } from "@fluxion/core";
import { type Layer, softmaxCrossEntropy } from "@fluxion/nn";
import { type GradientTransformation, adam, applyUpdates, sgd } from "@fluxion/optim";
import { floats, labels } from "../data.js";
import type { Thunk } from "../timing.js";
import type { Workload } from "../workloads.js";
import { examplesCnn, mlp, smallCnn } from "./fluxion-models.js";
import type { System } from "./system.js";

const arr = (n: number[], seed: number, scale = 1): NdArray => np.reshape(np.array(floats(n.reduce((a, b) => a * b, 1), seed, scale)), n);
const ints = (n: number, seed: number): NdArray => np.array(labels(n, 10, seed));

/** A training step (loss, gradients, optimiser update) for `model`, jitted or not; returns a thunk that runs it and syncs on the loss. */
function trainer(model: Layer, inShape: number[], opt: GradientTransformation<never>, compile: boolean) {
  const lossFn = (p: unknown, x: NdArray, y: NdArray) => np.mean(softmaxCrossEntropy(model.apply(p as never, x), y));
  const raw = (p: unknown, s: unknown, x: NdArray, y: NdArray) => {
    const [loss, g] = valueAndGrad(lossFn)(p, x, y) as [NdArray, unknown];
    const [updates, s2] = opt.update(g as never, s as never, p as never);
    return [applyUpdates(p as never, updates), s2, loss];
  };
  const step = (compile ? jit(raw) : raw) as typeof raw;
  let params: unknown = model.init(random.key(0), [1, ...inShape]);
  let state: unknown = opt.init(params as never);
  return (x: NdArray, y: NdArray): NdArray => {
    const [p, s, loss] = step(params, state, x, y) as [unknown, unknown, NdArray];
    params = p;
    state = s;
    return loss;
  };
}

/** One epoch over `n` synthetic examples in batches, like packages/examples' loop (minus shuffling and evaluation). */
function epoch(model: Layer, inShape: number[], n: number, batch: number, compile: boolean): Thunk {
  const x = arr([n, ...inShape], 11);
  const y = ints(n, 12);
  const run = trainer(model, inShape, adam(1e-3) as never, compile);
  run(np.slice(x, [0, batch]), np.slice(y, [0, batch])); // compile outside the timing
  return () => {
    let loss: NdArray | undefined;
    for (let s = 0; s + batch <= n; s += batch) loss = run(np.slice(x, [s, s + batch]), np.slice(y, [s, s + batch]));
    return loss!.item();
  };
}

/** The Fluxion system; `compile` wraps every workload in `jit`; `threads` > 1 runs large GEMMs and convs on a worker pool. */
export function fluxion(compile: boolean, threads = 1): System {
  const maybeJit = <F extends (...a: never[]) => unknown>(f: F): F => (compile ? (jit(f as never) as unknown as F) : f);
  return {
    name: `fluxion-${compile ? "jit" : "eager"}${threads > 1 ? `-${threads}t` : ""}`,
    async setup() {
      const be = await wasmBackend({ threads });
      if (!be) throw new Error("Fluxion wasm backend unavailable (no WebAssembly SIMD)");
      setBackend(be);
      return `Fluxion wasm backend, ${compile ? "jit" : "eager"}${threads > 1 ? `, ${threads} threads` : ""}`;
    },
    async build(w: Workload): Promise<Thunk | string> {
      const z = w.size;
      switch (w.kind) {
        case "gemm": {
          const [a, b] = [arr([z.n!, z.n!], 1), arr([z.n!, z.n!], 2)];
          const f = maybeJit((p: NdArray, q: NdArray) => np.matmul(p, q));
          return () => f(a, b);
        }
        case "conv": {
          const x = arr([z.batch!, z.cin!, z.hw!, z.hw!], 3);
          const k = arr([z.cout!, z.cin!, z.k!, z.k!], 4, 0.1);
          const f = maybeJit((p: NdArray, q: NdArray) => np.conv(p, q, { padding: "SAME" }));
          return () => f(x, k);
        }
        case "tanh": {
          const [a, b] = [arr([z.n!], 5), arr([z.n!], 6)];
          const f = maybeJit((p: NdArray, q: NdArray) => np.tanh(np.add(np.multiply(p, q), 1)));
          return () => f(a, b);
        }
        case "chain": {
          const a = arr([z.n!], 5);
          const f = maybeJit((p: NdArray) => {
            let y = p;
            for (let r = 0; r < z.rounds!; r++) y = np.minimum(np.maximum(y.mul(1.01).add(0.01), -3), 3);
            return y;
          });
          return () => f(a);
        }
        case "sum": {
          const a = arr([z.n!], 7);
          const f = maybeJit((p: NdArray) => np.sum(p));
          return () => f(a).item();
        }
        case "mlpStep": {
          const run = trainer(mlp(), [784], sgd(0.01) as never, compile);
          const [x, y] = [arr([z.batch!, 784], 8), ints(z.batch!, 9)];
          return () => run(x, y).item();
        }
        case "cnnStep": {
          const run = trainer(smallCnn(), [1, 28, 28], sgd(0.01) as never, compile);
          const [x, y] = [arr([z.batch!, 1, 28, 28], 8), ints(z.batch!, 9)];
          return () => run(x, y).item();
        }
        case "mlpEpoch":
          // The examples train with a jitted step; an eager epoch adds nothing the eager step does not show.
          return compile ? epoch(mlp(), [784], z.n!, z.batch!, true) : "epochs run jitted only (as packages/examples does)";
        case "cnnEpoch":
          return compile ? epoch(examplesCnn(), [1, 28, 28], z.n!, z.batch!, true) : "epochs run jitted only (as packages/examples does)";
      }
    },
  };
}
