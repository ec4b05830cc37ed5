/** `scan`: a loop over the leading axis of `xs` threading a carry, JAX's `lax.scan`. */
import type { NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import { bind } from "../trace.js";
import { type TreeDef, numLeaves, treedefEquals, treedefToString, unflatten } from "../tree.js";
import { type TracedFn, argsTree, avalsOf, flattenLeaves, promoteWeakInit, sliceAval, traceTreeFn } from "./trace-fn.js";

/** Options of `scan`. */
export type ScanOptions = {
  /** Number of steps: required when `xs` holds no arrays; otherwise it must equal their leading size. */
  length?: number;
  /** Run from the last slice to the first (the ys still line up with the xs). */
  reverse?: boolean;
};

function scanLength(xs: readonly NdArray[], length: number | undefined): number {
  xs.forEach((x, i) => {
    if (x.ndim === 0) throw new ShapeError(`scan: xs leaf ${i} is ${x.aval.str()}, a scalar; every xs leaf needs a leading axis to scan over`);
  });
  const sizes = [...new Set(xs.map((x) => x.shape[0]!))];
  if (sizes.length > 1) throw new ShapeError(`scan: xs leaves have different leading sizes (${xs.map((x) => x.aval.str()).join(", ")}); they must all have the same length`);
  if (length !== undefined && (!Number.isInteger(length) || length < 0)) throw new RangeError(`scan: length must be a non-negative integer, got ${length}`);
  if (sizes.length && length !== undefined && length !== sizes[0]) throw new ShapeError(`scan: length ${length} differs from the leading size ${sizes[0]} of xs`);
  const n = sizes[0] ?? length;
  if (n === undefined) throw new TypeError("scan: xs holds no arrays, so pass the number of steps as { length }");
  return n;
}

/**
 * Loop `f(carry, x) → [carry, y]` over the leading axis of the pytree `xs` (null with `{ length }`):
 * returns `[final carry, ys stacked along a new leading axis]`. Differentiable in both modes (reverse
 * mode is backpropagation through time), batchable and jittable; `f` is traced once.
 */
export function scan<C, X, Y>(f: (carry: C, x: X) => readonly [C, Y], init: C, xs: X | null, opts: ScanOptions = {}): [C, Y] {
  if (typeof f !== "function") throw new TypeError("scan: f must be a function (carry, x) => [carry, y]");
  const [carry0, carryTree, weak] = flattenLeaves(init);
  let carry = carry0;
  const [xLeaves, xsTree] = flattenLeaves(xs);
  const length = scanLength(xLeaves, opts.length);
  const body = (c: C, x: X) => {
    const r = f(c, x);
    if (!Array.isArray(r) || r.length !== 2) throw new TypeError("scan: f must return a pair [newCarry, y] (y may be null)");
    return r;
  };
  const trace = (init: NdArray[]) => traceTreeFn(body, argsTree(carryTree, xsTree), [...avalsOf(init), ...xLeaves.map(sliceAval)], init.map((x) => x.dtype));
  let traced = trace(carry);
  const promoted = promoteWeakInit(carry, weak, traced.jaxpr.outs.map((o) => o.aval));
  if (promoted) {
    carry = promoted;
    traced = trace(carry);
  }
  const [outCarryTree, yTree] = outParts(traced, carryTree);
  const outs = bind("scan", [...traced.consts, ...carry, ...xLeaves], {
    jaxpr: traced.jaxpr,
    numConsts: traced.consts.length,
    numCarry: carry.length,
    length,
    reverse: opts.reverse ?? false,
  });
  const n = numLeaves(outCarryTree);
  return [unflatten<C>(outCarryTree, outs.slice(0, n)), unflatten<Y>(yTree, outs.slice(n))];
}

/** The carry and y structures of the body's output, checking the carry keeps init's structure. */
function outParts(traced: TracedFn, carryTree: TreeDef): [TreeDef, TreeDef] {
  const [c, y] = (traced.outTree as { children: readonly TreeDef[] }).children;
  if (!treedefEquals(c!, carryTree)) {
    throw new TypeError(`scan: f returned a carry of structure ${treedefToString(c!)}, but init has structure ${treedefToString(carryTree)}; the carry must keep its structure`);
  }
  return [c!, y!];
}
