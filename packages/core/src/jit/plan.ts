/**
 * Execution plans: a simplified, fused jaxpr as a flat list of steps, cached per jaxpr and run by
 * `pjit`'s impl. Only inputs come in and outputs go out; intermediates of fused loops never exist.
 */
import { ConcreteArray, type NdArray, bufferOf } from "../array.js";
import { allocateUninit } from "../uninit.js";
import { type Atom, type Jaxpr, Lit, type Var } from "../interpreters/jaxpr-types.js";
import { ITEM_BYTES, SHORT_NAME } from "../dtype.js";
import { type Backend, getBackend, referenceBackend } from "../backend/backend.js";
import { bind } from "../trace.js";
import { type Step, fuse } from "./fusion.js";
import { simplifyJaxpr } from "./simplify.js";
import { type ArenaLayout, layoutArena, runArenaPlan } from "./arena-plan.js";

/**
 * A compiled program; `release[i]` lists the values whose last use is step i (freed after it);
 * `arena`, on a backend with device memory, says where each step runs and lays out the device region.
 */
export type Plan = { readonly jaxpr: Jaxpr; readonly steps: Step[]; readonly release: Var[][]; readonly arena?: ArenaLayout };

// Keyed by the backend object, not its name: a plan holds loops compiled for one backend's module.
const plans = new WeakMap<Jaxpr, WeakMap<Backend, Plan>>();

/** The plan for `jaxpr` on the active backend (built once per backend: simplification, then fusion). */
export function planFor(jaxpr: Jaxpr): Plan {
  const backend = getBackend();
  let perBackend = plans.get(jaxpr);
  if (!perBackend) plans.set(jaxpr, (perBackend = new WeakMap()));
  let plan = perBackend.get(backend);
  if (!plan) {
    const simple = simplifyJaxpr(jaxpr);
    // The reference kernels are JS loops themselves: with them, fusing everything is the fast path.
    // Otherwise ops the backend has SIMD kernels for fuse only into the backend's own loops, if it has them.
    const accelerated = new Set(backend === referenceBackend ? [] : Object.keys(backend.kernels));
    const steps = fuse(simple, accelerated, backend.fuse && { compiler: backend.fuse, name: backend.name });
    const release = releaseSchedule(simple, steps);
    plan = { jaxpr: simple, steps, release, ...(backend.device ? { arena: layoutArena(simple, steps, backend.device) } : {}) };
    perBackend.set(backend, plan);
  }
  return plan;
}

/** For each step, the intermediates it reads for the last time (outputs are never released). */
function releaseSchedule(jaxpr: Jaxpr, steps: Step[]): Var[][] {
  const last = new Map<Var, number>();
  steps.forEach((s, i) => {
    for (const a of s.kind === "eqn" ? s.eqn.inputs : s.inputs) if (!(a instanceof Lit)) last.set(a, i);
  });
  const outs = new Set(jaxpr.outs.filter((o): o is Var => !(o instanceof Lit)));
  const release: Var[][] = steps.map(() => []);
  for (const [v, i] of last) if (!outs.has(v)) release[i]!.push(v);
  return release;
}

/** Run a plan on concrete inputs, dropping each intermediate after its last use so the GC can reclaim it. */
export function runPlan(plan: Plan, args: readonly NdArray[]): NdArray[] {
  const device = getBackend().device;
  if (plan.arena && device) return runArenaPlan(plan.jaxpr, plan.steps, plan.release, plan.arena, device, args);
  const env = new Map<Var, NdArray>();
  const read = (a: Atom): NdArray => (a instanceof Lit ? a.val : env.get(a)!);
  plan.jaxpr.inBinders.forEach((v, i) => env.set(v, args[i]!));
  plan.steps.forEach((step, k) => {
    if (step.kind === "eqn") {
      const outs = bind(step.eqn.prim, step.eqn.inputs.map(read), step.eqn.params);
      step.eqn.outBinders.forEach((v, i) => env.set(v, outs[i]!));
    } else runFused(step, read, env);
    for (const v of plan.release[k]!) env.delete(v);
  });
  return plan.jaxpr.outs.map(read);
}

/** Run one fused loop: its inputs' buffers in, freshly allocated output buffers out. */
function runFused(step: Extract<Step, { kind: "fused" }>, read: (a: Atom) => NdArray, env: Map<Var, NdArray>): void {
  const n = step.shape.reduce((a, b) => a * b, 1);
  const ins = step.inputs.map((a) => bufferOf(read(a) as ConcreteArray));
  // A fused loop writes every element of its outputs.
  const bufs = step.outputs.map((v) => allocateUninit(v.aval.dtype, n));
  step.run(ins, bufs, n);
  step.outputs.forEach((v, i) => env.set(v, new ConcreteArray(bufs[i]!, v.aval.shape, v.aval.dtype)));
}

const MODE_NAMES = { device: "device", "device-fused": "device", alias: "alias", host: "host" } as const;

/** A readable listing of a plan: steps, buffer sizes and the peak bytes of live intermediates. */
export function describePlan(plan: Plan): string {
  const bytes = (v: Var) => v.aval.size * ITEM_BYTES[v.aval.dtype];
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
    const what = s.kind === "eqn" ? s.eqn.prim : `fused[${s.engine}]{${s.eqns.map((e) => e.prim).join(",")}}`;
    const mode = plan.arena ? ` [${MODE_NAMES[plan.arena.modes[i]!.kind]}]` : "";
    return `  ${String(i).padStart(3)}: ${what} -> ${shapes} (${outs.reduce((n, v) => n + bytes(v), 0)} B)${mode}`;
  });
  const arena = plan.arena ? `, device arena ${plan.arena.bytes} bytes (${plan.arena.modes.filter((m) => m.kind !== "host").length} of ${plan.steps.length} steps on device)` : "";
  return `plan: ${plan.steps.length} steps (${plan.jaxpr.eqns.length} equations), peak intermediate bytes ${peak}${arena}\n${lines.join("\n")}`;
}
