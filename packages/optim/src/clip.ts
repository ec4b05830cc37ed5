/** `clip(maxDelta)`: clamp every update element to [−maxDelta, maxDelta]. */
import { np, tree } from "@fluxion/core";
import { leafArray, sameDtype } from "./tree-util.js";
import type { EmptyState, GradientTransformation } from "./types.js";
import { positive } from "./validate.js";

/** Element-wise clamp of the updates to [−maxDelta, maxDelta] (changes the direction; see `clipByGlobalNorm`). */
export function clip(maxDelta: number): GradientTransformation<EmptyState> {
  positive("clip", "maxDelta", maxDelta);
  return {
    init: () => ({}),
    update: (updates, state) => [tree.map<typeof updates>((u) => sameDtype(np.clip(leafArray(u), -maxDelta, maxDelta), u), updates), state],
  };
}
