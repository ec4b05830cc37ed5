/** MNIST as Fluxion arrays: images [n, 1, 28, 28] (or [n, 784]) float32 in [0, 1], labels int32 [n]. */
import { np } from "@fluxion/core";
import type { Labelled } from "./split.js";
import { loadMnist } from "./mnist.js";

/** All 10,000 digits as arrays; `flat` gives [n, 784] for MLPs, otherwise NCHW [n, 1, 28, 28]. */
export function mnistArrays(opts: { flat?: boolean } = {}): Labelled {
  const raw = loadMnist();
  const x = np.array(raw.images).reshape(opts.flat ? [raw.n, 784] : [raw.n, 1, 28, 28]);
  return { x, y: np.array(raw.labels) };
}
