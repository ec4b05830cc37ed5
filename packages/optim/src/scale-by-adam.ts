/** `scaleByAdam`: Adam's bias-corrected moment ratio m̂ / (√(v̂ + ε_root) + ε) (Kingma & Ba). */
import { type NdArray, type PyTree, np, tree } from "@fluxion/core";
import { safeIncrement, zeroCount } from "./count.js";
import { leafArray, sameDtype, zerosLikeTree } from "./tree-util.js";
import type { GradientTransformation } from "./types.js";
import { decayRate, epsPair } from "./validate.js";

/** State of `scaleByAdam`: step count t, first moment m (`mu`), second moment v (`nu`). */
export type ScaleByAdamState = { count: NdArray; mu: PyTree; nu: PyTree };

/** Options of `scaleByAdam` (defaults are the paper's; no seed states any). */
export type ScaleByAdamOptions = {
  /** First-moment decay β₁ ∈ [0, 1) (default 0.9). */
  b1?: number;
  /** Second-moment decay β₂ ∈ [0, 1) (default 0.999). */
  b2?: number;
  /** ε added outside the square root (default 1e-8). */
  eps?: number;
  /** ε added inside the square root (default 0; seed 004's placement). */
  epsRoot?: number;
};

/** 1 − βᵗ in the leaf's own dtype, so float64 parameters get a float64 bias correction. */
function biasCorrection(beta: number, t: NdArray, like: NdArray): NdArray {
  return np.subtract(1, np.power(beta, np.astype(t, like.dtype)));
}

/**
 * Adam's direction: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², t ← t + 1,
 * m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), output m̂ / (√(v̂ + ε_root) + ε).
 */
export function scaleByAdam(opts: ScaleByAdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  const b1 = decayRate("scaleByAdam", "b1", opts.b1 ?? 0.9);
  const b2 = decayRate("scaleByAdam", "b2", opts.b2 ?? 0.999);
  const eps = opts.eps ?? 1e-8;
  const epsRoot = opts.epsRoot ?? 0;
  epsPair("scaleByAdam", eps, epsRoot);
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLikeTree(params), nu: zerosLikeTree(params) }),
    update: (updates, state) => {
      const mu = tree.map<PyTree>((g, m) => sameDtype(np.add(np.multiply(leafArray(g), 1 - b1), np.multiply(leafArray(m), b1)), g), updates, state.mu);
      const nu = tree.map<PyTree>((g, v) => sameDtype(np.add(np.multiply(np.square(leafArray(g)), 1 - b2), np.multiply(leafArray(v), b2)), g), updates, state.nu);
      const t = safeIncrement(state.count);
      const out = tree.map<typeof updates>(
        (g, m, v) => {
          const mHat = np.divide(m as NdArray, biasCorrection(b1, t, m as NdArray));
          const vHat = np.divide(v as NdArray, biasCorrection(b2, t, v as NdArray));
          return sameDtype(np.divide(mHat, np.add(np.sqrt(np.add(vHat, epsRoot)), eps)), g);
        },
        updates,
        mu,
        nu,
      );
      return [out, { count: t, mu, nu }];
    },
  };
}
