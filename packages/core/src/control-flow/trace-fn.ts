/** Tracing the user's loop bodies and branches (functions of pytrees) into jaxprs. */
import { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import type { DType } from "../dtype.js";
import * as lax from "../lax/index.js";
import { asArray } from "../np/convert.js";
import { type Closed, traceJaxpr } from "../rules/control-flow/closed.js";
import { type PyTree, type TreeDef, flatten, unflatten } from "../tree.js";

/** A traced function: its jaxpr (closed-over arrays first), its output structure, and which output leaves were JS scalars. */
export type TracedFn = Closed & { outTree: TreeDef; outWeak: boolean[] };

/** Leaves of `tree` as arrays, its structure, and which leaves were JS scalars (weakly typed, as in JAX). */
export function flattenLeaves(tree: unknown): [NdArray[], TreeDef, boolean[]] {
  const [leaves, def] = flatten(tree as PyTree);
  return [leaves.map((l) => asArray(l)), def, leaves.map((l) => !(l instanceof NdArray))];
}

/** The avals of `xs`. */
export const avalsOf = (xs: readonly NdArray[]): ShapedArray[] => xs.map((x) => x.aval);

/**
 * Trace `f(...unflatten(inTree, args))` at `avals`. An output leaf that is a JS scalar takes the
 * dtype `like[i]` when given, so `() => 0` can stand for a zero of whatever dtype the loop needs.
 */
export function traceTreeFn(f: (...args: never[]) => unknown, inTree: TreeDef, avals: readonly ShapedArray[], like: readonly (DType | undefined)[] = []): TracedFn {
  let outTree: TreeDef | undefined;
  let outWeak: boolean[] = [];
  const closed = traceJaxpr((...xs) => {
    const args = unflatten<unknown[]>(inTree, xs);
    const [leaves, def] = flatten((f as (...a: unknown[]) => unknown)(...args) as PyTree);
    outTree = def;
    outWeak = leaves.map((l) => !(l instanceof NdArray));
    return leaves.map((l, i) => asArray(l, like[i]));
  }, avals);
  return { ...closed, outTree: outTree!, outWeak };
}

/**
 * JAX's weak-type promotion of loop carries: an init leaf given as a JS scalar takes the dtype the body
 * returns for it (`scan(f, 0, xs)` with a float64 body). Returns null when nothing needs promoting.
 */
export function promoteWeakInit(init: readonly NdArray[], weak: readonly boolean[], outAvals: readonly ShapedArray[]): NdArray[] | null {
  let changed = false;
  const promoted = init.map((x, i) => {
    const out = outAvals[i];
    if (!weak[i] || !out || out.dtype === x.dtype || out.ndim !== x.ndim) return x;
    changed = true;
    return lax.convertElementType(x, out.dtype);
  });
  return changed ? promoted : null;
}

/** The structure of an argument list `[a, b, …]` from the structures of its items. */
export const argsTree = (...items: TreeDef[]): TreeDef => ({ kind: "array", children: items });

/** The aval of one slice of `x` along its leading axis. */
export const sliceAval = (x: NdArray): ShapedArray => new ShapedArray(x.shape.slice(1), x.dtype);
