/** Leaf-wise helpers over pytrees of arrays used by several transforms. */
import { type Leaf, type NdArray, type PyTree, np, tree } from "@fluxion/core";

/** A leaf as an array (JS numbers become float32 scalars, as `jit` would make them). */
export function leafArray(x: Leaf): NdArray {
  return np.asArray(x);
}

/** Zeros shaped like every leaf of `params` (the moment accumulators' initial value). */
export function zerosLikeTree<T extends PyTree>(params: T): T {
  return tree.map<T>((p) => np.zerosLike(leafArray(p)), params);
}

/** `value` broadcast to every leaf of `params`, in the leaf's dtype. */
export function fullLikeTree<T extends PyTree>(params: T, value: number): T {
  return tree.map<T>((p) => np.fullLike(leafArray(p), value), params);
}

/** Cast `x` back to `like`'s dtype, so weakly typed hyper-parameters never change a leaf's dtype across a step. */
export function sameDtype(x: NdArray, like: Leaf): NdArray {
  const d = leafArray(like).dtype;
  return x.dtype === d ? x : np.astype(x, d);
}

/** Throw a TypeError naming `fn` when a transform that needs the parameters was called without them. */
export function requireParams(fn: string, params: PyTree | undefined): PyTree {
  if (params === undefined) throw new TypeError(`${fn}: update needs the current params (call update(updates, state, params))`);
  return params;
}
