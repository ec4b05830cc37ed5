/**
 * Arena plans: a plan's steps on a backend with device memory (DESIGN §3 "jit"). Each step runs on
 * the device when the backend has a kernel for it (fused programs, GEMMs, reductions, movement) and
 * on the host otherwise. Every value a device step touches gets a fixed offset in one region laid
 * out ahead of time by liveness (XLA-style buffer assignment: a value's bytes are reused once its
 * last reader has run), so at run time only inputs are copied in and outputs out, plus the values
 * that cross between a host step and a device step.
 */
import { ConcreteArray, type NdArray, bufferOf } from "../array.js";
import type { DeviceKernel, DeviceRuntime } from "../backend/backend.js";
import { type Atom, type Jaxpr, Lit, type Var } from "../interpreters/jaxpr-types.js";
import { bind } from "../trace.js";
import { ITEM_BYTES } from "../dtype.js";
import { allocateUninit } from "../uninit.js";
import type { FusedGroup, Step } from "./fusion.js";

type EqnStep = Extract<Step, { kind: "eqn" }>;

/** How one step runs: a device kernel, a fused program on the device, a free reshape, or on the host. */
export type StepMode =
  | { readonly kind: "device"; readonly kernel: DeviceKernel }
  | { readonly kind: "device-fused"; readonly run: (ins: readonly number[], outs: readonly number[], n: number) => void }
  | { readonly kind: "alias" }
  | { readonly kind: "host" };

/** The device side of a plan: each step's mode, each device value's offset in the region, and the region's size. */
export type ArenaLayout = { readonly modes: StepMode[]; readonly offset: Map<Var, number>; readonly bytes: number };

const ALIGN = 64;
const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
const byteSize = (v: Var) => v.aval.size * ITEM_BYTES[v.aval.dtype];

const stepInputs = (s: Step): readonly Atom[] => (s.kind === "eqn" ? s.eqn.inputs : s.inputs);
const stepOutputs = (s: Step): readonly Var[] => (s.kind === "eqn" ? s.eqn.outBinders : s.outputs);

