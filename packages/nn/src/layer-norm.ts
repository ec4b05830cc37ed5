/**
 * Layer normalisation (Ba et al.; seed 001): each example is normalised over its trailing axes (the
 * features, or channels × positions), with a learned elementwise γ, β over those axes, as PyTorch.
 */
import { type DType, type NdArray, ShapeError, np } from "@fluxion/core";
import { positive } from "./args.js";
import { type Initializer, ones, zeros } from "./initializers.js";
import { splitKeys } from "./rng.js";
import type { Layer, Shape } from "./types.js";

/** Learned scale and shift shaped like the normalised axes (absent with `affine: false`). */
export type LayerNormParams = { gamma?: NdArray; beta?: NdArray };

/** Options of `layerNorm`. */
export type LayerNormOptions = {
  /** How many trailing axes are normalised together (default 1: the features). */
  axes?: number;
  /** Shape of those axes; inferred from `init`'s inputShape when omitted. */
  featureShape?: readonly number[];
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn γ and β (default true). */
  affine?: boolean;
  /** Initialiser of γ (default ones). */
  gammaInit?: Initializer;
  /** Initialiser of β (default zeros). */
  betaInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
};

/** A layer-norm layer over the last `axes` axes. */
export function layerNorm(opts: LayerNormOptions = {}): Layer<LayerNormParams> {
  const k = opts.axes ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`layerNorm: axes must be a positive integer, got ${k}`);
  const eps = positive("layerNorm", "eps", opts.eps ?? 1e-5);
  const affine = opts.affine ?? true;
  const dtype = opts.dtype ?? "float32";
  const featureShape = (inputShape?: Shape): number[] => {
    const fromInput = inputShape ? inputShape.slice(-k) : undefined;
    if (inputShape && inputShape.length < k) throw new ShapeError(`layerNorm: input of shape [${inputShape.join(",")}] has fewer than ${k} axes`);
    if (opts.featureShape && fromInput && opts.featureShape.join() !== fromInput.join()) {
      throw new ShapeError(`layerNorm: featureShape [${opts.featureShape.join(",")}] differs from the input's trailing axes [${fromInput.join(",")}]`);
    }
    const s = opts.featureShape ?? fromInput;
    if (!s) throw new ShapeError("layerNorm: cannot infer featureShape; pass it in the options or give init an inputShape");
    if (s.length !== k) throw new ShapeError(`layerNorm: featureShape must have ${k} axes, got [${s.join(",")}]`);
    return [...s];
  };
  return {
    name: `layerNorm${k > 1 ? `(last ${k} axes)` : ""}`,
    stateful: false,
    init(key, inputShape) {
      const s = featureShape(inputShape);
      if (!affine) return {};
      const [kg, kb] = splitKeys(key, 2);
      return { gamma: (opts.gammaInit ?? ones())(kg!, s, { dtype }), beta: (opts.betaInit ?? zeros())(kb!, s, { dtype }) };
    },
    apply(params, x) {
      if (x.ndim < k) throw new ShapeError(`layerNorm: input ${x.aval.str()} has fewer than ${k} axes`);
      const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
      const mean = np.mean(x, axes, { keepdims: true });
      const centred = np.subtract(x, mean);
      const variance = np.mean(np.square(centred), axes, { keepdims: true });
      let y = np.multiply(centred, np.rsqrt(np.add(variance, eps)));
      if (params.gamma) y = np.multiply(y, params.gamma);
      if (params.beta) y = np.add(y, params.beta);
      return y;
    },
    outputShape: (s) => [...s],
  };
}
