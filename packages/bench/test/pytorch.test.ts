/** The optional PyTorch reference without PyTorch: JSON-lines parsing, launch choice and the skip-everything path. Needs no torch, times nothing. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launch } from "../src/launch.js";
import { notInstalled, pythonCandidates, pytorchLaunch } from "../src/systems/pytorch.js";
import { systemNames } from "../src/systems/registry.js";
import { parseWorkerLines, skippedAll } from "../src/worker-line.js";
import { workloads } from "../src/workloads.js";

const ids = workloads.map((w) => w.id);
const script = join(import.meta.dirname, "..", "python", "torch_bench.py");
const hasPython3 = spawnSync("python3", ["-c", "pass"], { stdio: "ignore" }).status === 0;

describe("pytorch reference system", () => {
  it("is registered after the JS systems, one and two threads, before ONNX Runtime", () => {
    expect(systemNames.slice(-4)).toEqual(["pytorch-1t", "pytorch-2t", "onnxruntime-1t", "onnxruntime-2t"]);
    expect(systemNames[0]).toBe("fluxion-jit");
  });

  it("parses worker JSON lines, dropping blanks and a line cut short by a killed worker", () => {
    const text = ['{"type":"setup","system":"s","description":"d"}', "", '{"type":"result","system":"s","id":"a","samplesMs":[1,3],"medianMs":2,"minMs":1}', '{"type":"sk'].join("\n");
    expect(parseWorkerLines(text)).toEqual([
      { type: "setup", system: "s", description: "d" },
      { type: "result", system: "s", id: "a", samplesMs: [1, 3], medianMs: 2, minMs: 1 },
    ]);
  });

  it("skips every workload with the reason when no interpreter can import torch", () => {
    const how = pytorchLaunch("pytorch-1t", "/unused.jsonl", workloads, ["/nonexistent/python3"]);
    expect(how).toEqual({ lines: skippedAll("pytorch-1t", notInstalled, ids) });
    if (!("lines" in how)) return;
    expect(how.lines[0]).toEqual({ type: "setup", system: "pytorch-1t", description: "not installed (python3-torch)" });
    expect(how.lines.slice(1).map((l) => (l.type === "skip" ? [l.id, l.reason] : l.type))).toEqual(ids.map((id) => [id, notInstalled]));
  });

  it("tries BENCH_PYTHON alone when set, else python3 and Debian's", () => {
    expect(pythonCandidates({ BENCH_PYTHON: "/opt/py" })).toEqual(["/opt/py"]);
    expect(pythonCandidates({})).toEqual(["python3", "/usr/bin/python3"]);
  });

  it("keeps the tsx worker for the JS systems", () => {
    const how = launch("tfjs-wasm", "/o.jsonl", workloads, ["gemm64"]);
    expect(how).toMatchObject({ command: process.execPath, args: ["--import", "tsx", expect.stringMatching(/worker\.ts$/), "tfjs-wasm", "/o.jsonl", "gemm64"] });
  });

  // `python3 -S` leaves out site- and dist-packages, so torch cannot load even where it is installed.
  it.skipIf(!hasPython3)("torch_bench.py writes the same skip lines when torch fails to import", () => {
    const out = join(mkdtempSync(join(tmpdir(), "torch-bench-test-")), "out.jsonl");
    const env = { ...process.env, PYTHONPATH: "" };
    const r = spawnSync("python3", ["-S", script, "pytorch-2t", "2", out, JSON.stringify(workloads.slice(0, 2))], { env, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(parseWorkerLines(readFileSync(out, "utf8"))).toEqual(skippedAll("pytorch-2t", notInstalled, ids.slice(0, 2)));
  });
});