/** Decide each step's mode and lay out the region. */
export function layoutArena(jaxpr: Jaxpr, steps: readonly Step[], device: DeviceRuntime): ArenaLayout {
  const standalone = streamsOnHost(jaxpr, steps);
  const modes: StepMode[] = steps.map((s, i): StepMode => {
    if (standalone.has(i)) return { kind: "host" };
    if (s.kind === "fused") {
      return s.runDevice ? { kind: "device-fused", run: s.runDevice } : { kind: "host" };
    }
    if (s.eqn.prim === "reshape" && !(s.eqn.inputs[0] instanceof Lit)) return { kind: "alias" };
    const kernel = device.kernel(s.eqn);
    return kernel ? { kind: "device", kernel } : { kind: "host" };
  });

  // A reshape shares its operand's bytes: both are one buffer (union-find over the aliases).
  const parent = new Map<Var, Var>();
  const root = (v: Var): Var => {
    let r = v;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  steps.forEach((s, i) => {
    if (modes[i]!.kind === "alias") parent.set(stepOutputs(s)[0]!, root((s as EqnStep).eqn.inputs[0] as Var));
  });

  // Which buffers need a device home, and the steps between which each is live.
  const needed = new Set<Var>();
  const first = new Map<Var, number>();
  const last = new Map<Var, number>();
  const touch = (v: Var, i: number) => {
    const r = root(v);
    if (!first.has(r) || first.get(r)! > i) first.set(r, i);
    if (!last.has(r) || last.get(r)! < i) last.set(r, i);
  };
  jaxpr.inBinders.forEach((v) => touch(v, -1));
  steps.forEach((s, i) => {
    const device = modes[i]!.kind === "device" || modes[i]!.kind === "device-fused";
    for (const a of stepInputs(s)) if (!(a instanceof Lit)) {
      touch(a, i);
      if (device) needed.add(root(a));
    }
    for (const v of stepOutputs(s)) {
      touch(v, i);
      if (device) needed.add(root(v));
    }
  });
  for (const o of jaxpr.outs) if (!(o instanceof Lit)) touch(o, steps.length);

  // Linear scan, first fit: at step i place the buffers born at i, then free those last read at i
  // (a step's outputs never share bytes with its own inputs).
  const born = new Map<number, Var[]>();
  const dies = new Map<number, Var[]>();
  for (const r of needed) {
    born.set(first.get(r)!, [...(born.get(first.get(r)!) ?? []), r]);
    dies.set(last.get(r)!, [...(dies.get(last.get(r)!) ?? []), r]);
  }
  const free: { at: number; size: number }[] = [];
  const place = new Map<Var, number>();
  let top = 0;
  const allocate = (size: number): number => {
    const k = free.findIndex((b) => b.size >= size);
    if (k < 0) {
      top += size;
      return top - size;
    }
    const b = free[k]!;
    if (b.size === size) free.splice(k, 1);
    else free[k] = { at: b.at + size, size: b.size - size };
    return b.at;
  };
  const release = (at: number, size: number) => {
    free.push({ at, size });
    free.sort((p, q) => p.at - q.at);
    for (let k = free.length - 1; k > 0; k--) {
      const [p, q] = [free[k - 1]!, free[k]!];
      if (p.at + p.size === q.at) free.splice(k - 1, 2, { at: p.at, size: p.size + q.size });
    }
  };
  for (let i = -1; i <= steps.length; i++) {
    for (const r of born.get(i) ?? []) place.set(r, allocate(alignUp(byteSize(r))));
    for (const r of dies.get(i) ?? []) release(place.get(r)!, alignUp(byteSize(r)));
  }
  const offset = new Map<Var, number>();
  const all = new Set<Var>([...jaxpr.inBinders, ...steps.flatMap((s) => [...stepOutputs(s)])]);
  for (const v of all) {
    const at = place.get(root(v));
    if (at !== undefined) offset.set(v, at);
  }
  return { modes, offset, bytes: top };
}

/**
 * Steps better run as the eager backend runs them, because they would only stage plan inputs whole
 * and read them back once: a fused group that reads nothing but plan inputs (each read by no other
 * step) and feeds only plan outputs runs chunk by chunk from the host arrays, and a full reduction
 * of such an input is eager's streamed fold. Each input byte then crosses memory once instead of
 * twice (jit sum of 10^7 f32: 4.6 → 2.35 ms; jit tanh(x·y+1) of 10^6: 3.8 → 2.5–2.8 ms), with the same
 * kernels and so the same results.
 */
function streamsOnHost(jaxpr: Jaxpr, steps: readonly Step[]): Set<number> {
  const inputs = new Set<Atom>(jaxpr.inBinders);
  // How many steps read each value (a step reading x twice, as x·x, counts once).
  const readers = new Map<Var, number>();
  for (const s of steps) for (const a of new Set(stepInputs(s))) if (!(a instanceof Lit)) readers.set(a, (readers.get(a) ?? 0) + 1);
  const ownInput = (a: Atom) => a instanceof Lit || (inputs.has(a) && readers.get(a) === 1);
  const out = new Set<number>();
  steps.forEach((s, i) => {
    const streams = s.kind === "fused"
      ? s.inputs.every(ownInput) && s.outputs.every((v) => !readers.has(v))
      : FULL_REDUCTIONS.has(s.eqn.prim) && s.eqn.outBinders[0]!.aval.size === 1 && s.eqn.inputs.every(ownInput);
    if (streams) out.add(i);
  });
  return out;
}

/** Reductions whose eager kernels stream a large input through a window when they reduce it to one value. */
const FULL_REDUCTIONS = new Set(["reduce_sum", "reduce_max", "reduce_min", "reduce_prod"]);

/** Run a plan's steps with device memory: values move between host and device only where a step needs them. */
export function runArenaPlan(
  jaxpr: Jaxpr, steps: readonly Step[], release: readonly Var[][], layout: ArenaLayout, device: DeviceRuntime, args: readonly NdArray[],
): NdArray[] {
  const region = device.begin(layout.bytes);
  try {
    const host = new Map<Var, NdArray>();
    const onDevice = new Set<Var>();
    const addr = (v: Var) => region.base + layout.offset.get(v)!;
    const toDevice = (a: Atom): number => {
      const v = a as Var;
      if (!onDevice.has(v)) {
        device.upload(addr(v), bufferOf(host.get(v) as ConcreteArray));
        onDevice.add(v);
      }
      return addr(v);
    };
    const toHost = (a: Atom): NdArray => {
      if (a instanceof Lit) return a.val;
      let x = host.get(a);
      if (!x) host.set(a, (x = new ConcreteArray(device.download(addr(a), a.aval.dtype, a.aval.size), a.aval.shape, a.aval.dtype)));
      return x;
    };
    jaxpr.inBinders.forEach((v, i) => host.set(v, args[i]!));
    steps.forEach((s, k) => {
      const mode = layout.modes[k]!;
      if (mode.kind === "device") {
        const { eqn } = s as EqnStep;
        mode.kernel(eqn.inputs.map(toDevice), eqn.outBinders.map(addr));
        for (const v of eqn.outBinders) onDevice.add(v);
      } else if (mode.kind === "device-fused") {
        const g = s as FusedGroup;
        mode.run(g.inputs.map(toDevice), g.outputs.map(addr), g.shape.reduce((p, q) => p * q, 1));
        for (const v of g.outputs) onDevice.add(v);
      } else if (mode.kind === "alias") {
        const { eqn } = s as EqnStep;
        const [src, out] = [eqn.inputs[0] as Var, eqn.outBinders[0]!];
        if (onDevice.has(src)) onDevice.add(out);
        const x = host.get(src);
        if (x) host.set(out, new ConcreteArray(bufferOf(x as ConcreteArray), out.aval.shape, out.aval.dtype));
      } else if (s.kind === "eqn") {
        const outs = bind(s.eqn.prim, s.eqn.inputs.map(toHost), s.eqn.params);
        s.eqn.outBinders.forEach((v, i) => host.set(v, outs[i]!));
      } else {
        const n = s.shape.reduce((p, q) => p * q, 1);
        // A fused group writes every element of its outputs.
        const bufs = s.outputs.map((v) => new ConcreteArray(allocateUninit(v.aval.dtype, v.aval.size), v.aval.shape, v.aval.dtype));
        s.run(s.inputs.map((a) => bufferOf(toHost(a) as ConcreteArray)), bufs.map((b) => bufferOf(b) as { [i: number]: number }), n);
        s.outputs.forEach((v, i) => host.set(v, bufs[i]!));
      }
      // Host copies die after their last reader (device bytes are reused by the layout instead).
      for (const v of release[k]!) {
        host.delete(v);
        onDevice.delete(v);
      }
    });
    return jaxpr.outs.map(toHost);
  } finally {
    region.end();
  }
}
