/**
 * `while`: loop a body over a carry while a condition holds (JAX's `while_p`). The cond jaxpr maps
 * (cond consts…, carry…) to a bool scalar; the body maps (body consts…, carry…) to the next carry.
 */
import type { NdArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { DTypeError, ShapeError } from "../../errors.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import { Jaxpr, Var } from "../../interpreters/jaxpr-types.js";
import { jvpFlat } from "../../interpreters/jvp.js";
import { bind } from "../../trace.js";
import type { RuleSet } from "../types.js";
import { avalsStr, checkInputs, memoized, traceJaxpr } from "./closed.js";
import { splitList } from "./lists.js";
import { WHILE_REVERSE_MODE, type WhileParams, whileGroups } from "./while-common.js";
import { whileBatch } from "./while-batch.js";
import { whilePartialEval, whilePartialEvalJaxpr } from "./while-partial-eval.js";

function abstractEval(avals: readonly ShapedArray[], p: WhileParams): ShapedArray[] {
  const [cc, bc, carry] = whileGroups(avals, p);
  checkInputs("whileLoop", "condition", p.condJaxpr, [...cc, ...carry], (i) => (i < cc.length ? `condition constant ${i}` : `carry ${i - cc.length}`));
  checkInputs("whileLoop", "body", p.bodyJaxpr, [...bc, ...carry], (i) => (i < bc.length ? `body constant ${i}` : `carry ${i - bc.length}`));
  const pred = p.condJaxpr.outs.map((o) => o.aval);
  if (pred.length !== 1 || pred[0]!.ndim !== 0) throw new ShapeError(`whileLoop: the condition must return one scalar bool (bool[]), got (${avalsStr(pred)})`);
  if (pred[0]!.dtype !== "bool") throw new DTypeError(`whileLoop: the condition must return a bool scalar, got ${pred[0]!.str()}; compare it (e.g. x.lt(n))`);
  const outs = p.bodyJaxpr.outs.map((o) => o.aval);
  if (outs.length !== carry.length || outs.some((o, i) => !o.equals(carry[i]!))) {
    throw new ShapeError(`whileLoop: the body returns (${avalsStr(outs)}) but the carry is (${avalsStr(carry)}); the carry must keep its shapes and dtypes`);
  }
  return carry;
}

function impl(args: readonly NdArray[], p: WhileParams): NdArray[] {
  const [cc, bc, init] = whileGroups(args, p);
  let carry = init;
  while (evalJaxpr(p.condJaxpr, [...cc, ...carry])[0]!.item()) carry = evalJaxpr(p.bodyJaxpr, [...bc, ...carry]);
  return carry;
}

// JAX's `_while_loop_jvp`: the body's jvp carries (carry, carry tangents); the condition reads only the
// primal carry. Without symbolic zeros every carry and body constant has a tangent.
function jvp(primals: NdArray[], tangents: NdArray[], p: WhileParams): [NdArray[], NdArray[]] {
  const [cc, bc, k] = whileGroups(primals, p);
  const [, bcd, kd] = whileGroups(tangents, p);
  const cond = p.condJaxpr;
  const condJaxpr = new Jaxpr([...cond.inBinders, ...k.map((x) => new Var(x.aval))], cond.eqns, cond.outs);
  const body = memoized(p.bodyJaxpr, `jvp:${bc.length}`, () => {
    const bA = bc.map((b) => b.aval);
    const kA = k.map((x) => x.aval);
    return traceJaxpr((...a) => {
      const [b, bd, c, cd] = splitList(a, [bA.length, bA.length, kA.length]);
      const [outs, touts] = jvpFlat((...ys) => evalJaxpr(p.bodyJaxpr, ys), [...b!, ...c!], [...bd!, ...cd!]);
      return [...outs, ...touts];
    }, [...bA, ...bA, ...kA, ...kA]);
  });
  const outs = bind("while", [...cc, ...body.consts, ...bc, ...bcd, ...k, ...kd], {
    condJaxpr,
    condNumConsts: cc.length,
    bodyJaxpr: body.jaxpr,
    bodyNumConsts: body.consts.length + 2 * bc.length,
  });
  return [outs.slice(0, k.length), outs.slice(k.length)];
}

/** `while`: forward-mode differentiable and batchable; reverse mode is a clear error (as in JAX). */
export const whileRules: RuleSet<"while"> = {
  abstractEval,
  impl,
  jvp,
  batch: whileBatch,
  partialEval: whilePartialEval,
  partialEvalJaxpr: whilePartialEvalJaxpr,
  transpose() {
    throw new Error(WHILE_REVERSE_MODE);
  },
};
