/** Turns the workers' lines into the results table (markdown), ratios against Fluxion, and JSON. */
import type { WorkerLine } from "./worker-line.js";
import type { Workload } from "./workloads.js";

/** Everything one run measured, as written to results/latest.json. */
export type Report = {
  date: string;
  machine: string;
  /** Processes per system whose samples were pooled (BENCH_ROUNDS); absent in reports from before it existed. */
  rounds?: number;
  systems: { name: string; description: string }[];
  workloads: Workload[];
  results: Extract<WorkerLine, { type: "result" }>[];
  skipped: Extract<WorkerLine, { type: "skip" }>[];
};

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** One cell: median ms (and GFLOP/s where the workload counts flops), or why it has none. */
function cell(r: Report, system: string, w: Workload): string {
  const res = r.results.find((x) => x.system === system && x.id === w.id);
  if (res) return w.flops ? `${fmtMs(res.medianMs)} ms (${(w.flops / res.medianMs / 1e6).toFixed(1)} GF/s)` : `${fmtMs(res.medianMs)} ms`;
  const skip = r.skipped.find((x) => x.system === system && x.id === w.id);
  return skip ? (skip.reason.startsWith("error") ? "fails¹" : "—") : "not run²";
}

/** Why the PyTorch columns differ in kind from the others, printed under the table when they are present. */
const pytorchNote =
  "The pytorch-* columns are a native reference, not a JS peer: eager PyTorch CPU with 1 or 2 intra-op threads, run by " +
  "python3 outside Node (python/torch_bench.py) on the same shapes, inputs and timing method (time.perf_counter). GEMM and " +
  "dense layers go through whichever BLAS the install links (named above: Debian's default is the slow netlib reference, " +
  "libopenblas0 replaces it), convolutions through oneDNN. Models are torch.nn modules with optim.SGD (lr 0.01) for steps " +
  "and optim.Adam (1e-3) for epochs. The system is optional: without python3-torch its workloads read \"not installed\".";

/** Why the ONNX Runtime columns differ in kind, and why they have no training rows. */
const onnxruntimeNote =
  "The onnxruntime-* columns are a native reference too: ONNX Runtime's CPU execution provider through onnxruntime-node, " +
  "each workload an ONNX graph of the same ops on the same inputs (src/systems/onnxruntime.ts), timed in Node around " +
  "`session.run` (which copies the output into a JS typed array). It runs inference only, so the training rows read \"—\". " +
  "Optional: `corepack pnpm --filter @fluxion/bench install-native` installs it.";

/** The markdown table: one row per workload, one column per system, medians. */
export function markdownTable(r: Report): string {
  const names = r.systems.map((s) => s.name);
  const lines = [`| workload | ${names.join(" | ")} |`, `| --- | ${names.map(() => "---:").join(" | ")} |`];
  for (const w of r.workloads) lines.push(`| ${w.label} | ${names.map((n) => cell(r, n, w)).join(" | ")} |`);
  const errors = r.skipped.filter((s) => s.reason.startsWith("error")).map((s) => `- ${s.system} ${s.id}: ${s.reason.slice(7)}`);
  return [
    `Medians of repeated runs after warm-up${(r.rounds ?? 1) > 1 ? `, samples pooled from ${r.rounds} processes per system run round-robin` : ""}; ${r.machine}; ${r.date}.`,
    "",
    ...lines,
    "",
    "— not measured by design (see JSON `skipped`). ¹ the library raised an error:",
    ...errors,
    "² the worker ran out of its time budget before this workload.",
    "",
    ...r.systems.map((s) => `- **${s.name}**: ${s.description}`),
    ...(r.systems.some((s) => s.name.startsWith("pytorch")) ? ["", pytorchNote] : []),
    ...(r.systems.some((s) => s.name.startsWith("onnxruntime")) ? ["", onnxruntimeNote] : []),
  ].join("\n");
}

/** Speed of each system relative to `base` per workload (>1 means faster than base). */
export function ratios(r: Report, base: string): string {
  const out: string[] = [`Speed relative to ${base} (base time / system time; > 1 is faster than ${base}):`];
  for (const w of r.workloads) {
    const b = r.results.find((x) => x.system === base && x.id === w.id);
    if (!b) continue;
    const parts = r.systems
      .filter((s) => s.name !== base)
      .map((s) => {
        const x = r.results.find((y) => y.system === s.name && y.id === w.id);
        return x ? `${s.name} ${(b.medianMs / x.medianMs).toFixed(2)}×` : null;
      })
      .filter(Boolean);
    out.push(`  ${w.id.padEnd(22)} ${parts.join("  ")}`);
  }
  return out.join("\n");
}
