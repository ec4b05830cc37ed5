/** System names the suite knows, loaded lazily so each worker imports only its own library. */
import type { System } from "./system.js";

/** Every system, in table order; the first is the baseline for ratios. The pytorch-* ones run in python3 (see pytorch.ts); pytorch-* and onnxruntime-* are optional native references. */
export const systemNames = ["fluxion-jit", "fluxion-eager", "fluxion-jit-2t", "tfjs-wasm", "tfjs-cpu", "jax-js", "pytorch-1t", "pytorch-2t", "onnxruntime-1t", "onnxruntime-2t"] as const;

/** Import and construct the system called `name`. */
export async function loadSystem(name: string): Promise<System> {
  switch (name) {
    case "fluxion-jit":
      return (await import("./fluxion.js")).fluxion(true);
    case "fluxion-eager":
      return (await import("./fluxion.js")).fluxion(false);
    case "fluxion-jit-2t":
      return (await import("./fluxion.js")).fluxion(true, 2);
    case "tfjs-wasm":
      return (await import("./tfjs.js")).tfjs("wasm");
    case "tfjs-cpu":
      return (await import("./tfjs.js")).tfjs("cpu");
    case "jax-js":
      return (await import("./jaxjs.js")).jaxjs();
    case "onnxruntime-1t":
      return (await import("./onnxruntime.js")).onnxruntime(1);
    case "onnxruntime-2t":
      return (await import("./onnxruntime.js")).onnxruntime(2);
    case "pytorch-1t":
    case "pytorch-2t":
      // Timed inside Python, so there is no JS System: main.ts launches python/torch_bench.py instead.
      throw new Error(`${name} runs as python/torch_bench.py, not in the tsx worker`);
    default:
      throw new Error(`unknown system ${name}`);
  }
}
