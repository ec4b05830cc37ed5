/** Evaluate a jaxpr by binding each equation under whatever transformations are active. */
import type { NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import { bind } from "../trace.js";
import { type Atom, type Jaxpr, Lit, type Var } from "./jaxpr-types.js";

/** Run `jaxpr` on `args` (constants first); every primitive goes through `bind`. */
export function evalJaxpr(jaxpr: Jaxpr, args: readonly NdArray[]): NdArray[] {
  if (args.length !== jaxpr.inBinders.length) {
    throw new ShapeError(`evalJaxpr: jaxpr takes ${jaxpr.inBinders.length} inputs, got ${args.length}`);
  }
  const env = new Map<Var, NdArray>();
  const read = (a: Atom): NdArray => (a instanceof Lit ? a.val : env.get(a)!);
  jaxpr.inBinders.forEach((v, i) => env.set(v, args[i]!));
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
    eqn.outBinders.forEach((v, i) => env.set(v, outs[i]!));
  }
  return jaxpr.outs.map(read);
}
