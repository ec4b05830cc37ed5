/**
 * Initialisers with jax.nn.initializers' formulas: `(key, shape, opts) → array`. Which axes hold the
 * input and output features is an option (default JAX's in = −2, out = −1, as in a dense kernel
 * [in, out]); the conv layers pass in = 1, out = 0 for their OIHW kernels, so fans of conv kernels are
 * receptive field × channels.
 */
import { type DType, DTypeError, type NdArray, np, random } from "@fluxion/core";
import type { Key } from "./rng.js";
import type { Shape } from "./types.js";

/** Options every initialiser accepts. */
export type InitOptions = {
  /** Element type (default float32). */
  dtype?: DType;
  /** Axis (or axes) of input features, for fan computations (default −2). */
  inAxis?: number | readonly number[];
  /** Axis (or axes) of output features (default −1). */
  outAxis?: number | readonly number[];
  /** Axes that are neither features nor receptive field (e.g. a stack of kernels), excluded from fans. */
  batchAxis?: readonly number[];
};

/** An initialiser: a fresh array of `shape` from `key`. */
export type Initializer = (key: Key, shape: Shape, opts?: InitOptions) => NdArray;

/** How `varianceScaling` divides the scale: by fan-in, fan-out or their average. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";

/** The distribution `varianceScaling` draws from (all zero-mean with the requested variance). */
export type Distribution = "normal" | "truncatedNormal" | "uniform";

/** Standard deviation of a unit normal truncated to [−2, 2]; dividing by it restores the requested variance. */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

/** Random initialisers draw floats only; an integer dtype is a mistake worth naming. */
function floatDtype(op: string, dtype: DType | undefined): "float32" | "float64" {
  const d = dtype ?? "float32";
  if (d !== "float32" && d !== "float64") throw new DTypeError(`${op}: random initialisers produce float32 or float64, got ${d}`);
  return d;
}

function normAxes(what: string, axes: number | readonly number[], rank: number): number[] {
  const list = typeof axes === "number" ? [axes] : [...axes];
  return list.map((a) => {
    const b = a < 0 ? a + rank : a;
    if (!Number.isInteger(b) || b < 0 || b >= rank) throw new RangeError(`computeFans: ${what} ${a} is out of range for a kernel of rank ${rank}`);
    return b;
  });
}

/**
 * [fanIn, fanOut] of a kernel of `shape`: the product of the in (out) feature axes times the receptive
 * field (every other non-batch axis). Rank 0 gives [1, 1] and rank 1 [n, n], as JAX.
 */
export function computeFans(shape: Shape, opts: Pick<InitOptions, "inAxis" | "outAxis" | "batchAxis"> = {}): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  const rank = shape.length;
  const ins = normAxes("inAxis", opts.inAxis ?? -2, rank);
  const outs = normAxes("outAxis", opts.outAxis ?? -1, rank);
  const batch = normAxes("batchAxis", opts.batchAxis ?? [], rank);
  const prod = (axes: number[]) => axes.reduce((p, a) => p * shape[a]!, 1);
  const total = shape.reduce((p, d) => p * d, 1);
  const receptive = total / prod(ins) / prod(outs) / prod(batch);
  return [prod(ins) * receptive, prod(outs) * receptive];
}

/**
 * Zero-mean samples with variance `scale / n`, n being fan-in, fan-out or their mean (JAX's
 * `variance_scaling`): a truncated normal is divided by its own stddev 0.8796…, a uniform spans
 * ±√(3·variance).
 */
export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution): Initializer {
  if (!(scale > 0)) throw new RangeError(`varianceScaling: scale must be positive, got ${scale}`);
  return (key, shape, opts = {}) => {
    const dtype = floatDtype("varianceScaling", opts.dtype);
    const [fanIn, fanOut] = computeFans(shape, opts);
    const denominator = mode === "fanIn" ? fanIn : mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, denominator);
    switch (distribution) {
      case "truncatedNormal":
        return np.multiply(random.truncatedNormal(key, -2, 2, shape, { dtype }), Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV);
      case "normal":
        return np.multiply(random.normal(key, shape, { dtype }), Math.sqrt(variance));
      case "uniform":
        return np.multiply(random.uniform(key, shape, { minval: -1, maxval: 1, dtype }), Math.sqrt(3 * variance));
    }
  };
}

/** Xavier/Glorot normal: variance 2/(fanIn + fanOut), truncated normal (JAX's `glorot_normal`). */
export const glorotNormal = (): Initializer => varianceScaling(1, "fanAvg", "truncatedNormal");
/** Xavier/Glorot uniform: U(±√(6/(fanIn + fanOut))). */
export const glorotUniform = (): Initializer => varianceScaling(1, "fanAvg", "uniform");
/** He/Kaiming normal: variance 2/fanIn, truncated normal (JAX's `he_normal`; DESIGN §5 fixes fan-in). */
export const heNormal = (): Initializer => varianceScaling(2, "fanIn", "truncatedNormal");
/** He/Kaiming uniform: U(±√(6/fanIn)). */
export const heUniform = (): Initializer => varianceScaling(2, "fanIn", "uniform");
/** LeCun normal: variance 1/fanIn, truncated normal (the default kernel initialiser of the layers, as Flax). */
export const lecunNormal = (): Initializer => varianceScaling(1, "fanIn", "truncatedNormal");
/** LeCun uniform: U(±√(3/fanIn)). */
export const lecunUniform = (): Initializer => varianceScaling(1, "fanIn", "uniform");

/** All zeros (biases, β). */
export const zeros = (): Initializer => (_key, shape, opts = {}) => np.zeros(shape, { dtype: opts.dtype ?? "float32" });
/** All ones (γ). */
export const ones = (): Initializer => (_key, shape, opts = {}) => np.ones(shape, { dtype: opts.dtype ?? "float32" });
/** Every element equal to `value`. */
export const constant = (value: number): Initializer => (_key, shape, opts = {}) => np.full(shape, value, { dtype: opts.dtype ?? "float32" });
/** N(0, stddev²) (JAX's `normal`, default stddev 0.01). */
export const normal = (stddev = 1e-2): Initializer => (key, shape, opts = {}) => np.multiply(random.normal(key, shape, { dtype: floatDtype("normal", opts.dtype) }), stddev);

/** Range of `uniform`: JAX's `[0, scale)` from a number, or explicit bounds. */
export type UniformRange = number | { minval: number; maxval: number };

/** Uniform samples: `uniform(scale)` is U[0, scale) exactly as JAX's `uniform` (default 0.01); `uniform({ minval, maxval })` any range. */
export const uniform = (range: UniformRange = 1e-2): Initializer => {
  const [minval, maxval] = typeof range === "number" ? [0, range] : [range.minval, range.maxval];
  if (!(maxval > minval)) throw new RangeError(`uniform: need minval < maxval, got [${minval}, ${maxval})`);
  return (key, shape, opts = {}) => random.uniform(key, shape, { minval, maxval, dtype: floatDtype("uniform", opts.dtype) });
};
