/** `scaleByAdagrad`: AdaGrad's g / (√(r + ε_root) + ε) with r the running sum of g². */
import { type PyTree, np, tree } from "@fluxion/core";
import { fullLikeTree, leafArray, sameDtype } from "./tree-util.js";
import type { GradientTransformation } from "./types.js";
import { epsPair, nonNegative } from "./validate.js";

/** State of `scaleByAdagrad`: the accumulated sum of squared gradients. */
export type ScaleByAdagradState = { sumOfSquares: PyTree };

/** Options of `scaleByAdagrad`. */
export type ScaleByAdagradOptions = {
  /** ε outside the square root (default 1e-10, seed 004's value). */
  eps?: number;
  /** ε inside the square root (default 0; seeds 000/004 write √(Σg² + ε): use `{ eps: 0, epsRoot: 1e-10 }`). */
  epsRoot?: number;
  /** Initial value of r (default 0, seed 002 "r initialised to zero"; Optax uses 0.1). */
  initialAccumulatorValue?: number;
};

/** AdaGrad's scaling: r ← r + g², output g / (√(r + ε_root) + ε). */
export function scaleByAdagrad(opts: ScaleByAdagradOptions = {}): GradientTransformation<ScaleByAdagradState> {
  const eps = opts.eps ?? 1e-10;
  const epsRoot = opts.epsRoot ?? 0;
  epsPair("scaleByAdagrad", eps, epsRoot);
  const initial = nonNegative("scaleByAdagrad", "initialAccumulatorValue", opts.initialAccumulatorValue ?? 0);
  return {
    init: (params) => ({ sumOfSquares: fullLikeTree(params, initial) }),
    update: (updates, state) => {
      const r = tree.map<PyTree>((g, s) => sameDtype(np.add(leafArray(s), np.square(leafArray(g))), g), updates, state.sumOfSquares);
      const out = tree.map<typeof updates>((g, s) => sameDtype(np.divide(leafArray(g), np.add(np.sqrt(np.add(leafArray(s), epsRoot)), eps)), g), updates, r);
      return [out, { sumOfSquares: r }];
    },
  };
}
