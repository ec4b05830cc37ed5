/**
 * The training loop shared by the classification examples: jitted Adam steps over seeded
 * mini-batches, per-epoch loss and accuracy on train and test data, a progress bar and curves.
 */
import { type NdArray, type PyTree, jit, np, random, valueAndGrad } from "@fluxion/core";
import { type Layer, accuracy, softmaxCrossEntropy } from "@fluxion/nn";
import { type GradientTransformation, applyUpdates, batches } from "@fluxion/optim";
import type { Labelled } from "../data/split.js";
import { type CurvePoint, curveSpec, writeChart } from "./plot.js";
import { progressBar } from "./progress.js";

/** One epoch's metrics. */
export type EpochStats = { epoch: number; trainLoss: number; trainAccuracy: number; testLoss: number; testAccuracy: number; seconds: number };

/** Options of `trainClassifier`. */
export type TrainOptions = {
  name: string;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Write `<plotBase>.svg/.png` with the curves (skipped when absent). */
  plotBase?: string;
  /** Print one line per epoch (default true). */
  log?: boolean;
};

/** What training returns. */
export type TrainResult<P> = { params: P; history: EpochStats[]; plot?: [string, string] };

function evaluate<P>(model: Layer, params: P, data: Labelled, batchSize: number): { loss: number; accuracy: number } {
  const n = data.y.shape[0]!;
  let loss = 0;
  let correct = 0;
  const evalBatch = jit((p: P, x: NdArray, y: NdArray) => {
    const logits = model.apply(p as never, x);
    return [np.sum(softmaxCrossEntropy(logits, y, { reduction: "none" })), accuracy(logits, y)];
  });
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const [l, acc] = evalBatch(params, np.slice(data.x, [start, end]), np.slice(data.y, [start, end])) as [NdArray, NdArray];
    loss += l.item() as number;
    correct += (acc.item() as number) * (end - start);
  }
  return { loss: loss / n, accuracy: correct / n };
}

/** Train `model` with `optimizer` on `train`, evaluating on `test` after every epoch. */
export async function trainClassifier<P extends object, S extends PyTree>(
  model: Layer,
  params0: P,
  optimizer: GradientTransformation<S>,
  train: Labelled,
  test: Labelled,
  opts: TrainOptions,
): Promise<TrainResult<P>> {
  // Training mode: dropout (if any) draws from the per-step key.
  const lossFn = (p: P, x: NdArray, y: NdArray, key: NdArray) => np.mean(softmaxCrossEntropy(model.apply(p as never, x, { train: true, key }), y));
  const step = jit((p: P, s: S, x: NdArray, y: NdArray, key: NdArray) => {
    const [loss, g] = valueAndGrad(lossFn)(p, x, y, key) as [NdArray, P];
    const [updates, s2] = optimizer.update(g as never, s, p as never);
    return [applyUpdates(p as never, updates), s2, loss];
  });
  let params = params0;
  let state = optimizer.init(params as never);
  const history: EpochStats[] = [];
  let key = random.key(opts.seed);
  const n = train.y.shape[0]!;
  const stepsPerEpoch = Math.floor(n / opts.batchSize);
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const t0 = performance.now();
    const keys = random.split(key);
    key = np.slice(keys, 0);
    const shuffleKey = np.slice(keys, 1);
    const bar = progressBar(`${opts.name} epoch ${epoch}/${opts.epochs}`, stepsPerEpoch);
    let i = 0;
    for (const batch of batches(shuffleKey, train as never, opts.batchSize, { shuffle: true, dropLast: true })) {
      const b = batch as unknown as Labelled;
      const [p2, s2, loss] = step(params, state, b.x, b.y, random.foldIn(shuffleKey, i)) as [P, S, NdArray];
      params = p2;
      state = s2;
      bar.update(++i, { loss: (loss.item() as number).toFixed(4) });
    }
    bar.stop();
    const tr = evaluate(model, params, train, 500);
    const te = evaluate(model, params, test, 500);
    const stats = { epoch, trainLoss: tr.loss, trainAccuracy: tr.accuracy, testLoss: te.loss, testAccuracy: te.accuracy, seconds: (performance.now() - t0) / 1000 };
    history.push(stats);
    if (opts.log ?? true) {
      console.log(
        `epoch ${epoch}: train loss ${tr.loss.toFixed(4)} acc ${tr.accuracy.toFixed(4)} | test loss ${te.loss.toFixed(4)} acc ${te.accuracy.toFixed(4)} | ${stats.seconds.toFixed(1)} s`,
      );
    }
  }
  let plot: [string, string] | undefined;
  if (opts.plotBase) {
    const pts = (f: (e: EpochStats) => number, series: string): CurvePoint[] => history.map((e) => ({ epoch: e.epoch, value: f(e), series }));
    plot = await writeChart(
      opts.plotBase,
      curveSpec(opts.name, [
        { metric: "loss", points: [...pts((e) => e.trainLoss, "train"), ...pts((e) => e.testLoss, "test")] },
        { metric: "accuracy", points: [...pts((e) => e.trainAccuracy, "train"), ...pts((e) => e.testAccuracy, "test")] },
      ]),
    );
  }
  return { params, history, plot };
}
