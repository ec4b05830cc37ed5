/** `applyUpdates(params, updates)`: the one place parameters change, `p + u` leaf by leaf. */
import { type PyTree, np, tree } from "@fluxion/core";
import { leafArray, sameDtype } from "./tree-util.js";

/** `params + updates` leaf by leaf, each result kept in its parameter's dtype (updates are already negated by the optimiser). */
export function applyUpdates<P extends PyTree>(params: P, updates: PyTree): P {
  return tree.map<P>((p, u) => sameDtype(np.add(leafArray(p), leafArray(u)), p), params, updates);
}
