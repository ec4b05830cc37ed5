/**
 * Partial evaluation of a jaxpr (Autodidax's `partial_eval_jaxpr`): split it into a known jaxpr,
 * which also returns residuals, and an unknown jaxpr that takes those residuals first.
 */
import { rulesFor } from "../rules/table.js";
import { type Atom, Jaxpr, type JaxprEqn, Lit, type Var } from "./jaxpr-types.js";

/** The two halves of a partially evaluated jaxpr. */
export type JaxprSplit = { known: Jaxpr; unknown: Jaxpr; unknownsOut: boolean[]; numResiduals: number };

/**
 * Split `jaxpr` given which inputs are unknown. Known outputs come first from `known`, then the
 * residuals; `unknown` takes residuals then the unknown inputs. `instantiate[i]` forces output i unknown.
 */
export function partialEvalJaxpr(jaxpr: Jaxpr, unknownsIn: readonly boolean[], instantiate?: readonly boolean[]): JaxprSplit {
  const unknown = new Map<Var, boolean>();
  const residuals = new Set<Var>();
  const read = (a: Atom): boolean => !(a instanceof Lit) && unknown.get(a) === true;
  const asResidual = (a: Atom): Atom => {
    if (!(a instanceof Lit)) residuals.add(a);
    return a;
  };
  jaxpr.inBinders.forEach((v, i) => unknown.set(v, unknownsIn[i]!));
  const eqns1: JaxprEqn[] = [];
  const eqns2: JaxprEqn[] = [];
  for (const eqn of jaxpr.eqns) {
    const unks = eqn.inputs.map(read);
    const rule = rulesFor(eqn.prim).partialEvalJaxpr as ((u: boolean[], e: JaxprEqn) => ReturnType<NonNullable<ReturnType<typeof rulesFor>["partialEvalJaxpr"]>>) | undefined;
    if (rule && unks.some((u) => u)) {
      const split = rule(unks, eqn);
      eqns1.push(split.known);
      eqns2.push(split.unknown);
      split.residuals.forEach((r) => residuals.add(r));
      eqn.outBinders.forEach((v, i) => unknown.set(v, split.unknownsOut[i]!));
    } else if (unks.some((u) => u)) {
      eqns2.push({ ...eqn, inputs: eqn.inputs.map((a, i) => (unks[i] ? a : asResidual(a))) });
      eqn.outBinders.forEach((v) => unknown.set(v, true));
    } else {
      eqns1.push(eqn);
      eqn.outBinders.forEach((v) => unknown.set(v, false));
    }
  }
  let unknownsOut = jaxpr.outs.map(read);
  if (instantiate) {
    jaxpr.outs.forEach((o, i) => {
      if (!unknownsOut[i] && instantiate[i]) asResidual(o);
    });
    unknownsOut = unknownsOut.map((u, i) => u || (instantiate[i] ?? false));
  }
  // Residuals that are unknown inputs themselves need not flow through the known jaxpr.
  const res = [...residuals].filter((r) => !unknown.get(r));
  const ins1 = jaxpr.inBinders.filter((_, i) => !unknownsIn[i]);
  const ins2 = jaxpr.inBinders.filter((_, i) => unknownsIn[i]);
  const outs1 = jaxpr.outs.filter((_, i) => !unknownsOut[i]);
  const outs2 = jaxpr.outs.filter((_, i) => unknownsOut[i]);
  return {
    known: new Jaxpr(ins1, eqns1, [...outs1, ...res]),
    unknown: new Jaxpr([...res, ...ins2], eqns2, outs2),
    unknownsOut,
    numResiduals: res.length,
  };
}
