/** Plumbing between user functions on pytrees and the interpreters' flat lists of arrays. */
import { type NdArray } from "../array.js";
import { asArray } from "../np/convert.js";
import { type PyTree, type TreeDef, flatten, unflatten } from "../tree.js";

/** Flatten `args` into array leaves (JS numbers become float32 scalars) and their structure. */
export function flattenArgs(args: readonly unknown[]): [NdArray[], TreeDef] {
  const [leaves, def] = flatten(args as PyTree);
  return [leaves.map((l) => asArray(l)), def];
}

/** Wrap `f(...args)` as a function of flat leaves; `outTree()` gives the output structure after a call. */
export function flattenFun(f: (...args: never[]) => unknown, inTree: TreeDef): { flat: (...xs: NdArray[]) => NdArray[]; outTree: () => TreeDef } {
  let out: TreeDef | undefined;
  const flat = (...xs: NdArray[]) => {
    const args = unflatten<unknown[]>(inTree, xs);
    const result = (f as (...a: unknown[]) => unknown)(...args);
    const [leaves, def] = flatten(result as PyTree);
    out = def;
    return leaves.map((l) => asArray(l));
  };
  return {
    flat,
    outTree: () => {
      if (!out) throw new Error("output structure requested before the function ran");
      return out;
    },
  };
}
