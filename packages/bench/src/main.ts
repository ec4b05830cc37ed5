/**
 * `pnpm bench`: runs every system in its own child process (a `tsx` worker, or python3 for the
 * PyTorch reference), one after another (never two at once on a 2-core machine), then writes
 * results/latest.{md,json} and prints the table and ratios.
 * Benchmarks report; nothing here fails on a timing. Options: BENCH_SYSTEMS=a,b and BENCH_ONLY=id,id.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./launch.js";
import { type Report, markdownTable, ratios } from "./report.js";
import { systemNames } from "./systems/registry.js";
import { type WorkerLine, parseWorkerLines } from "./worker-line.js";
import { workloads } from "./workloads.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Wall-clock budget per system; a worker past it is stopped and keeps what it finished. */
const perSystemMs = Number(process.env.BENCH_SYSTEM_TIMEOUT_S ?? 200) * 1000;
const systems = process.env.BENCH_SYSTEMS?.split(",") ?? [...systemNames];
const only = process.env.BENCH_ONLY?.split(",") ?? [];
const selected = workloads.filter((w) => only.length === 0 || only.includes(w.id));
const scratch = mkdtempSync(join(tmpdir(), "fluxion-bench-"));

const lines: WorkerLine[] = [];
for (const name of systems) {
  const out = join(scratch, `${name}.jsonl`);
  console.error(`[bench] ${name}…`);
  const how = launch(name, out, selected, only);
  if ("lines" in how) {
    // An optional system that cannot run here (e.g. no PyTorch): recorded as skipped, never a failure.
    console.error(`[bench] ${name}: ${how.lines[0]?.type === "setup" ? how.lines[0].description : "skipped"}`);
    lines.push(...how.lines);
    continue;
  }
  const t0 = performance.now();
  const r = spawnSync(how.command, how.args, { env: how.env, stdio: ["ignore", "ignore", "inherit"], timeout: perSystemMs, killSignal: "SIGKILL" });
  console.error(`[bench] ${name} finished in ${((performance.now() - t0) / 1000).toFixed(0)} s${r.status === 0 ? "" : ` (exit ${r.status ?? r.signal})`}`);
  if (existsSync(out)) lines.push(...parseWorkerLines(readFileSync(out, "utf8")));
  if (!lines.some((l) => l.type === "setup" && l.system === name)) lines.push({ type: "setup", system: name, description: `did not start (exit ${r.status ?? r.signal})` });
}

const report: Report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
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
