/** `clipByGlobalNorm(maxNorm)`: rescale all updates together when their joint L2 norm exceeds maxNorm. */
import { type NdArray, type PyTree, np, tree } from "@fluxion/core";
import { leafArray, sameDtype } from "./tree-util.js";
import type { EmptyState, GradientTransformation } from "./types.js";
import { positive } from "./validate.js";

/** √(Σ over every leaf of Σ x²): the L2 norm of the whole pytree seen as one vector. */
export function globalNorm(updates: PyTree): NdArray {
  const squares = tree.leaves(updates).map((x) => np.sum(np.square(leafArray(x))));
  return np.sqrt(squares.reduce((a, b) => np.add(a, b), np.zeros([])));
}

/**
 * If ‖u‖ (global) > maxNorm, scale every update by maxNorm/‖u‖; otherwise leave them unchanged.
 * The direction is kept, unlike element-wise `clip`.
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyState> {
  positive("clipByGlobalNorm", "maxNorm", maxNorm);
  return {
    init: () => ({}),
    update: (updates, state) => {
      const norm = globalNorm(updates);
      // A select (not a data-dependent branch) so the step traces under jit.
      const trigger = np.less(norm, maxNorm);
      const out = tree.map<typeof updates>((u) => {
        const a = leafArray(u);
        return sameDtype(np.where(trigger, a, np.multiply(np.divide(a, np.astype(norm, a.dtype)), maxNorm)), u);
      }, updates);
      return [out, state];
    },
  };
}
