/** `customJvp` and `customVjp`: functions that supply their own derivatives. */
import type { NdArray } from "../array.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import { ShapeError } from "../errors.js";
import type { CustomBwd, CustomFwd, CustomJvpRule } from "../primitives.js";
import { bind } from "../trace.js";
import { type PyTree, type TreeDef, flatten, treedefEquals, treedefToString, unflatten } from "../tree.js";
import { flattenArgs, flattenFun } from "./flat.js";
import { asArray } from "../np/convert.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

function flatOut(tree: TreeDef, value: unknown, what: string): NdArray[] {
  const [leaves, def] = flatten(value as PyTree);
  if (!treedefEquals(def, tree)) throw new ShapeError(`${what} has structure ${treedefToString(def)}, expected ${treedefToString(tree)}`);
  return leaves.map((l) => asArray(l));
}

/**
 * `customJvp(f, jvpRule)`: behaves as `f`, differentiated by `jvpRule(primals, tangents) → [out, tangentOut]`
 * (primals and tangents are argument lists). Pass differentiable values as arguments, not closures.
 */
export function customJvp<F extends Fn>(f: F, jvpRule: (primals: Parameters<F>, tangents: Parameters<F>) => [ReturnType<F>, ReturnType<F>]): F {
  return ((...args: Parameters<F>) => {
    const [leaves, inTree] = flattenArgs(args);
    const { flat, outTree } = flattenFun(f, inTree);
    const { closed } = makeJaxprFlat(flat, leaves.map((l) => l.aval));
    const out = outTree();
    const rule: CustomJvpRule = (ps, ts) => {
      const [o, t] = jvpRule(unflatten(inTree, ps), unflatten(inTree, ts));
      return [flatOut(out, o, "customJvp: the rule's primal output"), flatOut(out, t, "customJvp: the rule's tangent output")];
    };
    return unflatten(out, bind("custom_jvp_call", leaves, { call: closed, jvp: rule, symbolicZeros: false }));
  }) as F;
}

/**
 * `customVjp(f, fwd, bwd)`: behaves as `f`; reverse mode uses `fwd(...args) → [out, residuals]` and
 * `bwd(residuals, ct) → list of cotangents, one per argument`.
 */
export function customVjp<F extends Fn, R>(f: F, fwd: (...args: Parameters<F>) => [ReturnType<F>, R], bwd: (residuals: R, ct: ReturnType<F>) => Parameters<F>): F {
  return ((...args: Parameters<F>) => {
    const [leaves, inTree] = flattenArgs(args);
    const { flat, outTree } = flattenFun(f, inTree);
    const { closed } = makeJaxprFlat(flat, leaves.map((l) => l.aval));
    const out = outTree();
    let resTree: TreeDef | undefined;
    const fwdFlat: CustomFwd = (ps) => {
      const [o, r] = fwd(...unflatten<Parameters<F>>(inTree, ps));
      const [rLeaves, rDef] = flatten(r as PyTree);
      resTree = rDef;
      return [flatOut(out, o, "customVjp: fwd's output"), rLeaves.map((l) => asArray(l))];
    };
    const bwdFlat: CustomBwd = (res, cts) => {
      const g = bwd(unflatten<R>(resTree!, res), unflatten<ReturnType<F>>(out, cts));
      return flatOut(inTree, g, "customVjp: bwd's result");
    };
    return unflatten(out, bind("custom_vjp_call", leaves, { call: closed, fwd: fwdFlat, bwd: bwdFlat, numOuts: closed.jaxpr.outs.length }));
  }) as F;
}
