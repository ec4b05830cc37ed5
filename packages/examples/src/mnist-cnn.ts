/**
 * MNIST CNN (seed 000 §9.11): "three rounds of conv plus maxPool layers, followed by a fully
 * connected dense linear layer to a 10 class softMax layer", trained with Adam on a seeded split of
 * the `mnist` package's 10,000 digits (8,000 train / 2,000 held out). Prints `test_accuracy=…`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { random } from "@fluxion/core";
import { conv2d, dense, flatten, maxPool, relu, serial, summary } from "@fluxion/nn";
import { adam, cosineDecay } from "@fluxion/optim";
import { mnistArrays } from "./data/mnist-arrays.js";
import { trainTestSplit } from "./data/split.js";
import { type TrainResult, trainClassifier } from "./train/classifier.js";
import { resultsDir } from "./train/results.js";
import { useFastestBackend } from "./train/backend.js";

/** Options of the CNN example (defaults reproduce the documented run). */
export type MnistCnnOptions = { epochs?: number; trainSize?: number; testSize?: number; batchSize?: number; seed?: number; learningRate?: number; plot?: boolean; log?: boolean };

/** The network: conv(16)-pool-conv(32)-pool-conv(32)-pool-dense(10), 3×3 SAME convolutions, ReLU. */
export function mnistCnn() {
  return serial(
    conv2d(16, 3, { padding: "SAME" }), relu, maxPool(2),
    conv2d(32, 3, { padding: "SAME" }), relu, maxPool(2),
    conv2d(32, 3, { padding: "SAME" }), relu, maxPool(2),
    flatten(), dense(10),
  );
}

/** Train and evaluate; returns the history and, when plotting, the SVG/PNG paths. */
export async function runMnistCnn(opts: MnistCnnOptions = {}): Promise<TrainResult<unknown> & { testAccuracy: number }> {
  const backend = await useFastestBackend();
  const seed = opts.seed ?? 0;
  const [dataKey, initKey] = [random.foldIn(random.key(seed), 1), random.foldIn(random.key(seed), 2)];
  const [train, test] = trainTestSplit(dataKey, mnistArrays(), opts.testSize ?? 2000, opts.trainSize);
  const model = mnistCnn();
  const params = model.init(initKey, [1, 1, 28, 28]);
  if (opts.log ?? true) console.log(`backend: ${backend}`);
  if (opts.log ?? true) console.log(summary(model, [1, 1, 28, 28], { params }).text);
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const epochs = opts.epochs ?? 6;
  const batchSize = opts.batchSize ?? 64;
  // Cosine decay over the whole run: large steps early, fine ones to settle at the end.
  const steps = epochs * Math.floor(train.y.shape[0]! / batchSize);
  const schedule = cosineDecay(opts.learningRate ?? 3e-3, steps, { alpha: 0.05 });
  const result = await trainClassifier(model, params, adam(schedule), train, test, {
    name: "mnist-cnn",
    epochs,
    batchSize,
    seed,
    log: opts.log ?? true,
    ...(opts.plot === false ? {} : { plotBase: join(dir, "mnist-cnn") }),
  });
  return { ...result, testAccuracy: result.history.at(-1)!.testAccuracy };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const epochs = Number(process.env.EPOCHS ?? 6);
  const r = await runMnistCnn({ epochs });
  if (r.plot) console.log(`curves: ${r.plot.join(" and ")}`);
  console.log(`test_accuracy=${r.testAccuracy.toFixed(3)}`);
}
