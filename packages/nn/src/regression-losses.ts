/**
 * Regression losses: squared error and Gaussian negative log-likelihoods (seeds 000 eq. 4.13 and
 * 001 §5): with fixed σ, with σ a learned parameter, and heteroscedastic (the network predicts a mean
 * and a log-variance per output). Elementwise, then reduced (mean over all elements by default).
 */
import { type ArrayLike, type NdArray, ShapeError, np } from "@fluxion/core";
import { type LossOptions, reduce } from "./reduction.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function sameShape(op: string, a: NdArray, b: NdArray): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`${op}: predictions ${a.aval.str()} and targets ${b.aval.str()} must have the same shape`);
  }
}

/** Mean squared error mean((ŷ − y)²); `reduction: "sum"` gives the sum of squared errors. */
export function mse(pred: ArrayLike, target: ArrayLike, opts: LossOptions = {}): NdArray {
  const [p, t] = [np.asArray(pred), np.asArray(target)];
  sameShape("mse", p, t);
  return reduce(np.square(np.subtract(p, t)), opts.reduction);
}

/** Options of the Gaussian NLLs. */
export type GaussianNllOptions = LossOptions & {
  /** Keep the constant ½ log 2π (default true: the exact negative log-likelihood). */
  full?: boolean;
};

/**
 * −log N(y; ŷ, σ²) = ½ log 2π + log σ + (y − ŷ)²/(2σ²), with σ a number (fixed) or an array broadcast
 * against the predictions (a learned parameter, e.g. `np.exp(logSigma)`).
 */
export function gaussianNll(pred: ArrayLike, target: ArrayLike, sigma: ArrayLike, opts: GaussianNllOptions = {}): NdArray {
  const [p, t] = [np.asArray(pred), np.asArray(target)];
  sameShape("gaussianNll", p, t);
  // A JS number σ takes the predictions' dtype (weak typing), so float64 losses stay exact.
  const s = np.asArray(sigma, p.dtype);
  const r = np.divide(np.subtract(t, p), s);
  let nll = np.add(np.log(s), np.multiply(np.square(r), 0.5));
  if (opts.full ?? true) nll = np.add(nll, HALF_LOG_2PI);
  // Broadcasting a per-output σ can only enlarge nll beyond the data's shape if σ is misshapen.
  if (nll.ndim !== p.ndim || nll.shape.some((d, i) => d !== p.shape[i])) throw new ShapeError(`gaussianNll: sigma ${s.aval.str()} must broadcast to the predictions ${p.aval.str()}`);
  return reduce(nll, opts.reduction);
}

/**
 * Heteroscedastic Gaussian NLL: the model predicts a mean and log σ² per output;
 * −log N(y; μ, e^logVar) = ½(log 2π + logVar + (y − μ)² e^−logVar). Log-variance keeps σ² positive without constraints.
 */
export function heteroscedasticGaussianNll(mean: ArrayLike, logVar: ArrayLike, target: ArrayLike, opts: GaussianNllOptions = {}): NdArray {
  const [m, lv, t] = [np.asArray(mean), np.asArray(logVar), np.asArray(target)];
  sameShape("heteroscedasticGaussianNll", m, t);
  sameShape("heteroscedasticGaussianNll", lv, t);
  let nll = np.multiply(np.add(lv, np.multiply(np.square(np.subtract(t, m)), np.exp(np.negative(lv)))), 0.5);
  if (opts.full ?? true) nll = np.add(nll, HALF_LOG_2PI);
  return reduce(nll, opts.reduction);
}
