/** How main.ts starts each system: the tsx worker for the JS libraries and ONNX Runtime, python3 for the PyTorch reference. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Launch, pytorchLaunch, pytorchThreads } from "./systems/pytorch.js";
import { findOnnxRuntime, onnxruntimeThreads, ortNotInstalled } from "./systems/onnxruntime.js";
import { skippedAll } from "./worker-line.js";
import type { Workload } from "./workloads.js";

const worker = join(dirname(fileURLToPath(import.meta.url)), "worker.ts");

/**
 * The command that runs system `name` on the selected workloads `ws` and writes its JSON lines to `out`
 * (or the lines themselves if it cannot run). The tsx worker filters by the BENCH_ONLY ids `only` itself.
 */
export function launch(name: string, out: string, ws: readonly Workload[], only: readonly string[]): Launch {
  if (Object.hasOwn(pytorchThreads, name)) return pytorchLaunch(name, out, ws);
  // Optional like PyTorch: without the package every workload reads "not installed", never a failure.
  if (Object.hasOwn(onnxruntimeThreads, name) && !findOnnxRuntime()) return { lines: skippedAll(name, ortNotInstalled, ws.map((w) => w.id)) };
  return { command: process.execPath, args: ["--import", "tsx", worker, name, out, ...only] };
}
