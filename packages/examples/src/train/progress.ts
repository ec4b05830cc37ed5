/** A terminal progress bar for training loops (cli-progress); silent when stdout is not a TTY. */
import { SingleBar } from "cli-progress";

/** Minimal progress reporting interface used by the examples. */
export type Progress = { update(done: number, info?: Record<string, string>): void; stop(): void };

/** A bar of `total` steps labelled `label`; a no-op when not attached to a terminal (CI, pipes, tests). */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stdout): Progress {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} {info}`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    clearOnComplete: true,
    stream,
  });
  bar.start(total, 0, { info: "" });
  return {
    update: (done, info) => bar.update(done, { info: info ? Object.entries(info).map(([k, v]) => `${k}=${v}`).join(" ") : "" }),
    stop: () => bar.stop(),
  };
}
