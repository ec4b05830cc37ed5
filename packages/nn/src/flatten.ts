/** Flatten all axes from `startAxis` on into one (default 1: keep the batch axis, as PyTorch's nn.Flatten). */
import { ShapeError, np } from "@fluxion/core";
import type { Layer, NoParams, Shape } from "./types.js";

/** Options of `flatten`. */
export type FlattenOptions = {
  /** First axis merged (default 1; use 0 for single examples, e.g. inside `vmap`). */
  startAxis?: number;
};

/** A layer reshaping [d0, …, d(s−1), ds, …] to [d0, …, d(s−1), ds·…] with s = startAxis. */
export function flatten(opts: FlattenOptions = {}): Layer<NoParams> {
  const start = opts.startAxis ?? 1;
  if (!Number.isInteger(start) || start < 0) throw new RangeError(`flatten: startAxis must be a non-negative integer, got ${start}`);
  const outputShape = (shape: Shape) => {
    if (shape.length < start) throw new ShapeError(`flatten: input of shape [${shape.join(",")}] has no axis ${start}`);
    return [...shape.slice(0, start), shape.slice(start).reduce((p, d) => p * d, 1)];
  };
  return {
    name: start === 1 ? "flatten" : `flatten(from ${start})`,
    stateful: false,
    init: () => ({}),
    apply: (_params, x) => np.reshape(x, outputShape(x.shape)),
    outputShape,
  };
}
