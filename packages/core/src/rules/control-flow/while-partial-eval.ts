/**
 * Partial evaluation of `while` (JAX's `_while_partial_eval`). Known carries that never depend on
 * unknown ones (a fixed point) are computed now by a known loop when the condition is known too; the
 * unknown carries come from the whole loop, staged. That staged loop is not linear, so reverse mode
 * fails at its transposition with a clear message, while `linearize` + evaluation still works.
 */
import type { NdArray } from "../../array.js";
import { Jaxpr, type JaxprEqn, Var } from "../../interpreters/jaxpr-types.js";
import { partialEvalJaxpr } from "../../interpreters/partial-eval-jaxpr.js";
import { bind } from "../../trace.js";
import type { PeContext, PeJaxprSplit } from "../types.js";
import { noopEqn } from "./eqns.js";
import { merge, orMask, pick, sameMask } from "./lists.js";
import { type WhileParams, whileGroups } from "./while-common.js";

type WhileSplit = { carryUk: boolean[]; knownParams: WhileParams; known: <T>(ops: readonly T[]) => T[] };

const count = (mask: readonly boolean[], value = true) => mask.filter((m) => m === value).length;

/** The known loop, or null when nothing can be computed ahead (unknown condition, or no known carry). */
function splitWhile(p: WhileParams, unknownsIn: readonly boolean[]): WhileSplit | null {
  const [cUk, bUk, initUk] = whileGroups(unknownsIn, p);
  let carryUk = initUk;
  let body = partialEvalJaxpr(p.bodyJaxpr, [...bUk, ...carryUk], carryUk);
  while (!sameMask(body.unknownsOut, carryUk)) {
    carryUk = orMask(carryUk, body.unknownsOut);
    body = partialEvalJaxpr(p.bodyJaxpr, [...bUk, ...carryUk], carryUk);
  }
  if (carryUk.every((u) => u)) return null;
  const cond = partialEvalJaxpr(p.condJaxpr, [...cUk, ...carryUk]);
  if (cond.unknownsOut[0]) return null;
  const knownParams: WhileParams = {
    condJaxpr: new Jaxpr(cond.known.inBinders, cond.known.eqns, cond.known.outs.slice(0, 1)),
    condNumConsts: count(cUk, false),
    bodyJaxpr: new Jaxpr(body.known.inBinders, body.known.eqns, body.known.outs.slice(0, count(carryUk, false))),
    bodyNumConsts: count(bUk, false),
  };
  const known = <T>(ops: readonly T[]) => {
    const [cc, bc, k] = whileGroups(ops, p);
    return [...pick(cc, cUk, false), ...pick(bc, bUk, false), ...pick(k, carryUk, false)];
  };
  return { carryUk, knownParams, known };
}

/** Partial evaluation of a while loop on tracers. */
export function whilePartialEval(ctx: PeContext, tracers: NdArray[], p: WhileParams): NdArray[] {
  const known = tracers.map((t) => ctx.known(t));
  const s = splitWhile(p, known.map((k) => k === null));
  const carryAvals = p.bodyJaxpr.outs.map((o) => o.aval);
  const staged = ctx.stage("while", tracers, p, carryAvals);
  if (!s) return staged;
  const knownOuts = bind("while", s.known(tracers.map((t, i) => known[i] ?? t)), s.knownParams);
  return merge(s.carryUk, knownOuts, pick(staged, s.carryUk));
}

/** Partial evaluation of a while equation: the known loop, and the whole loop for the unknown carries. */
export function whilePartialEvalJaxpr(unknownsIn: boolean[], eqn: JaxprEqn<"while">): PeJaxprSplit {
  const s = splitWhile(eqn.params, unknownsIn);
  const carryUk = s?.carryUk ?? eqn.outBinders.map(() => true);
  return {
    known: s ? { prim: "while", inputs: s.known(eqn.inputs), params: s.knownParams, outBinders: pick(eqn.outBinders, carryUk, false) } : noopEqn(),
    // The staged loop recomputes the known carries too; fresh binders keep each variable defined once.
    unknown: { ...eqn, outBinders: eqn.outBinders.map((v, i) => (carryUk[i] ? v : new Var(v.aval))) },
    unknownsOut: carryUk,
    residuals: eqn.inputs.filter((a, i): a is Var => a instanceof Var && !unknownsIn[i]),
  };
}
