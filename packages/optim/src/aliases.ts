/**
 * The optimisers people name, each a one-line `chain` of transforms (Optax's `alias`). Equations use
 * g for the gradient, η for the learning rate (a number or a schedule of the step), θ for the params.
 */
import { addDecayedWeights, type DecayMask } from "./add-decayed-weights.js";
import { chain } from "./chain.js";
import { identity } from "./identity.js";
import { named } from "./named.js";
import { scaleByAdagrad, type ScaleByAdagradOptions } from "./scale-by-adagrad.js";
import { scaleByAdam, type ScaleByAdamOptions } from "./scale-by-adam.js";
import { scaleByLearningRate } from "./scale-by-learning-rate.js";
import { scaleByRms, type ScaleByRmsOptions } from "./scale-by-rms.js";
import { trace } from "./trace.js";
import type { ScalarOrSchedule } from "./types.js";

/** Options of `sgd`. */
export type SgdOptions = {
  /** Momentum decay β ∈ [0, 1); omitted means plain gradient descent. */
  momentum?: number;
  /** Nesterov's variant of the momentum (needs `momentum`). */
  nesterov?: boolean;
  /** Momentum dampening d ∈ [0, 1]: v ← βv + (1 − d)g (d = β gives the EMA form of seeds 001/004). */
  dampening?: number;
};

/**
 * Stochastic gradient descent: θ ← θ − ηg; with momentum β: v ← βv + g, θ ← θ − ηv;
 * with Nesterov: v ← βv + g, θ ← θ − η(g + βv).
 */
export const sgd = (learningRate: ScalarOrSchedule, opts: SgdOptions = {}) => named("sgd", () => {
  if (opts.nesterov && opts.momentum === undefined) throw new RangeError("nesterov needs a momentum value, got momentum undefined");
  return chain(opts.momentum === undefined ? identity() : trace(opts.momentum, { nesterov: opts.nesterov ?? false, dampening: opts.dampening ?? 0 }), scaleByLearningRate(learningRate));
});

/** Options of `momentum` and `nesterov`. */
export type MomentumOptions = {
  /** Momentum dampening d ∈ [0, 1]: v ← βv + (1 − d)g (d = β gives the EMA form). */
  dampening?: number;
};

/** Heavy-ball momentum (β default 0.9): v ← βv + g, θ ← θ − ηv. */
export const momentum = (learningRate: ScalarOrSchedule, beta = 0.9, opts: MomentumOptions = {}) =>
  named("momentum", () => chain(trace(beta, { dampening: opts.dampening ?? 0 }), scaleByLearningRate(learningRate)));

/** Nesterov momentum (β default 0.9): v ← βv + g, θ ← θ − η(g + βv) (the look-ahead gradient written at θ). */
export const nesterov = (learningRate: ScalarOrSchedule, beta = 0.9, opts: MomentumOptions = {}) =>
  named("nesterov", () => chain(trace(beta, { nesterov: true, dampening: opts.dampening ?? 0 }), scaleByLearningRate(learningRate)));

/**
 * AdaGrad (η default 0.01, seed 000; ε default 1e-10, seed 004): r ← r + g², θ ← θ − η g / (√(r + ε_root) + ε).
 * The seeds' √(r + ε) form is `adagrad(η, { eps: 0, epsRoot: 1e-10 })`.
 */
export const adagrad = (learningRate: ScalarOrSchedule = 0.01, opts: ScaleByAdagradOptions = {}) =>
  named("adagrad", () => chain(scaleByAdagrad(opts), scaleByLearningRate(learningRate)));

/** Options of `rmsprop`. */
export type RmspropOptions = ScaleByRmsOptions & {
  /** Momentum β applied after the learning rate, as Optax (omitted: none). */
  momentum?: number;
  /** Nesterov momentum (seed 002's "RMSProp with Nesterov momentum"; needs `momentum`). */
  nesterov?: boolean;
};

/**
 * RMSProp (decay ρ default 0.9, seed 004; ε default 1e-8): v ← ρv + (1 − ρ)g², θ ← θ − η g / (√(v + ε_root) + ε);
 * with momentum β: m ← βm + ηg/(√v + ε), θ ← θ − m.
 */
export const rmsprop = (learningRate: ScalarOrSchedule, opts: RmspropOptions = {}) => named("rmsprop", () => {
  if (opts.nesterov && opts.momentum === undefined) throw new RangeError("nesterov needs a momentum value, got momentum undefined");
  const { momentum: beta, nesterov: nest, ...rms } = opts;
  return chain(scaleByRms(rms), scaleByLearningRate(learningRate), beta === undefined ? identity() : trace(beta, { nesterov: nest ?? false }));
});

/**
 * Adam (η default 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, the paper's values): m ← β₁m + (1 − β₁)g,
 * v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − η m̂ / (√(v̂ + ε_root) + ε).
 */
export const adam = (learningRate: ScalarOrSchedule = 1e-3, opts: ScaleByAdamOptions = {}) =>
  named("adam", () => chain(scaleByAdam(opts), scaleByLearningRate(learningRate)));

/** Options of `adamw`. */
export type AdamwOptions = ScaleByAdamOptions & {
  /** Decoupled weight decay λ ≥ 0 (default 1e-4, as Optax). */
  weightDecay?: number;
  /** Which leaves decay (e.g. weights but not biases); default all. */
  mask?: DecayMask;
};

/** AdamW: Adam's m̂, v̂ as in `adam`, θ ← θ − η (m̂ / (√(v̂ + ε_root) + ε) + λθ) (decay decoupled from the moments). */
export const adamw = (learningRate: ScalarOrSchedule = 1e-3, opts: AdamwOptions = {}) => named("adamw", () => {
  const { weightDecay, mask, ...adamOpts } = opts;
  return chain(scaleByAdam(adamOpts), addDecayedWeights(weightDecay ?? 1e-4, mask), scaleByLearningRate(learningRate));
});
