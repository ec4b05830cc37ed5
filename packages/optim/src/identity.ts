/** `identity()`: the transformation that leaves updates unchanged (a placeholder inside `chain`). */
import type { EmptyState, GradientTransformation } from "./types.js";

/** Leaves updates unchanged and keeps an empty state. */
export function identity(): GradientTransformation<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state) => [updates, state],
  };
}
