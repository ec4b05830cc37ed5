/**
 * Batch normalisation (Ioffe & Szegedy; seeds 000–004) with running statistics as explicit state.
 * Training normalises by the batch's mean and (biased) variance and updates the running averages
 * r ← m·r + (1 − m)·batch with momentum m = 0.9; evaluation uses the running averages (DESIGN §5).
 * ε is added to the variance. Features are axis 1 ([N, C] or [N, C, …spatial]) or the last axis.
 * The seeds' variants are options: ε added to the standard deviation (seed 001), and whole-dataset
 * statistics (seed 004) as the cumulative average of the batch statistics (`momentum: "cumulative"`).
 */
import { type DType, type NdArray, ShapeError, np } from "@fluxion/core";
import { inferFeatures, positive } from "./args.js";
import { type Initializer, ones, zeros } from "./initializers.js";
import { splitKeys } from "./rng.js";
import type { Shape, StatefulLayer } from "./types.js";

/** Learned scale γ and shift β, one per feature (channel). */
export type BatchNormParams = { gamma: NdArray; beta: NdArray };
/** Running mean and variance, one per feature (plus the number of batches seen, for the cumulative average). */
export type BatchNormState = { mean: NdArray; var: NdArray; count?: NdArray };

/** Options of `batchNorm`. */
export type BatchNormOptions = {
  /** Number of features; inferred from the inputShape given to `init`/`initState` when omitted. */
  numFeatures?: number;
  /**
   * Weight of the old running value in each update (default 0.9; PyTorch's momentum 0.1 means the
   * same), or "cumulative": the plain average over all training batches so far (PyTorch's momentum=None).
   */
  momentum?: number | "cumulative";
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Add ε to the standard deviation, (x − μ)/(σ + ε), instead of to the variance (default false). */
  epsOnStd?: boolean;
  /** Features on the last axis ([N, …, C]) instead of axis 1 (default false). */
  channelsLast?: boolean;
  /**
   * Update the running variance with the unbiased batch variance n/(n − 1)·σ²_B (default true, as
   * Ioffe's inference step and PyTorch); false uses the biased one, as Flax.
   */
  unbiasedRunningVar?: boolean;
  /** Initialiser of γ (default ones). */
  gammaInit?: Initializer;
  /** Initialiser of β (default zeros). */
  betaInit?: Initializer;
  /** Parameter and state dtype (default float32). */
  dtype?: DType;
};

/** A batch-norm layer: `apply(params, state, x, { train }) → [y, state']`. */
export function batchNorm(opts: BatchNormOptions = {}): StatefulLayer<BatchNormParams, BatchNormState> {
  const momentum = opts.momentum ?? 0.9;
  const cumulative = momentum === "cumulative";
  if (!cumulative && !(momentum >= 0 && momentum <= 1)) throw new RangeError(`batchNorm: momentum must be in [0, 1] or "cumulative", got ${momentum}`);
  const eps = positive("batchNorm", "eps", opts.eps ?? 1e-5);
  const channelsLast = opts.channelsLast ?? false;
  const unbiased = opts.unbiasedRunningVar ?? true;
  const dtype = opts.dtype ?? "float32";
  const gammaInit = opts.gammaInit ?? ones();
  const betaInit = opts.betaInit ?? zeros();
  const featureAxis = (rank: number) => (channelsLast ? rank - 1 : 1);
  const features = (inputShape?: Shape) => {
    if (inputShape && inputShape.length < 2) throw new ShapeError(`batchNorm: input needs a batch and a feature axis, got shape [${inputShape.join(",")}]`);
    return inferFeatures("batchNorm", opts.numFeatures, inputShape, inputShape ? inputShape.length - featureAxis(inputShape.length) : 1, "numFeatures");
  };
  return {
    name: "batchNorm",
    stateful: true,
    init(key, inputShape) {
      const c = features(inputShape);
      const [kg, kb] = splitKeys(key, 2);
      return { gamma: gammaInit(kg!, [c], { dtype }), beta: betaInit(kb!, [c], { dtype }) };
    },
    initState(inputShape) {
      const c = features(inputShape);
      const stats = { mean: np.zeros([c], { dtype }), var: np.ones([c], { dtype }) };
      return cumulative ? { ...stats, count: np.zeros([], { dtype: "int32" }) } : stats;
    },
    apply(params, state, x, o = {}) {
      if (x.ndim < 2) throw new ShapeError(`batchNorm: input needs a batch and a feature axis, got ${x.aval.str()}`);
      const fa = featureAxis(x.ndim);
      const c = params.gamma.shape[0]!;
      if (x.shape[fa] !== c) throw new ShapeError(`batchNorm: input ${x.aval.str()} has ${x.shape[fa]} features on axis ${fa}, parameters have ${c}`);
      const axes = x.shape.map((_, i) => i).filter((i) => i !== fa);
      // Per-feature vectors reshaped to broadcast along the feature axis.
      const bshape = x.shape.map((d, i) => (i === fa ? d : 1));
      const col = (v: NdArray) => np.reshape(v, bshape);
      let mean: NdArray;
      let variance: NdArray;
      let next = state;
      if (o.train) {
        const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
        if (n < 2) throw new ShapeError(`batchNorm: training needs more than one value per feature, got ${x.aval.str()}`);
        mean = np.mean(x, axes);
        variance = np.mean(np.square(np.subtract(x, col(mean))), axes);
        const unb = unbiased ? np.multiply(variance, n / (n - 1)) : variance;
        // The state keeps its own dtype, so it is a fixed-type carry across steps (jit, scan) whatever x's dtype.
        if (cumulative) {
          if (state.count === undefined) throw new TypeError('batchNorm: momentum "cumulative" needs the batch count in the state; make the state with this layer\'s initState');
          const count = np.add(state.count, 1);
          // r ← r + (v − r)/k after the k-th batch: the running mean of the batch statistics.
          const avg = (r: NdArray, v: NdArray) => np.astype(np.add(r, np.divide(np.subtract(v, r), np.astype(count, r.dtype))), r.dtype);
          next = { mean: avg(state.mean, mean), var: avg(state.var, unb), count };
        } else {
          const m = momentum as number;
          const ema = (r: NdArray, v: NdArray) => np.astype(np.add(np.multiply(r, m), np.multiply(v, 1 - m)), r.dtype);
          next = { ...state, mean: ema(state.mean, mean), var: ema(state.var, unb) };
        }
      } else {
        mean = state.mean;
        variance = state.var;
      }
      const scale = opts.epsOnStd ? np.divide(params.gamma, np.add(np.sqrt(variance), eps)) : np.multiply(params.gamma, np.rsqrt(np.add(variance, eps)));
      const y = np.add(np.multiply(np.subtract(x, col(mean)), col(scale)), col(params.beta));
      return [y, next];
    },
    outputShape: (s) => [...s],
  };
}
