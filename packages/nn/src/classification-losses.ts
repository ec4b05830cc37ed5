/**
 * Classification losses: binary cross-entropy (from probabilities, clipped; or from logits, stable) and
 * softmax cross-entropy (integer labels or target distributions, stable through log-sum-exp, with the
 * fused gradient softmax − target supplied by a custom JVP).
 */
import { type ArrayLike, ConcretizationError, type NdArray, ShapeError, customJvp, isFloat, np } from "@fluxion/core";
import { logSoftmax } from "./activations.js";
import { type LossOptions, reduce } from "./reduction.js";

/** Options of `binaryCrossEntropy`. */
export type BceOptions = LossOptions & {
  /** Predictions are logits (pre-sigmoid) rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Probabilities are clipped to [eps, 1 − eps] so log never sees 0 (default 1e-7, as Keras). */
  eps?: number;
};

/**
 * −[y log p + (1 − y) log(1 − p)] elementwise, then reduced. From logits it is computed as
 * max(x, 0) − x·y + log(1 + e^−|x|), exact for logits of any size.
 */
export function binaryCrossEntropy(pred: ArrayLike, target: ArrayLike, opts: BceOptions = {}): NdArray {
  const [p, t0] = [np.asArray(pred), np.asArray(target)];
  if (p.ndim !== t0.ndim || p.shape.some((d, i) => d !== t0.shape[i])) {
    throw new ShapeError(`binaryCrossEntropy: predictions ${p.aval.str()} and targets ${t0.aval.str()} must have the same shape`);
  }
  const t = isFloat(t0.dtype) ? t0 : np.astype(t0, isFloat(p.dtype) ? p.dtype : "float32");
  if (opts.fromLogits) return reduce(np.subtract(np.softplus(p), np.multiply(p, t)), opts.reduction);
  const eps = opts.eps ?? 1e-7;
  if (!(eps >= 0 && eps < 0.5)) throw new RangeError(`binaryCrossEntropy: eps must be in [0, 0.5), got ${eps}`);
  const q = np.clip(p, eps, 1 - eps);
  const ll = np.add(np.multiply(t, np.log(q)), np.multiply(np.subtract(1, t), np.log1p(np.negative(q))));
  return reduce(np.negative(ll), opts.reduction);
}

/** Options of `softmaxCrossEntropy`. */
export type SoftmaxCeOptions = LossOptions & {
  /** The class axis of the logits (default −1). */
  axis?: number;
};

/** −Σ t · logSoftmax(x) along `axis`, with the fused derivative: d/dx = softmax(x)·Σt − t, d/dt = −logSoftmax(x). */
function fusedCe(axis: number): (logits: NdArray, targets: NdArray) => NdArray {
  const ce = (x: NdArray, t: NdArray) => np.negative(np.sum(np.multiply(t, logSoftmax(x, axis)), axis));
  return customJvp(ce, ([x, t], [dx, dt]) => {
    const lsm = logSoftmax(x, axis);
    const y = np.negative(np.sum(np.multiply(t, lsm), axis));
    const dLogits = np.subtract(np.multiply(np.exp(lsm), np.sum(t, axis, { keepdims: true })), t);
    const tangent = np.subtract(np.sum(np.multiply(dLogits, dx), axis), np.sum(np.multiply(dt, lsm), axis));
    return [y, tangent];
  });
}

/** Concrete labels outside [0, classes) would one-hot to a zero row and a silent zero loss: reject them. */
function checkLabelRange(labels: NdArray, classes: number): void {
  let data: globalThis.ArrayLike<number>;
  try {
    data = labels.toTypedArray() as globalThis.ArrayLike<number>;
  } catch (e) {
    if (e instanceof ConcretizationError) return; // traced labels cannot be inspected
    throw e;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0 || v >= classes) throw new RangeError(`softmaxCrossEntropy: label ${v} at flat index ${i} is outside [0, ${classes})`);
  }
}

/**
 * Softmax cross-entropy of `logits` against integer class `labels` (shape of logits without the class
 * axis) or a target distribution / one-hot array (shape of logits); per example, then reduced (mean).
 */
export function softmaxCrossEntropy(logits: ArrayLike, labels: ArrayLike, opts: SoftmaxCeOptions = {}): NdArray {
  const x = np.asArray(logits);
  if (!isFloat(x.dtype)) throw new ShapeError(`softmaxCrossEntropy: logits must be floats, got ${x.aval.str()}`);
  const l = np.asArray(labels);
  if (x.ndim < 1) throw new ShapeError("softmaxCrossEntropy: logits need a class axis");
  const axis = (opts.axis ?? -1) < 0 ? (opts.axis ?? -1) + x.ndim : opts.axis!;
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.ndim) throw new RangeError(`softmaxCrossEntropy: axis ${opts.axis} is out of range for logits ${x.aval.str()}`);
  const classes = x.shape[axis]!;
  let targets: NdArray;
  if (isFloat(l.dtype)) {
    if (l.ndim !== x.ndim || l.shape.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError(`softmaxCrossEntropy: float targets ${l.aval.str()} must have the logits' shape ${x.aval.str()} (integer labels drop the class axis)`);
    }
    targets = np.astype(l, x.dtype);
  } else {
    const want = x.shape.filter((_, i) => i !== axis);
    if (l.ndim !== want.length || l.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`softmaxCrossEntropy: integer labels ${l.aval.str()} must have the logits' shape without the class axis, [${want.join(",")}]`);
    }
    checkLabelRange(l, classes);
    targets = np.moveaxis(np.oneHot(l, classes, { dtype: x.dtype }), -1, axis);
  }
  return reduce(fusedCe(axis)(x, targets), opts.reduction);
}
