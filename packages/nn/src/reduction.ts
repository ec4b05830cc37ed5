/** How losses reduce per-element (or per-example) values: mean (default), sum, or none. */
import { type NdArray, np } from "@fluxion/core";

/** Reduction of a loss over its remaining axes. */
export type Reduction = "mean" | "sum" | "none";

/** Options shared by the losses. */
export type LossOptions = { reduction?: Reduction };

/** Reduce `x` as asked (mean by default). */
export function reduce(x: NdArray, reduction: Reduction = "mean"): NdArray {
  switch (reduction) {
    case "mean":
      return np.mean(x);
    case "sum":
      return np.sum(x);
    case "none":
      return x;
  }
}
