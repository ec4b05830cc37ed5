/** Embedding lookup x = Ω_e[t] (seed 001): integer token ids → rows of a learned table. */
import { type DType, type NdArray, DTypeError, np } from "@fluxion/core";
import { type Initializer, normal } from "./initializers.js";
import type { Layer } from "./types.js";

/** The table [numEmbeddings, features]. */
export type EmbeddingParams = { table: NdArray };

/** Options of `embedding`. */
export type EmbeddingOptions = {
  /** Table initialiser (default N(0, 1), as PyTorch). */
  init?: Initializer;
  /** Table dtype (default float32). */
  dtype?: DType;
};

/** A lookup table of `numEmbeddings` vectors of size `features`; input ids of any shape gain a trailing features axis. */
export function embedding(numEmbeddings: number, features: number, opts: EmbeddingOptions = {}): Layer<EmbeddingParams> {
  for (const [what, v] of [["numEmbeddings", numEmbeddings], ["features", features]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`embedding: ${what} must be a positive integer, got ${v}`);
  }
  const init = opts.init ?? normal(1);
  const dtype = opts.dtype ?? "float32";
  return {
    name: `embedding(${numEmbeddings}, ${features})`,
    stateful: false,
    init: (key) => ({ table: init(key, [numEmbeddings, features], { dtype, inAxis: 1, outAxis: 0 }) }),
    apply(params, ids) {
      if (ids.dtype !== "int32" && ids.dtype !== "uint32") throw new DTypeError(`embedding: ids must be integers (int32), got ${ids.aval.str()}`);
      return np.take(params.table, ids, 0);
    },
    outputShape: (s) => [...s, features],
  };
}
