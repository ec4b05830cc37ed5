/**
 * PyTorch CPU as an optional native reference. It is not a `System`: its timing loop must run inside
 * Python, so main.ts starts python/torch_bench.py in place of the tsx worker, and that script writes
 * the same JSON lines. Without an interpreter that can import torch, every workload is skipped.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type WorkerLine, skippedAll } from "../worker-line.js";
import type { Workload } from "../workloads.js";

/** Thread count of each PyTorch system, by name. */
export const pytorchThreads: Readonly<Record<string, number>> = { "pytorch-1t": 1, "pytorch-2t": 2 };

/** Setup description and skip reason when no interpreter can import torch (named after the Debian package). */
export const notInstalled = "not installed (python3-torch)";

/** How main.ts runs one system: a command line, or the lines to record when it cannot run at all. */
export type Launch = { command: string; args: string[]; env?: NodeJS.ProcessEnv } | { lines: WorkerLine[] };

const script = fileURLToPath(new URL("../../python/torch_bench.py", import.meta.url));

/** Interpreters to try: BENCH_PYTHON if set, else python3 on PATH, then Debian's own (apt's python3-torch is there even when pyenv or a venv shadows it). */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.BENCH_PYTHON ? [env.BENCH_PYTHON] : ["python3", "/usr/bin/python3"];
}

/** The first of `candidates` that exists and can import torch, or undefined. */
export function findTorchPython(candidates: readonly string[]): string | undefined {
  return candidates.find((py) => spawnSync(py, ["-c", "import torch"], { stdio: "ignore", timeout: 120_000 }).status === 0);
}

/** The launch of PyTorch system `name` on `ws`, writing JSON lines to `out`. */
export function pytorchLaunch(name: string, out: string, ws: readonly Workload[], candidates = pythonCandidates()): Launch {
  const python = findTorchPython(candidates);
  if (!python) return { lines: skippedAll(name, notInstalled, ws.map((w) => w.id)) };
  const n = String(pytorchThreads[name] ?? 1);
  // The script sets these too; setting them here also covers threads started by imports before its own code runs.
  const env = { ...process.env, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n };
  return { command: python, args: [script, name, n, out, JSON.stringify(ws)], env };
}
