/** `addDecayedWeights(λ, mask)`: decoupled weight decay, u ← u + λθ on the masked leaves. */
import { type Leaf, NdArray, type PyTree, np, tree } from "@fluxion/core";
import { leafArray, requireParams, sameDtype } from "./tree-util.js";
import type { EmptyState, GradientTransformation } from "./types.js";
import { nonNegative } from "./validate.js";

/**
 * Which leaves decay: a pytree shaped like the params whose leaves are booleans (or bool arrays for
 * element-wise masks), or a function building one from the params (e.g. "weights, not biases").
 */
export type DecayMask = PyTree | ((params: PyTree) => PyTree);

/**
 * Add `weightDecay · θ` to the updates (needs `params` in `update`); with a mask only where it is true.
 * Placed before `scaleByLearningRate(η)` it gives θ ← θ − η(u + λθ), AdamW's decoupled decay.
 */
export function addDecayedWeights(weightDecay: number, mask?: DecayMask): GradientTransformation<EmptyState> {
  nonNegative("addDecayedWeights", "weightDecay", weightDecay);
  const decayed = (u: Leaf, p: Leaf) => sameDtype(np.add(leafArray(u), np.multiply(leafArray(p), weightDecay)), u);
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      const ps = requireParams("addDecayedWeights", params);
      if (mask === undefined) return [tree.map<typeof updates>(decayed, updates, ps), state];
      const m = typeof mask === "function" ? mask(ps) : mask;
      const out = tree.map<typeof updates>(
        (u, p, keep) => {
          if (keep instanceof NdArray) return np.where(keep, decayed(u, p), leafArray(u));
          if (typeof keep !== "boolean") throw new TypeError(`addDecayedWeights: mask leaves must be booleans or bool arrays, got ${typeof keep}`);
          return keep ? decayed(u, p) : u;
        },
        updates,
        ps,
        m,
      );
      return [out, state];
    },
  };
}
