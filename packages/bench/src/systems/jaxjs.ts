/** jax-js on its wasm device (`init("wasm")`), every array op awaited with `blockUntilReady`. */
import { type Array as JArray, init, jit, lax, numpy as np } from "@jax-js/jax";
import type { Thunk } from "../timing.js";
import type { Workload } from "../workloads.js";
import { type JParams, jCnn, jCnnParams, jMlp, jMlpParams, jOneHot, jSgdStep, jarr } from "./jaxjs-models.js";
import type { System } from "./system.js";

/** Run `f`, wait for its result and free it (jax-js dispatches asynchronously). */
const done = (f: () => JArray): Thunk => async () => {
  const y = await f().blockUntilReady();
  y.dispose();
};

/** A thunk running one SGD step of `forward` and waiting for the loss. */
function stepper(forward: (p: JParams, x: JArray) => JArray, params: JParams, x: JArray, y: JArray): Thunk {
  const step = jSgdStep(forward, 0.01);
  let p = params;
  return async () => {
    const [p2, l] = step(p, x.ref, y.ref);
    p = p2;
    await l.data();
  };
}

/** The jax-js system. */
export function jaxjs(): System {
  return {
    name: "jax-js",
    async setup() {
      const devices = await init("wasm");
      if (!devices.includes("wasm")) throw new Error(`jax-js: no wasm device (got ${devices.join(", ")})`);
      return `@jax-js/jax wasm device`;
    },
    async build(w: Workload): Promise<Thunk | string> {
      const z = w.size;
      switch (w.kind) {
        case "gemm": {
          const [a, b] = [jarr([z.n!, z.n!], 1), jarr([z.n!, z.n!], 2)];
          return done(() => np.matmul(a.ref, b.ref));
        }
        case "conv": {
          const x = jarr([z.batch!, z.cin!, z.hw!, z.hw!], 3);
          const k = jarr([z.cout!, z.cin!, z.k!, z.k!], 4, 0.1);
          return done(() => lax.conv(x.ref, k.ref, [1, 1], "SAME"));
        }
        case "tanh": {
          const [a, b] = [jarr([z.n!], 5), jarr([z.n!], 6)];
          // jit fuses the three elementwise ops into one kernel, jax-js's intended use.
          const f = jit((p: JArray, q: JArray) => np.tanh(p.mul(q).add(1)));
          return done(() => f(a.ref, b.ref));
        }
        case "chain": {
          const a = jarr([z.n!], 5);
          const f = jit((p: JArray) => {
            let y = p;
            for (let r = 0; r < z.rounds!; r++) y = np.minimum(np.maximum(y.mul(1.01).add(0.01), -3), 3);
            return y;
          });
          return done(() => f(a.ref));
        }
        case "sum": {
          const a = jarr([z.n!], 7);
          return done(() => np.sum(a.ref));
        }
        case "mlpStep":
          return stepper(jMlp, jMlpParams(), jarr([z.batch!, 784], 8), jOneHot(z.batch!, 9));
        case "cnnStep":
          return stepper(jCnn, jCnnParams(), jarr([z.batch!, 1, 28, 28], 8), jOneHot(z.batch!, 9));
        case "mlpEpoch":
        case "cnnEpoch":
          return "epochs compare Fluxion with TF.js wasm only";
      }
    },
  };
}
