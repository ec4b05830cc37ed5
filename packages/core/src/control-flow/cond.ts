/** `cond` and `switchCase`: choose a traced branch at run time, JAX's `lax.cond` and `lax.switch`. */
import type { ArrayLike, NdArray } from "../array.js";
import type { DType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { asArray } from "../np/convert.js";
import { avalsStr, joinConsts } from "../rules/control-flow/closed.js";
import { bind } from "../trace.js";
import { treedefEquals, treedefToString, unflatten } from "../tree.js";
import { avalsOf, flattenLeaves, traceTreeFn } from "./trace-fn.js";

// Branches take any operands: the loose type is the point.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Branch<T> = (...operands: any[]) => T;

/** Trace every branch at the operands and bind `cond` on an int32 index already in range; `names` name the branches in errors. */
function branchOn<T>(op: string, names: readonly string[], index: NdArray, fns: readonly Branch<T>[], operands: readonly unknown[]): T {
  const [leaves, tree] = flattenLeaves(operands);
  const avals = avalsOf(leaves);
  let traced = fns.map((f) => traceTreeFn(f, tree, avals));
  traced.forEach((t, i) => {
    if (!treedefEquals(t.outTree, traced[0]!.outTree)) {
      throw new TypeError(`${op}: ${names[i]} returns structure ${treedefToString(t.outTree)} but ${names[0]} returns ${treedefToString(traced[0]!.outTree)}`);
    }
  });
  // JAX's weak typing across branches: a JS-scalar output takes the dtype another branch gives that output.
  const strong: (DType | undefined)[] = traced[0]!.outWeak.map((_, j) => traced.find((t) => !t.outWeak[j])?.jaxpr.outs[j]!.aval.dtype);
  traced = traced.map((t, i) => (t.outWeak.some((w, j) => w && strong[j] && t.jaxpr.outs[j]!.aval.dtype !== strong[j]) ? traceTreeFn(fns[i]!, tree, avals, strong) : t));
  const outAvals = traced.map((t) => t.jaxpr.outs.map((o) => o.aval));
  outAvals.forEach((avals, i) => {
    if (avals.some((a, j) => !a.equals(outAvals[0]![j]!))) {
      throw new ShapeError(`${op}: ${names[i]} returns (${avalsStr(avals)}) but ${names[0]} returns (${avalsStr(outAvals[0]!)}); every branch must return the same shapes and dtypes`);
    }
  });
  const joined = joinConsts(traced);
  const outs = bind("cond", [index, ...joined.consts, ...leaves], { branches: joined.branches });
  return unflatten<T>(traced[0]!.outTree, outs);
}

/**
 * `pred ? trueFn(...operands) : falseFn(...operands)` with both branches traced and one run (JAX's
 * `lax.cond`). `pred` is a scalar (bool, or a number compared with 0); both branches must return the
 * same structure, shapes and dtypes. Differentiable, batchable (a batched pred runs both branches and
 * selects) and jittable.
 */
export function cond<T>(pred: ArrayLike, trueFn: Branch<T>, falseFn: Branch<T>, ...operands: unknown[]): T {
  const p = asArray(pred);
  if (p.ndim !== 0) throw new ShapeError(`cond: pred must be a scalar, got ${p.aval.str()}; for an elementwise choice use np.where`);
  const truth = p.dtype === "bool" ? p : lax.ne(p, lax.scalar(0, p.dtype));
  return branchOn("cond", ["falseFn", "trueFn"], lax.convertElementType(truth, "int32"), [falseFn, trueFn], operands);
}

/**
 * `branches[index](...operands)` with every branch traced (JAX's `lax.switch`); the index is clamped
 * into `[0, branches.length − 1]`, so an out-of-range index picks the first or last branch.
 */
export function switchCase<T>(index: ArrayLike, branches: readonly Branch<T>[], ...operands: unknown[]): T {
  const n = branches.length;
  if (n === 0) throw new RangeError("switchCase: needs at least one branch");
  if (typeof index === "number" && !Number.isInteger(index)) throw new RangeError(`switchCase: the index must be an integer, got ${index}`);
  const i = asArray(index, "int32");
  if (i.ndim !== 0) throw new ShapeError(`switchCase: the index must be a scalar, got ${i.aval.str()}`);
  if (isFloat(i.dtype) || i.dtype === "bool") throw new DTypeError(`switchCase: the index must be an integer scalar, got ${i.aval.str()}`);
  if (n === 1) return branches[0]!(...operands);
  const clamped = lax.max(lax.min(lax.convertElementType(i, "int32"), lax.scalar(n - 1, "int32")), lax.scalar(0, "int32"));
  return branchOn("switchCase", branches.map((_, i) => `branches[${i}]`), clamped, branches, operands);
}
