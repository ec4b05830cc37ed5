/** Flatten a pytree of arrays into one vector and back (JAX's `ravel_pytree`), for the second-order solvers. */
import { type NdArray, type PyTree, np, tree } from "@fluxion/core";
import { leafArray } from "./tree-util.js";

/** `[vector, unravel]`: the leaves concatenated in tree order (promoted to one dtype), and the inverse map. */
export function ravelPytree<T extends PyTree>(x: T): [NdArray, (flat: NdArray) => T] {
  const [leaves, def] = tree.flatten(x);
  const arrays = leaves.map(leafArray);
  if (arrays.length === 0) throw new TypeError("ravelPytree: the pytree has no array leaves to optimise");
  const flat = np.concatenate(arrays.map((a) => np.reshape(a, [a.size])));
  const unravel = (v: NdArray): T => {
    let offset = 0;
    const parts = arrays.map((a) => {
      const piece = np.reshape(np.slice(v, [offset, offset + a.size]), a.shape);
      offset += a.size;
      return piece.dtype === a.dtype ? piece : np.astype(piece, a.dtype);
    });
    return tree.unflatten<T>(def, parts);
  };
  return [flat, unravel];
}
