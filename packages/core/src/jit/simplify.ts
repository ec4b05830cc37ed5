/**
 * Jaxpr simplification before compilation: constant folding of scalar equations, removal of no-op
 * movement, transposes folded into the matrix products that feed them, common-subexpression
 * elimination and dead-code elimination.
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

/**
 * transpose(dot_general(a, b)) of a plain 2-d product (no batch dims, one free dim each side) is
 * dot_general(b, a): the GEMM writes the transposed layout directly instead of a strided copy after
 * it (reverse mode makes these for weight gradients, dWᵀ then transposed back). Only when the
 * product has no other reader, so nothing is computed twice.
 */
function foldTransposeIntoDot(e: JaxprEqn, producer: Map<Var, JaxprEqn>, uses: Map<Var, number>): JaxprEqn | null {
  if (e.prim !== "transpose") return null;
  const perm = (e.params as { permutation: readonly number[] }).permutation;
  const x = e.inputs[0]!;
  if (perm.length !== 2 || perm[0] !== 1 || x instanceof Lit || uses.get(x) !== 1) return null;
  const dot = producer.get(x);
  if (!dot || dot.prim !== "dot_general") return null;
  const { contracting, batch } = dot.params as JaxprEqn<"dot_general">["params"];
  const [lhs, rhs] = dot.inputs as [Atom, Atom];
  if (batch[0].length !== 0 || lhs.aval.ndim - contracting[0].length !== 1 || rhs.aval.ndim - contracting[1].length !== 1) return null;
  return { prim: "dot_general", inputs: [rhs, lhs], params: { contracting: [contracting[1], contracting[0]], batch }, outBinders: e.outBinders } as JaxprEqn;
}

/** How many equations (and outputs) read each variable. */
function useCounts(jaxpr: Jaxpr): Map<Var, number> {
  const uses = new Map<Var, number>();
  const use = (a: Atom) => { if (!(a instanceof Lit)) uses.set(a, (uses.get(a) ?? 0) + 1); };
  for (const e of jaxpr.eqns) e.inputs.forEach(use);
  jaxpr.outs.forEach(use);
  return uses;
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
  return deadCodeElimination(foldTransposes(deadCodeElimination(new Jaxpr(jaxpr.inBinders, eqns, outs))));
}

/** Fold transposes into the products feeding them (after CSE, so the use counts are final). */
function foldTransposes(jaxpr: Jaxpr): Jaxpr {
  const producer = new Map<Var, JaxprEqn>();
  const uses = useCounts(jaxpr);
  const eqns = jaxpr.eqns.map((e0) => {
    const e = foldTransposeIntoDot(e0, producer, uses) ?? e0;
    for (const v of e.outBinders) producer.set(v, e);
    return e;
  });
  return new Jaxpr(jaxpr.inBinders, eqns, jaxpr.outs);
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
