/**
 * Jaxpr simplification before compilation: constant folding of scalar equations, removal of no-op
 * movement, common-subexpression elimination and dead-code elimination.
 */
import { ConcreteArray } from "../array.js";
import { type Atom, Jaxpr, type JaxprEqn, Lit, type Var } from "../interpreters/jaxpr-types.js";
import type { PrimName } from "../primitives.js";
import { rulesFor } from "../rules/table.js";
import type { RuleSet } from "../rules/types.js";

const objectIds = new WeakMap<object, number>();
let nextId = 0;

/** A stable key for params: plain data by value, jaxprs and functions by identity. */
function paramKey(v: unknown): string {
  if (v === null || typeof v !== "object") return typeof v === "function" ? `#${idOf(v)}` : JSON.stringify(v) ?? "u";
  if (Array.isArray(v)) return `[${v.map(paramKey).join(",")}]`;
  if (Object.getPrototypeOf(v) !== Object.prototype) return `#${idOf(v)}`;
  return `{${Object.keys(v).sort().map((k) => `${k}:${paramKey((v as Record<string, unknown>)[k])}`).join(",")}}`;
}

function idOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextId++));
  return id;
}

function atomKey(a: Atom): string {
  return a instanceof Lit ? `lit:${a.val.dtype}:${String(a.val.item())}` : `v${a.id}`;
}

/** The input an equation forwards unchanged, if it is a no-op (identity reshape, transpose, cast, …). */
function noopSource(e: JaxprEqn): Atom | null {
  const x = e.inputs[0];
  const out = e.outBinders[0];
  if (!x || !out || e.outBinders.length !== 1) return null;
  const sameAval = x.aval.equals(out.aval);
  switch (e.prim) {
    case "reshape":
    case "convert_element_type":
    case "broadcast_in_dim":
      return sameAval ? x : null;
    case "transpose": {
      const perm = (e.params as { permutation: readonly number[] }).permutation;
      return perm.every((p, i) => p === i) ? x : null;
    }
    case "rev":
      return (e.params as { dimensions: readonly number[] }).dimensions.length === 0 ? x : null;
    case "concatenate":
      return e.inputs.length === 1 ? x : null;
    default:
      return null;
  }
}

/** Evaluate an equation whose inputs are all literals and whose output is a scalar. */
function foldConstant(e: JaxprEqn): Lit | null {
  if (e.outBinders.length !== 1 || e.outBinders[0]!.aval.ndim !== 0) return null;
  if (!e.inputs.every((a) => a instanceof Lit)) return null;
  if (e.prim === "pjit" || e.prim.startsWith("custom") || e.prim === "scan" || e.prim === "while" || e.prim === "cond") return null;
  // Run the impl directly: `bind` could stage the equation into an enclosing trace.
  const rules = rulesFor(e.prim) as RuleSet<PrimName>;
  const args = e.inputs.map((a) => (a as Lit).val as ConcreteArray);
  const out = rules.impl(args, e.params, rules.abstractEval(args.map((a) => a.aval), e.params))[0];
  return out instanceof ConcreteArray ? new Lit(out) : null;
}

/** Simplify `jaxpr` (its inputs and outputs keep their meaning; equations may be removed or shared). */
export function simplifyJaxpr(jaxpr: Jaxpr): Jaxpr {
  const subst = new Map<Var, Atom>();
  const read = (a: Atom): Atom => (a instanceof Lit ? a : (subst.get(a) ?? a));
  const seen = new Map<string, Var[]>();
  const eqns: JaxprEqn[] = [];
  // reshape(reshape(x)) reads x directly (and disappears when it restores x's shape).
  const reshapeSource = new Map<Var, Atom>();
  for (const e0 of jaxpr.eqns) {
    let e = { ...e0, inputs: e0.inputs.map(read) } as JaxprEqn;
    if (e.prim === "reshape") {
      const src = e.inputs[0]!;
      const inner = src instanceof Lit ? undefined : reshapeSource.get(src);
      if (inner) e = { ...e, inputs: [inner] } as JaxprEqn;
      reshapeSource.set(e.outBinders[0]!, e.inputs[0]!);
    }
    const src = noopSource(e);
    if (src) {
      subst.set(e.outBinders[0]!, src);
      continue;
    }
    const folded = foldConstant(e);
    if (folded) {
      subst.set(e.outBinders[0]!, folded);
      continue;
    }
    const key = `${e.prim}|${paramKey(e.params)}|${e.inputs.map(atomKey).join(",")}`;
    const prev = seen.get(key);
    if (prev) {
      e.outBinders.forEach((v, i) => subst.set(v, prev[i]!));
      continue;
    }
    seen.set(key, e.outBinders);
    eqns.push(e);
  }
  const outs = jaxpr.outs.map(read);
  return deadCodeElimination(new Jaxpr(jaxpr.inBinders, eqns, outs));
}

/** Drop equations none of whose outputs reach the jaxpr's outputs (every primitive is pure). */
export function deadCodeElimination(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const o of jaxpr.outs) if (!(o instanceof Lit)) live.add(o);
  const kept: JaxprEqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const e = jaxpr.eqns[i]!;
    if (!e.outBinders.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (!(a instanceof Lit)) live.add(a);
  }
  return new Jaxpr(jaxpr.inBinders, kept.reverse(), jaxpr.outs);
}
