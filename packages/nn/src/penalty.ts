/**
 * L2 weight penalty Σ w² over the weights only (seeds 000 ridge, 001, 002, 004): biases and
 * normalisation parameters are not shrunk, because penalising them only fights the data's offsets
 * and scales. The caller multiplies by λ (ridge J = loss + λ‖w‖²; use λ/2 for the ½ convention).
 */
import { type NdArray, type PyTree, np } from "@fluxion/core";
import { leavesWithPaths } from "./tree-paths.js";

/** Selects the leaves to penalise from their path (keys/indices) and value. */
export type WeightPredicate = (path: readonly string[], leaf: NdArray) => boolean;

/** Default: arrays of rank ≥ 2 (kernels, embedding tables), except norm scales/shifts named gamma/beta; biases are rank 1. */
export const isWeight: WeightPredicate = (path, leaf) => leaf.ndim >= 2 && !["gamma", "beta"].includes(path[path.length - 1] ?? "");

/** Options of `l2Penalty`. */
export type L2Options = { predicate?: WeightPredicate };

/** Σ w² over the leaves `predicate` selects (default `isWeight`); a float scalar (0 when none is selected). */
export function l2Penalty(params: PyTree, opts: L2Options = {}): NdArray {
  const predicate = opts.predicate ?? isWeight;
  const terms = leavesWithPaths(params)
    .filter(({ path, leaf }) => predicate(path, leaf))
    .map(({ leaf }) => np.sum(np.square(leaf)));
  return terms.reduce((a, b) => np.add(a, b), np.zeros([]) as NdArray);
}
