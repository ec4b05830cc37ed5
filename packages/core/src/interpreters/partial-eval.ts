/**
 * Partial evaluation: compute what is known now and stage what is unknown into a jaxpr.
 * `linearize` is jvp under partial evaluation with primals known and tangents unknown.
 */
import { type NdArray, Tracer } from "../array.js";
import type { ShapedArray } from "../aval.js";
import type { PrimName, PrimParams } from "../primitives.js";
import { rulesFor } from "../rules/table.js";
import type { PeContext } from "../rules/types.js";
import { Trace } from "../trace-base.js";
import { bind, fullLower, fullRaise, traceFor, withMainTrace } from "../trace.js";
import { type ClosedJaxpr, Jaxpr, type JaxprEqn, Var } from "./jaxpr-types.js";

/** A value that is either known (`known` set) or only known by its aval. */
export type PartialVal = { readonly aval: ShapedArray; readonly known: NdArray | null };

type EqnRecipe = { kind: "eqn"; prim: PrimName; ins: PePayload[]; params: unknown; outs: PePayload[] };
type Recipe = { kind: "lambda" } | { kind: "const"; val: NdArray } | EqnRecipe | null;
type PePayload = { pval: PartialVal; recipe: Recipe };

/** The partial-evaluation interpreter. */
export class PartialEvalTrace extends Trace<PePayload> {
  /** A tracer for a new input with partial value `pval`. */
  newArg(pval: PartialVal): Tracer<PePayload> {
    return new Tracer(this, { pval, recipe: pval.known ? null : { kind: "lambda" } });
  }
  override pure(x: NdArray): Tracer<PePayload> {
    return new Tracer(this, { pval: { aval: x.aval, known: x }, recipe: null });
  }
  /** Make a known tracer unknown (staged as a constant of the jaxpr). */
  instantiate(t: Tracer<PePayload>): Tracer<PePayload> {
    const k = t.payload.pval.known;
    if (k === null) return t;
    return new Tracer(this, { pval: { aval: k.aval, known: null }, recipe: { kind: "const", val: k } });
  }
  override processPrimitive<K extends PrimName>(prim: K, tracers: NdArray[], params: PrimParams[K]): NdArray[] {
    const ts = tracers as Tracer<PePayload>[];
    if (ts.every((t) => t.payload.pval.known !== null)) return bind(prim, ts.map((t) => t.payload.pval.known!), params);
    const rule = rulesFor(prim).partialEval;
    if (rule) return rule(this.context(), ts, params);
    const ins = ts.map((t) => this.instantiate(t).payload);
    const outAvals = rulesFor(prim).abstractEval(ins.map((p) => p.pval.aval), params);
    const recipe: EqnRecipe = { kind: "eqn", prim, ins, params, outs: [] };
    const outs = outAvals.map((aval) => new Tracer<PePayload>(this, { pval: { aval, known: null }, recipe }));
    recipe.outs = outs.map((o) => o.payload);
    return outs;
  }
  /** The view of this trace that primitives' partial-eval rules use. */
  private context(): PeContext {
    return {
      known: (t) => (t instanceof Tracer && t.trace.main === this.main ? (t as Tracer<PePayload>).payload.pval.known : t),
      stage: (prim, inputs, params, outAvals) => {
        const ins = inputs.map((x) => this.instantiate(fullRaise(this, x) as Tracer<PePayload>).payload);
        const recipe: EqnRecipe = { kind: "eqn", prim, ins, params, outs: [] };
        const outs = outAvals.map((aval) => new Tracer<PePayload>(this, { pval: { aval, known: null }, recipe }));
        recipe.outs = outs.map((o) => o.payload);
        return outs;
      },
    };
  }
  override avalOf(p: PePayload): ShapedArray {
    return p.pval.aval;
  }
  override fullLower(t: Tracer<PePayload>): NdArray {
    const k = t.payload.pval.known;
    return k !== null ? fullLower(k) : t;
  }
  override describe(): string {
    return "linearize/vjp (partial evaluation)";
  }
}

/** Topological order of the payloads reachable from `outs` (inputs before users). */
function toposort(outs: PePayload[]): PePayload[] {
  const order: PePayload[] = [];
  const seen = new Set<PePayload>();
  const stack: [PePayload, boolean][] = outs.map((o) => [o, false]);
  while (stack.length) {
    const [node, expanded] = stack.pop()!;
    if (expanded) {
      order.push(node);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push([node, true]);
    if (node.recipe?.kind === "eqn") for (const p of node.recipe.ins) if (!seen.has(p)) stack.push([p, false]);
  }
  return order;
}

/** Build a jaxpr computing `outs` from `ins` (constants become leading binders). */
function tracersToJaxpr(ins: PePayload[], outs: PePayload[]): ClosedJaxpr {
  const vars = new Map<PePayload, Var>();
  for (const p of ins) vars.set(p, new Var(p.pval.aval));
  const constVars = new Map<NdArray, Var>();
  const done = new Set<EqnRecipe>();
  const eqns: JaxprEqn[] = [];
  for (const p of toposort(outs)) {
    const r = p.recipe;
    if (r === null || r.kind === "lambda") {
      if (!vars.has(p)) throw new Error("partial eval: an input of the staged computation was not declared");
    } else if (r.kind === "const") {
      let v = constVars.get(r.val);
      if (!v) constVars.set(r.val, (v = new Var(r.val.aval)));
      vars.set(p, v);
    } else if (!done.has(r)) {
      done.add(r);
      const outBinders = r.outs.map((o) => {
        const v = new Var(o.pval.aval);
        vars.set(o, v);
        return v;
      });
      eqns.push({ prim: r.prim, inputs: r.ins.map((i) => vars.get(i)!), params: r.params, outBinders } as JaxprEqn);
    }
  }
  const consts = [...constVars.keys()];
  const jaxpr = new Jaxpr([...consts.map((c) => constVars.get(c)!), ...ins.map((p) => vars.get(p)!)], eqns, outs.map((p) => vars.get(p)!));
  return { jaxpr, consts };
}

/** Partially evaluate `f`: known outputs computed now, unknown ones staged into a jaxpr of the unknown inputs. */
export function partialEvalFlat(
  f: (...xs: NdArray[]) => NdArray[],
  pvalsIn: PartialVal[],
  instantiate: (i: number) => boolean = () => false,
): { closed: ClosedJaxpr; pvalsOut: PartialVal[] } {
  return withMainTrace(PartialEvalTrace, null, (main) => {
    const trace = traceFor(main) as PartialEvalTrace;
    const tracersIn = pvalsIn.map((p) => trace.newArg(p));
    const tracersOut = f(...tracersIn).map((o, i) => {
      const t = fullRaise(trace, o) as Tracer<PePayload>;
      return instantiate(i) ? trace.instantiate(t) : t;
    });
    const unknownIn = tracersIn.filter((t) => t.payload.pval.known === null).map((t) => t.payload);
    const unknownOut = tracersOut.filter((t) => t.payload.pval.known === null).map((t) => t.payload);
    return { closed: tracersToJaxpr(unknownIn, unknownOut), pvalsOut: tracersOut.map((t) => t.payload.pval) };
  });
}
