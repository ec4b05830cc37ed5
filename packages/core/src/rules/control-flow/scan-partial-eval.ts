/**
 * Partial evaluation of `scan` (JAX's `_scan_partial_eval`): a fixed point finds which carries are
 * unknown; the known scan runs now and emits per-step residuals as stacked outputs, and the unknown
 * scan (linear, under linearize) consumes them as extra xs. Loop-invariant residuals (computed from
 * known consts only) are hoisted: computed once before the loop and passed as consts.
 */
import type { NdArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import { type Atom, Jaxpr, type JaxprEqn, Lit, Var } from "../../interpreters/jaxpr-types.js";
import { partialEvalJaxpr } from "../../interpreters/partial-eval-jaxpr.js";
import { bind } from "../../trace.js";
import type { PeContext, PeJaxprSplit } from "../types.js";
import { merge, orMask, pick, sameMask, splitList } from "./lists.js";
import { type ScanParams, scanGroups, scanOutAvals, stackedAval } from "./scan-common.js";

/** How a scan splits into a known scan and an unknown scan. */
type ScanSplit = {
  /** Which outputs (carry, then ys) the unknown scan produces. */
  unknownsOut: boolean[];
  /** Which carries are unknown (unknown init, or made unknown by the body). */
  carryUk: boolean[];
  knownParams: ScanParams;
  unknownParams: ScanParams;
  /** Known consts → loop-invariant residuals (the unknown scan's leading consts); often just a selection of consts. */
  hoist: Jaxpr;
  /** Known xs the unknown body reads: passed to it as xs again rather than re-stacked by the known scan. */
  xsRes: number[];
  /** Avals of the residuals the known scan computes per step and emits as stacked outputs. */
  stackedAvals: ShapedArray[];
};

const count = (mask: readonly boolean[], value = true) => mask.filter((m) => m === value).length;

/** The equations of `eqns` needed to compute `outs`, in order. */
function neededEqns(eqns: readonly JaxprEqn[], outs: readonly Var[]): JaxprEqn[] {
  const live = new Set<Var>(outs);
  const kept: JaxprEqn[] = [];
  for (let i = eqns.length - 1; i >= 0; i--) {
    const e = eqns[i]!;
    if (!e.outBinders.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  return kept.reverse();
}

/** Values of `jaxpr` that depend on its `roots` (and literals) only: loop invariants when the roots are consts. */
function dependOnlyOn(jaxpr: Jaxpr, roots: readonly Var[]): Set<Var> {
  const inv = new Set<Var>(roots);
  for (const e of jaxpr.eqns) if (e.inputs.every((a) => a instanceof Lit || inv.has(a))) e.outBinders.forEach((v) => inv.add(v));
  return inv;
}

function splitScan(p: ScanParams, unknownsIn: readonly boolean[]): ScanSplit {
  const { jaxpr, numConsts: nC, numCarry: nK, length, reverse } = p;
  const [constUk, initUk, xsUk] = scanGroups(unknownsIn, p);
  const noYs = new Array<boolean>(jaxpr.outs.length - nK).fill(false);
  // A carry is unknown if its init is or if the body computes it from something unknown: iterate.
  let carryUk = initUk;
  let split = partialEvalJaxpr(jaxpr, [...constUk, ...carryUk, ...xsUk], [...carryUk, ...noYs]);
  while (!sameMask(split.unknownsOut.slice(0, nK), carryUk)) {
    carryUk = orMask(carryUk, split.unknownsOut);
    split = partialEvalJaxpr(jaxpr, [...constUk, ...carryUk, ...xsUk], [...carryUk, ...noYs]);
  }
  const nKnownOuts = split.known.outs.length - split.numResiduals;
  const residuals = split.known.outs.slice(nKnownOuts) as Var[];
  const knownConsts = pick(jaxpr.inBinders.slice(0, nC), constUk, false);
  const invariant = dependOnlyOn(split.known, knownConsts);
  const xsIndex = new Map(jaxpr.inBinders.slice(nC + nK).map((v, i) => [v, i]));
  const hoisted: Var[] = [];
  const xsRes: number[] = [];
  const xsResVars: Var[] = [];
  const stacked: Var[] = [];
  for (const r of residuals) {
    const x = xsIndex.get(r);
    if (invariant.has(r)) hoisted.push(r);
    else if (x !== undefined) {
      xsRes.push(x);
      xsResVars.push(r);
    } else stacked.push(r);
  }
  const [ukConsts, ukCarry, ukXs] = splitList(split.unknown.inBinders.slice(split.numResiduals), [count(constUk), count(carryUk)]);
  const knownBody = new Jaxpr(split.known.inBinders, split.known.eqns, [...split.known.outs.slice(0, nKnownOuts), ...stacked]);
  const unknownBody = new Jaxpr([...hoisted, ...ukConsts!, ...ukCarry!, ...ukXs!, ...xsResVars, ...stacked], split.unknown.eqns, split.unknown.outs);
  return {
    unknownsOut: [...carryUk, ...split.unknownsOut.slice(nK)],
    carryUk,
    knownParams: { jaxpr: knownBody, numConsts: count(constUk, false), numCarry: count(carryUk, false), length, reverse },
    unknownParams: { jaxpr: unknownBody, numConsts: hoisted.length + count(constUk), numCarry: count(carryUk), length, reverse },
    hoist: new Jaxpr(knownConsts, neededEqns(split.known.eqns, hoisted), hoisted),
    xsRes,
    stackedAvals: stacked.map((v) => stackedAval(v.aval, length)),
  };
}

/** The operands of the known scan, from the operands of the original one. */
function knownOperands<T>(ops: readonly T[], unknownsIn: readonly boolean[], s: ScanSplit, p: ScanParams): T[] {
  const [c, k, x] = scanGroups(ops, p);
  const [constUk, , xsUk] = scanGroups(unknownsIn, p);
  return [...pick(c, constUk, false), ...pick(k, s.carryUk, false), ...pick(x, xsUk, false)];
}

/** The operands of the unknown scan: hoisted residuals, unknown consts, carries, xs, xs residuals, stacked residuals. */
function unknownOperands<T>(ops: readonly T[], unknownsIn: readonly boolean[], s: ScanSplit, p: ScanParams, hoisted: readonly T[], stacked: readonly T[]): T[] {
  const [c, k, x] = scanGroups(ops, p);
  const [constUk, , xsUk] = scanGroups(unknownsIn, p);
  return [...hoisted, ...pick(c, constUk), ...pick(k, s.carryUk), ...pick(x, xsUk), ...s.xsRes.map((i) => x[i]!), ...stacked];
}

/** Partial evaluation of a scan on tracers: run the known scan now, stage the unknown one. */
export function scanPartialEval(ctx: PeContext, tracers: NdArray[], p: ScanParams): NdArray[] {
  const known = tracers.map((t) => ctx.known(t));
  const unknownsIn = known.map((k) => k === null);
  const s = splitScan(p, unknownsIn);
  const vals = tracers.map((t, i) => known[i] ?? t);
  const knownIns = knownOperands(vals, unknownsIn, s, p);
  const knownOuts = s.knownParams.jaxpr.outs.length ? bind("scan", knownIns, s.knownParams) : [];
  const hoisted = evalJaxpr(s.hoist, knownIns.slice(0, s.knownParams.numConsts));
  const nKnown = s.unknownsOut.filter((u) => !u).length;
  // Known carries the unknown scan needs as inits are instantiated by `stage`.
  const ukIns = unknownOperands(vals, unknownsIn, s, p, hoisted, knownOuts.slice(nKnown));
  const ukOuts = ctx.stage("scan", ukIns, s.unknownParams, scanOutAvals(s.unknownParams));
  return merge(s.unknownsOut, knownOuts.slice(0, nKnown), ukOuts);
}

/**
 * The known equation: the known scan, preceded by the hoisted computation when it is more than a
 * selection of consts (then both are wrapped in one `pjit`, as a split has one known equation).
 */
function knownEqn(knownIns: Atom[], s: ScanSplit, scanOuts: Var[], hoistOuts: Var[]): JaxprEqn {
  const { hoist, knownParams } = s;
  if (!hoist.eqns.length) return { prim: "scan", inputs: knownIns, params: knownParams, outBinders: scanOuts };
  const binders = [...hoist.inBinders, ...knownIns.slice(hoist.inBinders.length).map((a) => new Var(a.aval))];
  const inner = scanOuts.map((v) => new Var(v.aval));
  const body = new Jaxpr(binders, [...hoist.eqns, { prim: "scan", inputs: binders, params: knownParams, outBinders: inner }], [...inner, ...hoist.outs]);
  return { prim: "pjit", inputs: knownIns, params: { jaxpr: body, numConsts: 0, name: "scan_known" }, outBinders: [...scanOuts, ...hoistOuts] };
}

/** Partial evaluation of a scan equation: a known scan equation feeding residuals to an unknown one. */
export function scanPartialEvalJaxpr(unknownsIn: boolean[], eqn: JaxprEqn<"scan">): PeJaxprSplit {
  const p = eqn.params;
  const s = splitScan(p, unknownsIn);
  const knownIns = knownOperands(eqn.inputs, unknownsIn, s, p);
  const stacked = s.stackedAvals.map((a) => new Var(a));
  // Without hoisted equations the hoisted residuals are known consts: pass their atoms straight through.
  const constAtom = new Map(s.hoist.inBinders.map((v, i) => [v, knownIns[i]!]));
  const hoisted: Atom[] = s.hoist.eqns.length ? s.hoist.outs.map((o) => new Var(o.aval)) : s.hoist.outs.map((o) => constAtom.get(o as Var)!);
  const scanOuts = [...pick(eqn.outBinders, s.unknownsOut, false), ...stacked];
  const ukInputs = unknownOperands<Atom>(eqn.inputs, unknownsIn, s, p, hoisted, stacked);
  const ukMask = unknownOperands(unknownsIn, unknownsIn, s, p, hoisted.map(() => false), stacked.map(() => false));
  return {
    known: knownEqn(knownIns, s, scanOuts, s.hoist.eqns.length ? (hoisted as Var[]) : []),
    unknown: { prim: "scan", inputs: ukInputs, params: s.unknownParams, outBinders: pick(eqn.outBinders, s.unknownsOut) },
    unknownsOut: s.unknownsOut,
    residuals: ukInputs.filter((a, i): a is Var => a instanceof Var && !ukMask[i]),
  };
}
