/** TensorFlow.js (tfjs-core) on its wasm (XNNPACK, SIMD) or pure-JS cpu backend. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients and its ESM register_all_gradients cannot load in
// Node (directory imports); the umbrella package's Node bundle registers them on this same tfjs-core.
import "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { floats } from "../data.js";
import type { Thunk } from "../timing.js";
import type { Workload } from "../workloads.js";
import type { System } from "./system.js";
import { tfCnn, tfData, tfMlp, tfStep } from "./tfjs-models.js";

const t = (shape: number[], seed: number, scale = 1) => tf.tensor(floats(shape.reduce((a, b) => a * b, 1), seed, scale), shape);

/** Run `f` in a tidy scope and free its result: both backends compute synchronously, so returning means done. */
const tidy = (f: () => tf.Tensor): Thunk => () => tf.tidy(f).dispose();

/** An epoch of `n` examples in batches of `batch`, Adam, sliced from one dataset like the Fluxion loop. */
function epoch(net: ReturnType<typeof tfMlp>, shape: number[], n: number, batch: number): Thunk {
  const [x, y] = tfData([n, ...shape], 11);
  const opt = tf.train.adam(1e-3);
  const stepAt = (s: number) => {
    const [xb, yb] = tf.tidy(() => [tf.slice(x, s, batch), tf.slice(y, s, batch)]);
    tfStep(net, opt, xb!, yb!);
    tf.dispose([xb!, yb!]);
  };
  stepAt(0); // warm the kernels outside the timing
  return () => {
    for (let s = 0; s + batch <= n; s += batch) stepAt(s);
  };
}

/** The TF.js system on `backend`. */
export function tfjs(backend: "wasm" | "cpu"): System {
  return {
    name: `tfjs-${backend}`,
    async setup() {
      if (backend === "wasm") {
        // The .wasm binaries ship in the npm package; point the loader at them instead of a CDN.
        const pkg = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json");
        setWasmPaths(join(dirname(pkg), "dist") + "/");
      }
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
      await tf.ready();
      return `TF.js ${tf.version_core} ${tf.getBackend()}${backend === "wasm" ? ` (threads: ${tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT")}, simd: ${tf.env().getBool("WASM_HAS_SIMD_SUPPORT")})` : ""}`;
    },
    async build(w: Workload): Promise<Thunk | string> {
      const z = w.size;
      switch (w.kind) {
        case "gemm": {
          const [a, b] = [t([z.n!, z.n!], 1), t([z.n!, z.n!], 2)];
          return tidy(() => tf.matMul(a, b));
        }
        case "conv": {
          const x = t([z.batch!, z.hw!, z.hw!, z.cin!], 3) as tf.Tensor4D;
          const k = t([z.k!, z.k!, z.cin!, z.cout!], 4, 0.1) as tf.Tensor4D;
          return tidy(() => tf.conv2d(x, k, 1, "same"));
        }
        case "tanh": {
          const [a, b] = [t([z.n!], 5), t([z.n!], 6)];
          return tidy(() => tf.tanh(tf.add(tf.mul(a, b), 1)));
        }
        case "chain": {
          const a = t([z.n!], 5);
          return tidy(() => {
            let y: tf.Tensor = a;
            for (let r = 0; r < z.rounds!; r++) y = tf.minimum(tf.maximum(tf.add(tf.mul(y, 1.01), 0.01), -3), 3);
            return y;
          });
        }
        case "sum": {
          const a = t([z.n!], 7);
          return () => tf.tidy(() => tf.sum(a).dataSync()[0]);
        }
        case "mlpStep": {
          const [net, [x, y], opt] = [tfMlp(), tfData([z.batch!, 784], 8), tf.train.sgd(0.01)];
          return () => tfStep(net, opt, x, y);
        }
        case "cnnStep": {
          const [net, [x, y], opt] = [tfCnn([32, 64]), tfData([z.batch!, 28, 28, 1], 8), tf.train.sgd(0.01)];
          return () => tfStep(net, opt, x, y);
        }
        case "mlpEpoch":
          return backend === "wasm" ? epoch(tfMlp(), [784], z.n!, z.batch!) : "epochs compare Fluxion with TF.js wasm only";
        case "cnnEpoch":
          return backend === "wasm" ? epoch(tfCnn([16, 32, 32]), [28, 28, 1], z.n!, z.batch!) : "epochs compare Fluxion with TF.js wasm only";
      }
    },
  };
}
