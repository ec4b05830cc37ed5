/**
 * One system's run, in its own process (so WASM memories and threads of different libraries never
 * share a process): `tsx src/worker.ts <system> <out.jsonl> [workload ids…]`. Appends one JSON line per
 * workload, so a run cut short by the parent's time limit still leaves its finished results.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { measure } from "./timing.js";
import { workloads } from "./workloads.js";
import { loadSystem } from "./systems/registry.js";
import type { WorkerLine } from "./worker-line.js";


const [name, out, ...only] = process.argv.slice(2);
if (!name || !out) throw new Error("usage: worker.ts <system> <out.jsonl> [ids…]");
const emit = (line: WorkerLine) => appendFileSync(out, JSON.stringify(line) + "\n");
writeFileSync(out, "");
const system = await loadSystem(name);
emit({ type: "setup", system: name, description: await system.setup() });
for (const w of workloads.filter((w) => only.length === 0 || only.includes(w.id))) {
  try {
    const thunk = await system.build(w);
    if (typeof thunk === "string") {
      emit({ type: "skip", system: name, id: w.id, reason: thunk });
      continue;
    }
    const t = await measure(thunk, w);
    emit({ type: "result", system: name, id: w.id, ...t });
    process.stderr.write(`  ${name} ${w.id}: ${t.medianMs.toFixed(3)} ms (n=${t.samplesMs.length})\n`);
  } catch (e) {
    // A library lacking a kernel (e.g. a gradient on TF.js wasm) is a result to report, not a crash.
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 160);
    emit({ type: "skip", system: name, id: w.id, reason: `error: ${msg}` });
    process.stderr.write(`  ${name} ${w.id}: ${msg}\n`);
  }
}
