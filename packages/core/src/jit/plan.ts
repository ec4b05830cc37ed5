/**
 * Execution plans: a simplified, fused jaxpr as a flat list of steps, cached per jaxpr and run by
 * `pjit`'s impl. Only inputs come in and outputs go out; intermediates of fused loops never exist.
 */
import { ConcreteArray, type NdArray, bufferOf } from "../array.js";
import { allocate } from "../dtype.js";
import { type Atom, type Jaxpr, Lit, type Var } from "../interpreters/jaxpr-types.js";
import { SHORT_NAME } from "../dtype.js";
import { bind } from "../trace.js";
import { type Step, fuse } from "./fusion.js";
import { simplifyJaxpr } from "./simplify.js";

/** A compiled program. */
export type Plan = { readonly jaxpr: Jaxpr; readonly steps: Step[] };

const plans = new WeakMap<Jaxpr, Plan>();

/** The plan for `jaxpr` (built once: simplification, then fusion). */
export function planFor(jaxpr: Jaxpr): Plan {
  let plan = plans.get(jaxpr);
  if (!plan) {
    const simple = simplifyJaxpr(jaxpr);
    plan = { jaxpr: simple, steps: fuse(simple) };
    plans.set(jaxpr, plan);
  }
  return plan;
}

/** Run a plan on concrete inputs. */
export function runPlan(plan: Plan, args: readonly NdArray[]): NdArray[] {
  const env = new Map<Var, NdArray>();
  const read = (a: Atom): NdArray => (a instanceof Lit ? a.val : env.get(a)!);
  plan.jaxpr.inBinders.forEach((v, i) => env.set(v, args[i]!));
  for (const step of plan.steps) {
    if (step.kind === "eqn") {
      const outs = bind(step.eqn.prim, step.eqn.inputs.map(read), step.eqn.params);
      step.eqn.outBinders.forEach((v, i) => env.set(v, outs[i]!));
      continue;
    }
    const n = step.shape.reduce((a, b) => a * b, 1);
    const ins = step.inputs.map((a) => bufferOf(read(a) as ConcreteArray));
    const bufs = step.outputs.map((v) => allocate(v.aval.dtype, n));
    step.run(ins, bufs, n);
    step.outputs.forEach((v, i) => env.set(v, new ConcreteArray(bufs[i]!, v.aval.shape, v.aval.dtype)));
  }
  return plan.jaxpr.outs.map(read);
}

/** A readable listing of a plan: steps, buffer sizes and the peak bytes of live intermediates. */
export function describePlan(plan: Plan): string {
  const bytes = (v: Var) => v.aval.size * (v.aval.dtype === "float64" ? 8 : v.aval.dtype === "bool" ? 1 : 4);
  const lastUse = new Map<Var, number>();
  plan.steps.forEach((s, i) => {
    const ins = s.kind === "eqn" ? s.eqn.inputs : s.inputs;
    for (const a of ins) if (!(a instanceof Lit)) lastUse.set(a, i);
  });
  const outsOf = (s: Step) => (s.kind === "eqn" ? s.eqn.outBinders : s.outputs);
  let live = 0;
  let peak = 0;
  const alive: Var[] = [];
  const lines = plan.steps.map((s, i) => {
    const outs = outsOf(s);
    for (const v of outs) {
      alive.push(v);
      live += bytes(v);
    }
    peak = Math.max(peak, live);
    for (let k = alive.length - 1; k >= 0; k--) {
      const v = alive[k]!;
      if ((lastUse.get(v) ?? -1) <= i && !plan.jaxpr.outs.includes(v)) {
        live -= bytes(v);
        alive.splice(k, 1);
      }
    }
    const shapes = outs.map((v) => `${SHORT_NAME[v.aval.dtype]}[${v.aval.shape.join(",")}]`).join(" ");
    const what = s.kind === "eqn" ? s.eqn.prim : `fused{${s.eqns.map((e) => e.prim).join(",")}}`;
    return `  ${String(i).padStart(3)}: ${what} -> ${shapes} (${outs.reduce((n, v) => n + bytes(v), 0)} B)`;
  });
  return `plan: ${plan.steps.length} steps (${plan.jaxpr.eqns.length} equations), peak intermediate bytes ${peak}\n${lines.join("\n")}`;
}
