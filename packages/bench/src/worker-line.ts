/** One line of a worker's JSONL output. */
export type WorkerLine =
  | { type: "setup"; system: string; description: string }
  | { type: "result"; system: string; id: string; samplesMs: number[]; medianMs: number; minMs: number }
  | { type: "skip"; system: string; id: string; reason: string };
