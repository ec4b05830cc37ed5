/** `scaleByRms`: RMSProp's g / (√(v + ε_root) + ε) with v an EMA of g². */
import { type PyTree, np, tree } from "@fluxion/core";
import { fullLikeTree, leafArray, sameDtype } from "./tree-util.js";
import type { GradientTransformation } from "./types.js";
import { decayRate, epsPair, nonNegative } from "./validate.js";

/** State of `scaleByRms`: the running mean of squared gradients. */
export type ScaleByRmsState = { nu: PyTree };

/** Options of `scaleByRms`. */
export type ScaleByRmsOptions = {
  /** EMA decay ρ ∈ [0, 1) (default 0.9, seed 004). */
  decay?: number;
  /** ε outside the square root (default 1e-8). */
  eps?: number;
  /** ε inside the square root (default 0; seed 004 writes √(s + ε): use `{ eps: 0, epsRoot: ε }`). */
  epsRoot?: number;
  /** Initial value of v (default 0, as the seeds; PyTorch/Optax also start at 0). */
  initialScale?: number;
};

/** RMSProp's scaling: v ← ρv + (1 − ρ)g², output g / (√(v + ε_root) + ε). */
export function scaleByRms(opts: ScaleByRmsOptions = {}): GradientTransformation<ScaleByRmsState> {
  const decay = decayRate("scaleByRms", "decay", opts.decay ?? 0.9);
  const eps = opts.eps ?? 1e-8;
  const epsRoot = opts.epsRoot ?? 0;
  epsPair("scaleByRms", eps, epsRoot);
  const initialScale = nonNegative("scaleByRms", "initialScale", opts.initialScale ?? 0);
  return {
    init: (params) => ({ nu: fullLikeTree(params, initialScale) }),
    update: (updates, state) => {
      const nu = tree.map<PyTree>((g, v) => sameDtype(np.add(np.multiply(np.square(leafArray(g)), 1 - decay), np.multiply(leafArray(v), decay)), g), updates, state.nu);
      const out = tree.map<typeof updates>((g, v) => sameDtype(np.divide(leafArray(g), np.add(np.sqrt(np.add(leafArray(v), epsRoot)), eps)), g), updates, nu);
      return [out, { nu }];
    },
  };
}
