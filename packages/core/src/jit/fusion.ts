/**
 * Loop fusion: maximal runs of elementwise equations with one output shape become a single
 * generated loop, so intermediates are never materialised and each element is touched once.
 */
import type { DType } from "../dtype.js";
import type { FusedCompiler } from "../backend/backend.js";
import { type Atom, Jaxpr, type JaxprEqn, Lit, Var } from "../interpreters/jaxpr-types.js";
import { broadcastBlock, isFusible, scalarExpr, scalarFunctionTable, store } from "./scalar-code.js";

/** A fused elementwise loop: reads `inputs`, writes the `outputs` that are used outside it. */
export type FusedGroup = {
  readonly kind: "fused";
  readonly eqns: JaxprEqn[];
  readonly inputs: Atom[];
  readonly outputs: Var[];
  readonly shape: readonly number[];
  /** Who runs the loop: "js" (a generated JavaScript loop) or the backend that compiled it. */
  readonly engine: string;
  readonly run: (ins: ArrayLike<number>[], outs: { [i: number]: number }[], n: number) => void;
  /** The loop on device memory (addresses of inputs and outputs), when the backend compiled one. */
  readonly runDevice?: (ins: readonly number[], outs: readonly number[], n: number) => void;
};

/** A step of a plan: one equation run as a kernel, or a fused loop. */
export type Step = { readonly kind: "eqn"; readonly eqn: JaxprEqn } | FusedGroup;

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Who will run a group: the backend's fused loops or a generated JS loop. Groups never mix the two. */
type Engine = "backend" | "js";

type Open = { eqns: JaxprEqn[]; shape: readonly number[]; closed: boolean; produced: Set<Var>; engine: Engine };

/** A backend's fused-loop compiler, with the name its groups show in plans. */
export type BackendFusion = { readonly compiler: FusedCompiler; readonly name: string };

/**
 * Partition `jaxpr`'s equations into kernel steps and fused groups (in an order that respects
 * dependencies). `accelerated` ops stay kernel calls; `backendFuse`, when given, compiles the groups
 * it accepts to the backend's own loops (named `engine`), the rest become generated JS loops.
 */
export function fuse(program: Jaxpr, accelerated: ReadonlySet<string> = new Set(), backendFuse?: BackendFusion): Step[] {
  const engineOf = (e: JaxprEqn): Engine | null =>
    backendFuse?.compiler.accepts(e) ? "backend" : isFusible(e, accelerated) ? "js" : null;
  const jaxpr = rematerializeConstants(program, engineOf);
  const producer = new Map<Var, Open>();
  const groups: Open[] = [];
  // Each entry is a kernel equation or a group (placed where its last equation was).
  const order: (JaxprEqn | Open)[] = [];
  const position = new Map<JaxprEqn, number>(jaxpr.eqns.map((e, i) => [e, i]));
  for (const eqn of jaxpr.eqns) {
    const inputGroups = new Set<Open>();
    for (const a of eqn.inputs) if (!(a instanceof Lit)) {
      const g = producer.get(a);
      if (g) inputGroups.add(g);
    }
    const shape = eqn.outBinders[0]?.aval.shape;
    let target: Open | undefined;
    const engine = engineOf(eqn);
    const fusible = engine !== null && shape !== undefined && eqn.outBinders.length === 1;
    const joinable = fusible ? [...inputGroups].filter((g) => !g.closed && g.engine === engine && sameShape(g.shape, shape)) : [];
    target = joinable[0];
    // Open groups of the same shape feeding this equation merge into one loop (none has outside users yet).
    for (const g of joinable.slice(1)) {
      target!.eqns.push(...g.eqns);
      for (const v of g.produced) {
        producer.set(v, target!);
        target!.produced.add(v);
      }
      order.splice(order.indexOf(g), 1);
    }
    if (target) target.eqns.sort((a, b) => position.get(a)! - position.get(b)!);
    // Any other group whose value this equation reads must be materialised now: close it.
    for (const g of inputGroups) if (g !== target && !joinable.includes(g)) g.closed = true;
    if (target) {
      target.eqns.push(eqn);
      // Move the group's execution point to this, its latest, equation.
      order.splice(order.indexOf(target), 1);
      order.push(target);
    } else if (fusible) {
      target = { eqns: [eqn], shape: shape!, closed: false, produced: new Set(), engine: engine! };
      groups.push(target);
      order.push(target);
    } else {
      order.push(eqn);
    }
    if (target) for (const v of eqn.outBinders) {
      producer.set(v, target);
      target.produced.add(v);
    }
  }
  const usedOutside = new Set<Var>();
  const markUses = (atoms: readonly Atom[], owner: Open | null) => {
    for (const a of atoms) if (!(a instanceof Lit) && producer.get(a) && producer.get(a) !== owner) usedOutside.add(a);
  };
  for (const o of order) {
    if ("prim" in o) markUses(o.inputs, null);
    else for (const e of o.eqns) markUses(e.inputs, o);
  }
  markUses(jaxpr.outs, null);
  return order.map((o) => ("prim" in o ? { kind: "eqn", eqn: o } : compileGroup(o, usedOutside, backendFuse)));
}

/**
 * Give every fusible consumer of a broadcast constant (zeros for ReLU's select, ones) its own copy
 * of the broadcast, placed just before it: the copy fuses into the consumer's loop for free,
 * where a shared one would be materialised as a full-size array for the later consumers to read.
 */
