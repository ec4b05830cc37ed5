/** PReLU as a layer (seed 002): the negative slope α is a parameter, shared or one per channel. */
import { type DType, type NdArray, np } from "@fluxion/core";
import { prelu } from "./activations.js";
import type { Layer } from "./types.js";

/** The learned slope(s). */
export type PreluParams = { alpha: NdArray };

/** Options of `preluLayer`. */
export type PreluOptions = {
  /** 1 (one shared slope, default) or the number of channels (one slope per channel). */
  numParameters?: number;
  /** Initial slope (default 0.25, as He et al. and PyTorch). */
  init?: number;
  /** Channels on the last axis instead of axis 1 (default false). */
  channelsLast?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
};

/** A PReLU layer. */
export function preluLayer(opts: PreluOptions = {}): Layer<PreluParams> {
  const n = opts.numParameters ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`preluLayer: numParameters must be a positive integer, got ${n}`);
  const channelsLast = opts.channelsLast ?? false;
  return {
    name: n === 1 ? "prelu" : `prelu(${n})`,
    stateful: false,
    init: () => ({ alpha: np.full([n], opts.init ?? 0.25, { dtype: opts.dtype ?? "float32" }) }),
    apply(params, x) {
      if (n === 1 || channelsLast) return prelu(x, n === 1 ? np.reshape(params.alpha, []) : params.alpha);
      // One slope per channel on axis 1: shape it [C, 1, …] to broadcast over the spatial axes.
      return prelu(x, np.reshape(params.alpha, [n, ...new Array<number>(Math.max(0, x.ndim - 2)).fill(1)]));
    },
    outputShape: (s) => [...s],
  };
}
