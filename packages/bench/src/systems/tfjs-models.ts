/** TF.js versions of the training workloads: variables, a forward pass and an optimiser step (NHWC, TF.js's native layout). */
import * as tf from "@tensorflow/tfjs-core";
import { floats, heScale, labels } from "../data.js";

/** A variable of `shape` with He-uniform-like values, or zeros for biases. */
function param(shape: number[], fanIn: number, seed: number, zero = false): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.variable(zero ? tf.zeros(shape) : tf.tensor(floats(n, seed, heScale(fanIn)), shape));
}

/** A network: its variables and a forward pass from input to logits. */
export type TfNet = { vars: tf.Variable[]; forward(x: tf.Tensor): tf.Tensor };

/** 784-256-128-10 with ReLU. */
export function tfMlp(): TfNet {
  const dims = [784, 256, 128, 10];
  const ws = dims.slice(1).map((d, i) => [param([dims[i]!, d], dims[i]!, 20 + i), param([d], 1, 0, true)] as const);
  return {
    vars: ws.flat(),
    forward: (x) => ws.reduce((h, [w, b], i) => (i < ws.length - 1 ? tf.relu(tf.add(tf.matMul(h, w), b)) : tf.add(tf.matMul(h, w), b)), x),
  };
}

/** Rounds of 3×3 SAME conv + ReLU + 2×2 max-pool with `channels`, then dense to 10 classes. */
export function tfCnn(channels: number[]): TfNet {
  let cin = 1;
  let hw = 28;
  const convs = channels.map((c, i) => {
    const layer = [param([3, 3, cin, c], 9 * cin, 30 + i), param([c], 1, 0, true)] as const;
    cin = c;
    hw = Math.floor(hw / 2);
    return layer;
  });
  const flat = hw * hw * cin;
  const [w, b] = [param([flat, 10], flat, 40), param([10], 1, 0, true)];
  return {
    vars: [...convs.flat(), w, b],
    forward(x) {
      const h = convs.reduce((h, [k, kb]) => tf.maxPool(tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, k as tf.Tensor4D, 1, "same"), kb)) as tf.Tensor4D, 2, 2, "valid"), x);
      return tf.add(tf.matMul(tf.reshape(h, [-1, flat]), w), b);
    },
  };
}

/** Synthetic inputs of `shape` (batch first) and one-hot labels. */
export function tfData(shape: number[], seed: number): [tf.Tensor, tf.Tensor] {
  const n = shape.reduce((a, b) => a * b, 1);
  return [tf.tensor(floats(n, seed), shape), tf.oneHot(tf.tensor1d(labels(shape[0]!, 10, seed + 1), "int32"), 10)];
}

/** One optimiser step on a batch; reads the loss back so the step has finished. */
export function tfStep(net: TfNet, opt: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): number {
  const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.forward(x)) as tf.Scalar, true, net.vars)!;
  const v = loss.dataSync()[0]!;
  loss.dispose();
  return v;
}