function rematerializeConstants(jaxpr: Jaxpr, engineOf: (e: JaxprEqn) => Engine | null): Jaxpr {
  const constant = (e: JaxprEqn) => e.prim === "broadcast_in_dim" && e.inputs[0] instanceof Lit && e.outBinders[0]!.aval.size > 1;
  const consts = new Map<Var, JaxprEqn>();
  for (const e of jaxpr.eqns) if (constant(e)) consts.set(e.outBinders[0]!, e);
  if (consts.size === 0) return jaxpr;
  const stillUsed = new Set<Var>(jaxpr.outs.filter((o): o is Var => o instanceof Var && consts.has(o)));
  const eqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    if (consts.has(e.outBinders[0]!) && constant(e)) continue;
    if (!e.inputs.some((a) => a instanceof Var && consts.has(a))) {
      eqns.push(e);
      continue;
    }
    const fusibleUse = engineOf(e) !== null;
    const inputs = e.inputs.map((a) => {
      const src = a instanceof Var ? consts.get(a) : undefined;
      if (!src) return a;
      if (!fusibleUse) {
        stillUsed.add(a as Var);
        return a;
      }
      const copy = new Var(a.aval);
      eqns.push({ ...src, outBinders: [copy] });
      return copy;
    });
    eqns.push(inputs.every((a, i) => a === e.inputs[i]) ? e : { ...e, inputs });
  }
  // Broadcasts that a kernel or an output still reads stay, once, in front of everything.
  const kept = jaxpr.eqns.filter((e) => constant(e) && stillUsed.has(e.outBinders[0]!));
  return new Jaxpr(jaxpr.inBinders, [...kept, ...eqns], jaxpr.outs);
}

let table: ReturnType<typeof scalarFunctionTable> | undefined;

function compileGroup(g: Open, usedOutside: Set<Var>, backendFuse?: BackendFusion): Step {
  if (g.eqns.length === 1 && g.eqns[0]!.prim !== "broadcast_in_dim") return { kind: "eqn", eqn: g.eqns[0]! };
  if (g.engine === "backend" && backendFuse) {
    const outputs = g.eqns.flatMap((e) => e.outBinders).filter((v) => usedOutside.has(v));
    const compiled = backendFuse.compiler.compile(g.eqns, outputs);
    if (compiled) {
      const { inputs, run, runDevice } = compiled;
      return { kind: "fused", eqns: g.eqns, inputs, outputs, shape: g.shape, engine: backendFuse.name, run, ...(runDevice ? { runDevice } : {}) };
    }
  }
  return compileJsLoop(g, usedOutside);
}

/** A fused group as a generated JavaScript loop (bit-identical to the reference kernels). */
function compileJsLoop(g: Open, usedOutside: Set<Var>): Step {
  const inputs: Atom[] = [];
  const names = new Map<Atom, string>();
  const lines: string[] = [];
  const pre: string[] = [];
  const nameOf = (a: Atom): string => {
    let n = names.get(a);
    if (n !== undefined) return n;
    // An input from outside the loop: full-size arrays are read at i, 0-d ones once before the loop.
    const k = inputs.length;
    inputs.push(a);
    if (a.aval.ndim === 0) {
      pre.push(`const s${k} = ins[${k}][0];`);
      n = `s${k}`;
    } else {
      pre.push(`const in${k} = ins[${k}];`);
      n = `x${k}`;
      lines.push(`const x${k} = in${k}[i];`);
    }
    names.set(a, n);
    return n;
  };
  const outputs: Var[] = [];
  const body: string[] = [];
  const raw = new Map<Atom, string>();
  const broadcastRead = (a: Atom, { inner, size }: { inner: number; size: number }): string => {
    let buf = raw.get(a);
    if (buf === undefined) {
      buf = `b${inputs.length}`;
      pre.push(`const ${buf} = ins[${inputs.length}];`);
      inputs.push(a);
      raw.set(a, buf);
    }
    const row = inner === 1 ? "i" : `((i / ${inner}) | 0)`;
    return `${buf}[${row} % ${size}]`;
  };
  g.eqns.forEach((e, j) => {
    const block = e.prim === "broadcast_in_dim" && e.inputs[0]!.aval.ndim > 0 ? broadcastBlock(e) : null;
    // A broadcast operand is read at its own index (not i): bias rows, per-row statistics.
    const args = block ? [broadcastRead(e.inputs[0]!, block)] : e.inputs.map(nameOf);
    const out = e.outBinders[0]!;
    const dtype: DType = out.aval.dtype;
    body.push(`const t${j} = ${store(scalarExpr(e, args), dtype)};`);
    names.set(out, `t${j}`);
    if (usedOutside.has(out)) {
      body.push(`o${outputs.length}[i] = t${j};`);
      pre.push(`const o${outputs.length} = outs[${outputs.length}];`);
      outputs.push(out);
    }
  });
  const src = `${pre.join("\n")}\nfor (let i = 0; i < n; i++) {\n${[...lines, ...body].join("\n")}\n}`;
  // Generated once per program and cached with its plan; `F` holds the out-of-line scalar functions.
  const F = (table ??= scalarFunctionTable());
  const fn = new Function("F", "ins", "outs", "n", src) as (f: typeof F, ins: ArrayLike<number>[], outs: { [i: number]: number }[], n: number) => void;
  return { kind: "fused", eqns: g.eqns, inputs, outputs, shape: g.shape, engine: "js", run: (ins, outs, n) => fn(F, ins, outs, n) };
}
