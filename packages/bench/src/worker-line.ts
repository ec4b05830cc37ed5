import { median } from "./timing.js";

/** One line of a worker's JSONL output. */
export type WorkerLine =
  | { type: "setup"; system: string; description: string }
  | { type: "result"; system: string; id: string; samplesMs: number[]; medianMs: number; minMs: number }
  | { type: "skip"; system: string; id: string; reason: string };

/** A worker's JSONL output as lines; a line cut short by a killed worker is dropped, not fatal. */
export function parseWorkerLines(text: string): WorkerLine[] {
  return text.split("\n").flatMap((l) => {
    try {
      return l.trim() ? [JSON.parse(l) as WorkerLine] : [];
    } catch {
      return [];
    }
  });
}

/** The lines of a system that cannot run at all: its setup line, then every workload skipped for `reason`. */
export function skippedAll(system: string, reason: string, ids: readonly string[]): WorkerLine[] {
  return [{ type: "setup", system, description: reason }, ...ids.map((id): WorkerLine => ({ type: "skip", system, id, reason }))];
}

/**
 * Lines of several rounds (one process per system per round) as one round: a workload's samples from
 * every round pooled into one median, as pyperf pools its worker processes, so the state of a single
 * process (where its memory landed, a noisy neighbour during its minute) weighs less. A workload
 * measured in any round counts as measured; setup lines and skips are kept from their first round.
 */
export function poolRounds(lines: readonly WorkerLine[]): WorkerLine[] {
  const key = (l: WorkerLine) => `${l.system}\u0000${l.type === "setup" ? "" : l.id}`;
  const results = new Map<string, Extract<WorkerLine, { type: "result" }>>();
  for (const l of lines) {
    if (l.type !== "result") continue;
    const prev = results.get(key(l));
    const samplesMs = [...(prev?.samplesMs ?? []), ...l.samplesMs];
    results.set(key(l), { ...l, samplesMs, medianMs: median(samplesMs), minMs: Math.min(...samplesMs) });
  }
  const seen = new Set<string>();
  const out: WorkerLine[] = [];
  for (const l of lines) {
    const k = `${l.type === "setup" ? "s" : "w"}${key(l)}`;
    if (seen.has(k) || (l.type === "skip" && results.has(key(l)))) continue;
    seen.add(k);
    out.push(l.type === "result" ? results.get(key(l))! : l);
  }
  return out;
}
