/** Evaluation metrics (seed 004 §1.6, seed 002): accuracy, RMSE and the coefficient of determination R². */
import { type ArrayLike, type NdArray, ShapeError, np } from "@fluxion/core";
import { mse } from "./regression-losses.js";

/** Options of `accuracy`. */
export type AccuracyOptions = {
  /** Binary predictions count as class 1 above this (default 0.5 for probabilities; use 0 for logits). */
  threshold?: number;
};

/**
 * Fraction of correct predictions. Multi-class: scores `pred` [..., C] against integer labels [...] or
 * one-hot labels [..., C] (argmax of each). Binary: `pred` [N] (or [N, 1]) against 0/1 labels of the same
 * shape (or [N]), thresholded.
 */
export function accuracy(pred: ArrayLike, labels: ArrayLike, opts: AccuracyOptions = {}): NdArray {
  let p = np.asArray(pred);
  let l = np.asArray(labels);
  const same = (a: NdArray, b: NdArray) => a.ndim === b.ndim && a.shape.every((d, i) => d === b.shape[i]);
  if (p.ndim >= 1 && p.shape[p.ndim - 1] === 1) {
    // A single score column is a binary classifier's output.
    p = np.squeeze(p, -1);
    if (l.ndim === p.ndim + 1 && l.shape[l.ndim - 1] === 1) l = np.squeeze(l, -1);
    if (!same(p, l)) throw new ShapeError(`accuracy: binary predictions ${np.asArray(pred).aval.str()} and labels ${np.asArray(labels).aval.str()} differ in shape`);
  }
  if (same(p, l) && p.ndim <= 1) return np.mean(np.equal(np.greater(p, opts.threshold ?? 0.5), np.greater(l, 0.5)));
  if (same(p, l)) return np.mean(np.equal(np.argmax(p, -1), np.argmax(l, -1)));
  if (l.ndim === p.ndim - 1 && l.shape.every((d, i) => d === p.shape[i])) {
    return np.mean(np.equal(np.argmax(p, -1), np.astype(l, "int32")));
  }
  throw new ShapeError(`accuracy: predictions ${p.aval.str()} and labels ${l.aval.str()} match no supported form (scores [...,C] with integer labels [...] or one-hot [...,C]; binary [N] with labels [N])`);
}

/** Root-mean-square error √mean((ŷ − y)²). */
export function rmse(pred: ArrayLike, target: ArrayLike): NdArray {
  return np.sqrt(mse(pred, target));
}

/**
 * R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² over the examples (axis 0); for several outputs [N, k] the mean of
 * the per-output scores (scikit-learn's uniform average). 1 is perfect, 0 is predicting the mean.
 */
export function r2(pred: ArrayLike, target: ArrayLike): NdArray {
  const [p, t] = [np.asArray(pred), np.asArray(target)];
  if (p.ndim < 1 || p.ndim !== t.ndim || p.shape.some((d, i) => d !== t.shape[i])) {
    throw new ShapeError(`r2: predictions ${p.aval.str()} and targets ${t.aval.str()} must have the same shape with examples on axis 0`);
  }
  const ssRes = np.sum(np.square(np.subtract(t, p)), 0);
  const ssTot = np.sum(np.square(np.subtract(t, np.mean(t, 0, { keepdims: true }))), 0);
  return np.mean(np.subtract(1, np.divide(ssRes, ssTot)));
}
