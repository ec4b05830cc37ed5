/**
 * MNIST MLP 784-256-128-10 with ReLU and Adam (seed 000 §8.7), on a seeded 8,000 / 2,000 split of
 * the `mnist` package's digits. Prints `test_accuracy=…` and writes loss/accuracy curves.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { random } from "@fluxion/core";
import { dense, dropout, relu, serial, summary } from "@fluxion/nn";
import { adam, cosineDecay } from "@fluxion/optim";
import { mnistArrays } from "./data/mnist-arrays.js";
import { trainTestSplit } from "./data/split.js";
import { type TrainResult, trainClassifier } from "./train/classifier.js";
import { resultsDir } from "./train/results.js";
import { useFastestBackend } from "./train/backend.js";

/** Options of the MLP example. */
export type MnistMlpOptions = { epochs?: number; trainSize?: number; testSize?: number; batchSize?: number; seed?: number; learningRate?: number; plot?: boolean; log?: boolean };

/** The network: dense(256)-relu-dropout-dense(128)-relu-dropout-dense(10) (dropout only when training). */
export function mnistMlp(dropoutRate = 0.3) {
  return serial(dense(256), relu, dropout(dropoutRate), dense(128), relu, dropout(dropoutRate), dense(10));
}

/** Train and evaluate the MLP. */
export async function runMnistMlp(opts: MnistMlpOptions = {}): Promise<TrainResult<unknown> & { testAccuracy: number }> {
  const backend = await useFastestBackend();
  const seed = opts.seed ?? 0;
  const [dataKey, initKey] = [random.foldIn(random.key(seed), 1), random.foldIn(random.key(seed), 2)];
  const [train, test] = trainTestSplit(dataKey, mnistArrays({ flat: true }), opts.testSize ?? 2000, opts.trainSize);
  const model = mnistMlp();
  const params = model.init(initKey, [1, 784]);
  if (opts.log ?? true) console.log(`backend: ${backend}`);
  if (opts.log ?? true) console.log(summary(model, [1, 784], { params }).text);
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const epochs = opts.epochs ?? 20;
  const batchSize = opts.batchSize ?? 128;
  const schedule = cosineDecay(opts.learningRate ?? 2e-3, epochs * Math.floor(train.y.shape[0]! / batchSize), { alpha: 0.05 });
  const result = await trainClassifier(model, params, adam(schedule), train, test, {
    name: "mnist-mlp",
    epochs,
    batchSize,
    seed,
    log: opts.log ?? true,
    ...(opts.plot === false ? {} : { plotBase: join(dir, "mnist-mlp") }),
  });
  return { ...result, testAccuracy: result.history.at(-1)!.testAccuracy };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runMnistMlp({ epochs: Number(process.env.EPOCHS ?? 20) });
  if (r.plot) console.log(`curves: ${r.plot.join(" and ")}`);
  console.log(`test_accuracy=${r.testAccuracy.toFixed(3)}`);
}
