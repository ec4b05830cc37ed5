/**
 * jax-js versions of the training workloads. jax-js counts references: every function consumes its
 * array arguments, so an array used twice is passed as `.ref` the first time.
 */
import { type Array as JArray, jit, lax, nn, numpy as np, tree, valueAndGrad } from "@jax-js/jax";
import { floats, heScale, labels } from "../data.js";

/** Parameters: a flat record of arrays. */
export type JParams = Record<string, JArray>;

/** An array of `shape` from the shared generator. */
export const jarr = (shape: number[], seed: number, scale = 1): JArray => np.array(floats(shape.reduce((a, b) => a * b, 1), seed, scale)).reshape(shape);

/** One-hot float labels for a batch. */
export const jOneHot = (n: number, seed: number): JArray => nn.oneHot(np.array(labels(n, 10, seed), { dtype: np.int32 }), 10);

/** MLP 784-256-128-10 parameters. */
export function jMlpParams(): JParams {
  const d = [784, 256, 128, 10];
  const p: JParams = {};
  for (let i = 0; i < 3; i++) {
    p[`w${i}`] = jarr([d[i]!, d[i + 1]!], 20 + i, heScale(d[i]!));
    p[`b${i}`] = np.zeros([d[i + 1]!]);
  }
  return p;
}

/** MLP forward pass to logits. */
export function jMlp(p: JParams, x: JArray): JArray {
  let h = x;
  for (let i = 0; i < 3; i++) {
    h = np.matmul(h, p[`w${i}`]!).add(p[`b${i}`]!);
    if (i < 2) h = nn.relu(h);
  }
  return h;
}

/** Small CNN (conv32-relu-pool-conv64-relu-pool-dense10, NCHW, 3×3 SAME) parameters. */
export function jCnnParams(): JParams {
  return {
    k0: jarr([32, 1, 3, 3], 30, heScale(9)), c0: np.zeros([1, 32, 1, 1]),
    k1: jarr([64, 32, 3, 3], 31, heScale(288)), c1: np.zeros([1, 64, 1, 1]),
    w: jarr([64 * 7 * 7, 10], 40, heScale(64 * 49)), b: np.zeros([10]),
  };
}

/** 2×2 max-pool as a reshape and a max, which jax-js differentiates without a pooling primitive. */
const pool = (x: JArray): JArray => {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return x.reshape([n, c, h / 2, 2, w / 2, 2]).max([3, 5]);
};

/** Small CNN forward pass to logits. */
export function jCnn(p: JParams, x: JArray): JArray {
  let h = pool(nn.relu(lax.conv(x, p.k0!, [1, 1], "SAME").add(p.c0!)));
  h = pool(nn.relu(lax.conv(h, p.k1!, [1, 1], "SAME").add(p.c1!)));
  return np.matmul(h.reshape([h.shape[0]!, -1]), p.w!).add(p.b!);
}

/** A jitted SGD step for `forward`: returns new parameters and the mean cross-entropy. */
export function jSgdStep(forward: (p: JParams, x: JArray) => JArray, lr: number) {
  const loss = (p: JParams, x: JArray, y: JArray) => nn.logSoftmax(forward(p, x), -1).mul(y).sum(-1).mean().mul(-1);
  return jit((p: JParams, x: JArray, y: JArray): [JParams, JArray] => {
    const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y) as [JArray, JParams];
    return [tree.map((w: JArray, gw: JArray) => w.sub(gw.mul(lr)), p, g) as JParams, l];
  });
}
