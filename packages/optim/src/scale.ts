/** `scale(stepSize)`: multiply every update by a constant. */
import { type PyTree, np, tree } from "@fluxion/core";
import { finite } from "./validate.js";
import { leafArray, sameDtype } from "./tree-util.js";
import type { EmptyState, GradientTransformation } from "./types.js";

/** Multiply updates by `stepSize` (any finite number; the sign is the caller's business, as in Optax). */
export function scale(stepSize: number): GradientTransformation<EmptyState> {
  finite("scale", "stepSize", stepSize);
  return {
    init: () => ({}),
    update: (updates, state) => [tree.map((u) => sameDtype(np.multiply(leafArray(u), stepSize), u), updates as PyTree), state],
  };
}
