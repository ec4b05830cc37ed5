/**
 * Partial evaluation of `cond` (JAX's `_cond_partial_eval`). With a known index, every branch is
 * split with the union of the branches' unknown outputs, so all agree on which outputs are unknown.
 * Residuals are unified across branches: each residual gets a slot, slots of equal aval are shared
 * between branches, and a branch fills the slots it does not use with zeros. The known cond returns
 * the slots and the unknown cond (given the same index) reads them. An unknown index stages it all.
 */
import type { NdArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { type Atom, Jaxpr, type JaxprEqn, Var } from "../../interpreters/jaxpr-types.js";
import { type JaxprSplit, partialEvalJaxpr } from "../../interpreters/partial-eval-jaxpr.js";
import { bind } from "../../trace.js";
import type { PeContext, PeJaxprSplit } from "../types.js";
import { noopEqn, zerosEqn } from "./eqns.js";
import { merge, orMask, pick } from "./lists.js";

type CondSplit = { unknownsOut: boolean[]; known: Jaxpr[]; unknown: Jaxpr[]; slots: ShapedArray[] };

/** Assign each branch's residuals to slots: a branch reuses any slot of equal aval it does not use yet. */
function assignSlots(splits: readonly JaxprSplit[]): { slots: ShapedArray[]; of: Var[][] } {
  const slots: ShapedArray[] = [];
  const residualsOf = splits.map((s) => s.known.outs.slice(s.known.outs.length - s.numResiduals) as Var[]);
  const of = residualsOf.map((res) => {
    const bySlot: (Var | undefined)[] = [];
    for (const r of res) {
      let s = slots.findIndex((a, k) => bySlot[k] === undefined && a.equals(r.aval));
      if (s < 0) s = slots.push(r.aval) - 1;
      bySlot[s] = r;
    }
    return bySlot as Var[];
  });
  return { slots, of };
}

function splitCond(branches: readonly Jaxpr[], opsUk: readonly boolean[]): CondSplit {
  const first = branches.map((b) => partialEvalJaxpr(b, opsUk));
  const unknownsOut = first.reduce((acc, s) => orMask(acc, s.unknownsOut), first[0]!.unknownsOut.map(() => false));
  const splits = branches.map((b) => partialEvalJaxpr(b, opsUk, unknownsOut));
  const { slots, of } = assignSlots(splits);
  const known = splits.map((s, i) => {
    const nKnown = s.known.outs.length - s.numResiduals;
    const fills = slots.map((a, k) => (of[i]![k] ? null : zerosEqn(a)));
    const slotOuts = slots.map((_, k) => of[i]![k] ?? fills[k]!.outBinders[0]!);
    return new Jaxpr(s.known.inBinders, [...s.known.eqns, ...fills.filter((e) => e !== null)], [...s.known.outs.slice(0, nKnown), ...slotOuts]);
  });
  const unknown = splits.map((s, i) => {
    const slotBinders = slots.map((a, k) => of[i]![k] ?? new Var(a));
    return new Jaxpr([...slotBinders, ...s.unknown.inBinders.slice(s.numResiduals)], s.unknown.eqns, s.unknown.outs);
  });
  return { unknownsOut, known, unknown, slots };
}

/** Partial evaluation of a cond on tracers. */
export function condPartialEval(ctx: PeContext, tracers: NdArray[], params: { branches: readonly Jaxpr[] }): NdArray[] {
  const known = tracers.map((t) => ctx.known(t));
  const outAvals = params.branches[0]!.outs.map((o) => o.aval);
  const index = known[0];
  if (index === null || index === undefined) return ctx.stage("cond", tracers, params, outAvals);
  const opsUk = known.slice(1).map((k) => k === null);
  const s = splitCond(params.branches, opsUk);
  const knownOuts = bind("cond", [index, ...(pick(known.slice(1), opsUk, false) as NdArray[])], { branches: s.known });
  const nKnown = knownOuts.length - s.slots.length;
  const ukOuts = ctx.stage("cond", [index, ...knownOuts.slice(nKnown), ...pick(tracers.slice(1), opsUk)], { branches: s.unknown }, pick(outAvals, s.unknownsOut));
  return merge(s.unknownsOut, knownOuts.slice(0, nKnown), ukOuts);
}

/** Partial evaluation of a cond equation. */
export function condPartialEvalJaxpr(unknownsIn: boolean[], eqn: JaxprEqn<"cond">): PeJaxprSplit {
  const knownVars = (atoms: readonly Atom[]) => atoms.filter((a, i): a is Var => a instanceof Var && !unknownsIn[i]);
  if (unknownsIn[0]) {
    return { known: noopEqn(), unknown: eqn, unknownsOut: eqn.outBinders.map(() => true), residuals: knownVars(eqn.inputs) };
  }
  const opsUk = unknownsIn.slice(1);
  const s = splitCond(eqn.params.branches, opsUk);
  const slotVars = s.slots.map((a) => new Var(a));
  const index = eqn.inputs[0]!;
  return {
    known: { prim: "cond", inputs: [index, ...pick(eqn.inputs.slice(1), opsUk, false)], params: { branches: s.known }, outBinders: [...pick(eqn.outBinders, s.unknownsOut, false), ...slotVars] },
    unknown: { prim: "cond", inputs: [index, ...slotVars, ...pick(eqn.inputs.slice(1), opsUk)], params: { branches: s.unknown }, outBinders: pick(eqn.outBinders, s.unknownsOut) },
    unknownsOut: s.unknownsOut,
    residuals: [...(index instanceof Var ? [index] : []), ...slotVars],
  };
}
