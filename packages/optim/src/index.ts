/**
 * @fluxion/optim: Optax-style gradient transformations (pure `init`/`update` over pytrees, composed by
 * `chain`), the usual optimiser aliases, learning-rate schedules, second-order solvers (Newton,
 * Newton-CG) and training helpers (early stopping, seeded mini-batches).
 */
export type { GradientTransformation, StateOf, EmptyState, Schedule, ScalarOrSchedule } from "./types.js";
export { identity } from "./identity.js";
export { chain, type ChainState } from "./chain.js";
export { applyUpdates } from "./apply-updates.js";

export { scale } from "./scale.js";
export { scaleBySchedule, type ScaleByScheduleState } from "./scale-by-schedule.js";
export { scaleByLearningRate, type ScaleByLearningRateOptions } from "./scale-by-learning-rate.js";
export { trace, type TraceState, type TraceOptions } from "./trace.js";
export { scaleByAdam, type ScaleByAdamState, type ScaleByAdamOptions } from "./scale-by-adam.js";
export { scaleByRms, type ScaleByRmsState, type ScaleByRmsOptions } from "./scale-by-rms.js";
export { scaleByAdagrad, type ScaleByAdagradState, type ScaleByAdagradOptions } from "./scale-by-adagrad.js";
export { addDecayedWeights, type DecayMask } from "./add-decayed-weights.js";
export { clipByGlobalNorm, globalNorm } from "./clip-by-global-norm.js";
export { clip } from "./clip.js";

export { sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, type SgdOptions, type MomentumOptions, type RmspropOptions, type AdamwOptions } from "./aliases.js";

export {
  constant,
  exponentialDecay,
  piecewiseConstant,
  cosineDecay,
  linearSchedule,
  joinSchedules,
  warmupCosineDecay,
  type ExponentialDecayOptions,
  type CosineDecayOptions,
  type LinearScheduleOptions,
  type WarmupCosineDecayOptions,
} from "./schedules.js";

export { newton, type NewtonOptions } from "./newton.js";
export { newtonCg, type NewtonCgOptions, type NewtonCgResult } from "./newton-cg.js";
export type { SolverResult } from "./solver-result.js";
export { backtrackingLineSearch, type BacktrackingOptions, type BacktrackingResult } from "./line-search.js";

export { earlyStopping, type EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from "./early-stopping.js";
export { batches, type BatchesOptions } from "./batches.js";
