/**
 * `pnpm bench`: runs every system in its own child process (a `tsx` worker, or python3 for the
 * PyTorch reference), one after another (never two at once on a 2-core machine), then writes
 * results/latest.{md,json} and prints the table and ratios.
 * Benchmarks report; nothing here fails on a timing. Options: BENCH_SYSTEMS=a,b, BENCH_ONLY=id,id, and
 * BENCH_ROUNDS=n (default 1): run every system n times, round-robin, pooling each workload's samples.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./launch.js";
import { type Report, markdownTable, ratios } from "./report.js";
import { systemNames } from "./systems/registry.js";
import { type WorkerLine, parseWorkerLines, poolRounds } from "./worker-line.js";
import { workloads } from "./workloads.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Wall-clock budget per system; a worker past it is stopped and keeps what it finished. */
const perSystemMs = Number(process.env.BENCH_SYSTEM_TIMEOUT_S ?? 200) * 1000;
const systems = process.env.BENCH_SYSTEMS?.split(",") ?? [...systemNames];
const only = process.env.BENCH_ONLY?.split(",") ?? [];
const selected = workloads.filter((w) => only.length === 0 || only.includes(w.id));
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const scratch = mkdtempSync(join(tmpdir(), "fluxion-bench-"));

/** One process of system `name` in round `round` (0-based): its JSON lines, or the lines saying why it could not run. */
function runSystem(name: string, round: number): WorkerLine[] {
  const out = join(scratch, `${name}-${round}.jsonl`);
  console.error(`[bench] ${name}${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ""}…`);
  const how = launch(name, out, selected, only);
  if ("lines" in how) {
    // An optional system that cannot run here (e.g. no PyTorch): recorded as skipped, never a failure.
    console.error(`[bench] ${name}: ${how.lines[0]?.type === "setup" ? how.lines[0].description : "skipped"}`);
    return how.lines;
  }
  const t0 = performance.now();
  const r = spawnSync(how.command, how.args, { env: how.env, stdio: ["ignore", "ignore", "inherit"], timeout: perSystemMs, killSignal: "SIGKILL" });
  console.error(`[bench] ${name} finished in ${((performance.now() - t0) / 1000).toFixed(0)} s${r.status === 0 ? "" : ` (exit ${r.status ?? r.signal})`}`);
  const lines = existsSync(out) ? parseWorkerLines(readFileSync(out, "utf8")) : [];
  if (!lines.some((l) => l.type === "setup")) lines.unshift({ type: "setup", system: name, description: `did not start (exit ${r.status ?? r.signal})` });
  return lines;
}

// Round-robin (every system once, then again) so a slow stretch of the shared machine hits all systems alike.
const raw: WorkerLine[] = [];
for (let round = 0; round < rounds; round++) for (const name of systems) raw.push(...runSystem(name, round));
const lines = poolRounds(raw);

const report: Report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
  rounds,
  systems: lines.flatMap((l) => (l.type === "setup" ? [{ name: l.system, description: l.description }] : [])),
  workloads: [...selected],
  results: lines.filter((l) => l.type === "result"),
  skipped: lines.filter((l) => l.type === "skip"),
};
const md = markdownTable(report);
const resultsDir = join(here, "..", "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "latest.md"), `# Fluxion benchmarks\n\n${md}\n`);
writeFileSync(join(resultsDir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
console.log(md);
console.log();
console.log(ratios(report, systems[0]!));
console.log(`\nwritten: ${join(resultsDir, "latest.md")} and latest.json`);
