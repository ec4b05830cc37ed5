/** Pytree leaves with their paths ("0.w", "block.gamma"), for predicates over parameter names. */
import type { PyTree } from "@fluxion/core";
import { NdArray } from "@fluxion/core";

/** One array leaf and where it sits. */
export type PathLeaf = { path: string[]; leaf: NdArray };

/** Every `NdArray` leaf of `tree` with its path of keys/indices (sorted keys, as `tree.flatten`). */
export function leavesWithPaths(tree: PyTree): PathLeaf[] {
  const out: PathLeaf[] = [];
  const rec = (t: PyTree, path: string[]) => {
    if (t instanceof NdArray) out.push({ path, leaf: t });
    else if (Array.isArray(t)) t.forEach((c, i) => rec(c as PyTree, [...path, String(i)]));
    else if (t !== null && typeof t === "object") {
      for (const k of Object.keys(t).sort()) rec((t as Record<string, PyTree>)[k], [...path, k]);
    }
  };
  rec(tree, []);
  return out;
}
