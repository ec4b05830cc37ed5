/** `whileLoop`: repeat a body while a condition holds, JAX's `lax.while_loop`. */
import type { ArrayLike, NdArray } from "../array.js";
import { DTypeError, ShapeError } from "../errors.js";
import { bind } from "../trace.js";
import { treedefEquals, treedefToString, unflatten } from "../tree.js";
import { argsTree, avalsOf, flattenLeaves, promoteWeakInit, traceTreeFn } from "./trace-fn.js";

/**
 * `carry = bodyFn(carry)` while `condFn(carry)` is true; returns the final carry (a pytree of the init's
 * structure, shapes and dtypes). Forward-mode differentiable and batchable (examples may take different
 * trip counts); reverse mode is an error: use `foriLoop` with static bounds or `scan`.
 */
export function whileLoop<C>(condFn: (carry: C) => ArrayLike, bodyFn: (carry: C) => C, init: C): C {
  if (typeof condFn !== "function" || typeof bodyFn !== "function") throw new TypeError("whileLoop: condFn and bodyFn must be functions of the carry");
  const [carry0, tree, weak] = flattenLeaves(init);
  let carry = carry0;
  const inTree = argsTree(tree);
  const traceBody = (init: NdArray[]) => traceTreeFn(bodyFn, inTree, avalsOf(init), init.map((x) => x.dtype));
  let body = traceBody(carry);
  const promoted = promoteWeakInit(carry, weak, body.jaxpr.outs.map((o) => o.aval));
  if (promoted) {
    carry = promoted;
    body = traceBody(carry);
  }
  if (!treedefEquals(body.outTree, tree)) {
    throw new TypeError(`whileLoop: bodyFn returned structure ${treedefToString(body.outTree)}, but the carry has structure ${treedefToString(tree)}`);
  }
  const cond = traceTreeFn(condFn, inTree, avalsOf(carry));
  const pred = cond.jaxpr.outs.map((o) => o.aval);
  if (pred.length !== 1 || pred[0]!.ndim !== 0) throw new ShapeError(`whileLoop: condFn must return one scalar bool, got (${pred.map((a) => a.str()).join(", ")})`);
  if (pred[0]!.dtype !== "bool") throw new DTypeError(`whileLoop: condFn must return a bool scalar, got ${pred[0]!.str()}; compare it (e.g. i.lt(n))`);
  const outs = bind("while", [...cond.consts, ...body.consts, ...carry], {
    condJaxpr: cond.jaxpr,
    condNumConsts: cond.consts.length,
    bodyJaxpr: body.jaxpr,
    bodyNumConsts: body.consts.length,
  });
  return unflatten<C>(tree, outs);
}
