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
