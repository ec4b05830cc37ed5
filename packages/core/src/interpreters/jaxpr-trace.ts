/** Tracing to a jaxpr: every primitive applied to a JaxprTracer is recorded as an equation. */
import { type NdArray, Tracer, isTracer } from "../array.js";
import type { ShapedArray } from "../aval.js";
import type { PrimName, PrimParams } from "../primitives.js";
import { rulesFor } from "../rules/table.js";
import { Trace } from "../trace-base.js";
import { fullRaise, traceFor, withDynamicTrace, withMainTrace } from "../trace.js";
import { type Atom, type ClosedJaxpr, Jaxpr, type JaxprEqn, Lit, Var } from "./jaxpr-types.js";

type JaxprPayload = { readonly aval: ShapedArray };

/** Collects equations and constants while tracing. */
class JaxprBuilder {
  readonly eqns: JaxprEqn[] = [];
  readonly vars = new Map<JaxprPayload, Var>();
  readonly consts = new Map<NdArray, Tracer<JaxprPayload>>();
  readonly constVals = new Map<JaxprPayload, NdArray>();

  varFor(p: JaxprPayload): Var {
    let v = this.vars.get(p);
    if (!v) {
      v = new Var(p.aval);
      this.vars.set(p, v);
    }
    return v;
  }
}

/** The jaxpr-building interpreter; its main trace's globalData is the builder. */
export class JaxprTrace extends Trace<JaxprPayload> {
  private get builder(): JaxprBuilder {
    return this.main.globalData as JaxprBuilder;
  }
  /** A tracer standing for a new input. */
  newArg(aval: ShapedArray): Tracer<JaxprPayload> {
    const t = new Tracer<JaxprPayload>(this, { aval });
    this.builder.varFor(t.payload);
    return t;
  }
  override pure(x: NdArray): Tracer<JaxprPayload> {
    // Closed-over values (concrete or from an outer trace) become constants of the jaxpr.
    let t = this.builder.consts.get(x);
    if (!t) {
      t = new Tracer<JaxprPayload>(this, { aval: x.aval });
      this.builder.consts.set(x, t);
      this.builder.constVals.set(t.payload, x);
      this.builder.varFor(t.payload);
    }
    return t;
  }
  override processPrimitive<K extends PrimName>(prim: K, tracers: NdArray[], params: PrimParams[K]): NdArray[] {
    const ins = tracers as Tracer<JaxprPayload>[];
    const outAvals = rulesFor(prim).abstractEval(ins.map((t) => t.payload.aval), params);
    const outs = outAvals.map((aval) => new Tracer<JaxprPayload>(this, { aval }));
    const b = this.builder;
    b.eqns.push({ prim, inputs: ins.map((t) => b.varFor(t.payload)), params, outBinders: outs.map((o) => b.varFor(o.payload)) } as JaxprEqn);
    return outs;
  }
  override avalOf(p: JaxprPayload): ShapedArray {
    return p.aval;
  }
  override describe(): string {
    return "makeJaxpr/jit tracing";
  }
}

/** Trace `f` on abstract inputs into a closed jaxpr (constants first), inlining scalar constants as literals. */
export function makeJaxprFlat(f: (...xs: NdArray[]) => NdArray[], inAvals: readonly ShapedArray[]): { closed: ClosedJaxpr; outAvals: ShapedArray[] } {
  const builder = new JaxprBuilder();
  return withMainTrace(JaxprTrace, builder, (main) =>
    withDynamicTrace(main, () => {
      const trace = traceFor(main) as JaxprTrace;
      const argTracers = inAvals.map((a) => trace.newArg(a));
      const outs = f(...argTracers).map((o) => fullRaise(trace, o) as Tracer<JaxprPayload>);
      const argVars = argTracers.map((t) => builder.varFor(t.payload));
      const constPayloads = [...builder.constVals.keys()];
      const closed = inlineLiterals(
        new Jaxpr([...constPayloads.map((p) => builder.varFor(p)), ...argVars], builder.eqns, outs.map((o) => builder.varFor(o.payload))),
        constPayloads.map((p) => builder.constVals.get(p)!),
      );
      return { closed, outAvals: outs.map((o) => o.payload.aval) };
    }),
  );
}

/** Replace 0-d concrete constants by literals so printed jaxprs read like JAX's (`mul b 2.0`). */
function inlineLiterals(jaxpr: Jaxpr, consts: NdArray[]): ClosedJaxpr {
  const numConsts = consts.length;
  const lits = new Map<Var, Lit>();
  const keptBinders: Var[] = [];
  const keptConsts: NdArray[] = [];
  jaxpr.inBinders.slice(0, numConsts).forEach((v, i) => {
    const c = consts[i]!;
    if (c.ndim === 0 && !isTracer(c)) lits.set(v, new Lit(c));
    else {
      keptBinders.push(v);
      keptConsts.push(c);
    }
  });
  const sub = (a: Atom): Atom => (a instanceof Var ? (lits.get(a) ?? a) : a);
  const eqns = jaxpr.eqns.map((e) => ({ ...e, inputs: e.inputs.map(sub) }));
  return { jaxpr: new Jaxpr([...keptBinders, ...jaxpr.inBinders.slice(numConsts)], eqns, jaxpr.outs.map(sub)), consts: keptConsts };
}
