/**
 * Variational-autoencoder objectives (seeds 000 §11, 001 §17): the closed-form KL divergence of a
 * diagonal Gaussian q = N(μ, diag e^logVar) from N(m, I), and the single-sample ELBO.
 */
import { type ArrayLike, type NdArray, ShapeError, np } from "@fluxion/core";
import { type LossOptions, reduce } from "./reduction.js";

/** Options of `klGaussian`. */
export type KlOptions = LossOptions & {
  /** Mean m of the prior N(m, I) (default 0; a class centroid in the semi-supervised VAE). Broadcast against μ. */
  priorMean?: ArrayLike;
};

/**
 * KL(N(μ, diag σ²) ‖ N(m, I)) = ½ Σ (σ² + (μ − m)² − 1 − log σ²) over the last (latent) axis, per
 * example, then reduced over the batch (mean by default).
 */
export function klGaussian(mu: ArrayLike, logVar: ArrayLike, opts: KlOptions = {}): NdArray {
  const [m, lv] = [np.asArray(mu), np.asArray(logVar)];
  if (m.ndim < 1 || m.ndim !== lv.ndim || m.shape.some((d, i) => d !== lv.shape[i])) {
    throw new ShapeError(`klGaussian: mu ${m.aval.str()} and logVar ${lv.aval.str()} must have the same shape with a latent axis last`);
  }
  const diff = opts.priorMean === undefined ? m : np.subtract(m, opts.priorMean);
  const terms = np.subtract(np.add(np.exp(lv), np.square(diff)), np.add(lv, 1));
  return reduce(np.multiply(np.sum(terms, -1), 0.5), opts.reduction);
}

/** Options of `elbo`. */
export type ElboOptions = KlOptions & {
  /** Weight of the KL term (default 1; β-VAE otherwise). */
  beta?: number;
};

/**
 * The evidence lower bound log p(x|z*) − β·KL(q(z|x) ‖ p(z)), z* one sample from q: `logLikelihood`
 * per example (e.g. −binaryCrossEntropy summed over pixels), the KL from the encoder's μ and log σ².
 * Maximise it (minimise −elbo); reduced over the batch (mean by default).
 */
export function elbo(logLikelihood: ArrayLike, mu: ArrayLike, logVar: ArrayLike, opts: ElboOptions = {}): NdArray {
  const ll = np.asArray(logLikelihood);
  const kl = klGaussian(mu, logVar, { ...opts, reduction: "none" });
  if (ll.ndim !== kl.ndim || ll.shape.some((d, i) => d !== kl.shape[i])) {
    throw new ShapeError(`elbo: logLikelihood ${ll.aval.str()} must have one value per example, shape [${kl.shape.join(",")}]`);
  }
  return reduce(np.subtract(ll, np.multiply(kl, opts.beta ?? 1)), opts.reduction);
}
