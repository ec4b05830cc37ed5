/**
 * onnxruntime-node (native ONNX Runtime, CPU execution provider) as an optional native reference, like
 * PyTorch: not a workspace dependency (its package is ~290 MB), installed on demand into
 * packages/bench/native by `corepack pnpm --filter @fluxion/bench install-native`. ONNX Runtime in Node
 * runs inference only, so the training workloads are skipped with that reason.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { floats } from "../data.js";
import type { Thunk } from "../timing.js";
import type { Workload } from "../workloads.js";
import { type Graph, onnxModel } from "./onnx-model.js";
import type { System } from "./system.js";

/** Intra-op thread count of each onnxruntime system, by name. */
export const onnxruntimeThreads: Readonly<Record<string, number>> = { "onnxruntime-1t": 1, "onnxruntime-2t": 2 };

/** Setup description and skip reason when the package is not installed. */
export const ortNotInstalled = "not installed (corepack pnpm --filter @fluxion/bench install-native)";

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "native");

/** Where onnxruntime-node resolves from: the workspace (if a user added it) or packages/bench/native; undefined if neither. */
export function findOnnxRuntime(): string | undefined {
  for (const from of [import.meta.url, pathToFileURL(join(nativeDir, "package.json")).href]) {
    try {
      return createRequire(from).resolve("onnxruntime-node");
    } catch {
      // Not installed at this location; try the next.
    }
  }
  return undefined;
}

// The subset of onnxruntime-node's API used here (its types are not available without the package).
type OrtTensor = { data: Float32Array };
type OrtSession = { run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> };
type Ort = {
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtSession> };
  env: { versions?: { common?: string } };
};

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The graph and input seeds of workload `w` (the same shapes and numbers as every other system), or a reason it cannot run. */
function graphOf(w: Workload): { graph: Graph; seeds: { seed: number; scale?: number }[] } | string {
  const z = w.size;
  switch (w.kind) {
    case "gemm":
      return {
        graph: { inputs: [{ name: "a", shape: [z.n!, z.n!] }, { name: "b", shape: [z.n!, z.n!] }], nodes: [{ op: "MatMul", inputs: ["a", "b"], output: "y" }], output: "y" },
        seeds: [{ seed: 1 }, { seed: 2 }],
      };
    case "conv": {
      const pad = (z.k! - 1) >> 1; // SAME for an odd kernel at stride 1
      return {
        graph: {
          inputs: [{ name: "x", shape: [z.batch!, z.cin!, z.hw!, z.hw!] }, { name: "w", shape: [z.cout!, z.cin!, z.k!, z.k!] }],
          nodes: [{ op: "Conv", inputs: ["x", "w"], output: "y", attributes: [{ name: "kernel_shape", ints: [z.k!, z.k!] }, { name: "pads", ints: [pad, pad, pad, pad] }] }],
          output: "y",
        },
        seeds: [{ seed: 3 }, { seed: 4, scale: 0.1 }],
      };
    }
    case "tanh":
      return {
        graph: {
          inputs: [{ name: "a", shape: [z.n!] }, { name: "b", shape: [z.n!] }],
          constants: [{ name: "one", value: 1 }],
          nodes: [
            { op: "Mul", inputs: ["a", "b"], output: "p" },
            { op: "Add", inputs: ["p", "one"], output: "q" },
            { op: "Tanh", inputs: ["q"], output: "y" },
          ],
          output: "y",
        },
        seeds: [{ seed: 5 }, { seed: 6 }],
      };
    case "sum":
      return {
        graph: { inputs: [{ name: "a", shape: [z.n!] }], nodes: [{ op: "ReduceSum", inputs: ["a"], output: "y", attributes: [{ name: "keepdims", int: 0 }] }], output: "y" },
        seeds: [{ seed: 7 }],
      };
    case "chain": {
      const nodes = Array.from({ length: z.rounds! }, (_, r) => {
        const [x, t] = [r === 0 ? "a" : `y${r - 1}`, (s: string) => `${s}${r}`];
        return [
          { op: "Mul", inputs: [x, "c_mul"], output: t("m") },
          { op: "Add", inputs: [t("m"), "c_add"], output: t("s") },
          { op: "Max", inputs: [t("s"), "c_lo"], output: t("h") },
          { op: "Min", inputs: [t("h"), "c_hi"], output: `y${r}` },
        ];
      }).flat();
      return {
        graph: {
          inputs: [{ name: "a", shape: [z.n!] }],
          constants: [{ name: "c_mul", value: 1.01 }, { name: "c_add", value: 0.01 }, { name: "c_lo", value: -3 }, { name: "c_hi", value: 3 }],
          nodes,
          output: `y${z.rounds! - 1}`,
        },
        seeds: [{ seed: 5 }],
      };
    }
    default:
      return "inference only (onnxruntime-node has no training API)";
  }
}

/** The onnxruntime system with `threads` intra-op threads (graph optimisations on, sequential execution). */
export function onnxruntime(threads: number): System {
  let ort: Ort | undefined;
  return {
    name: `onnxruntime-${threads}t`,
    async setup() {
      const path = findOnnxRuntime();
      if (!path) throw new Error(ortNotInstalled);
      const mod = (await import(pathToFileURL(path).href)) as Ort & { default?: Ort };
      ort = mod.default ?? mod;
      const version = ort.env.versions?.common ?? "?";
      return `ONNX Runtime ${version} (onnxruntime-node, CPU execution provider, ${threads} intra-op thread${threads > 1 ? "s" : ""}; native reference, inference only)`;
    },
    async build(w: Workload): Promise<Thunk | string> {
      const spec = graphOf(w);
      if (typeof spec === "string") return spec;
      const session = await ort!.InferenceSession.create(onnxModel(spec.graph), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
      const feeds = Object.fromEntries(
        spec.graph.inputs.map((x, i) => [x.name, new ort!.Tensor("float32", floats(size(x.shape), spec.seeds[i]!.seed, spec.seeds[i]!.scale ?? 1), x.shape)]),
      );
      const out = spec.graph.output;
      // run() resolves once the output is computed and copied into a JS typed array.
      return async () => (await session.run(feeds))[out]!.data;
    },
  };
}
