/**
 * Rules for `remat`, the primitive behind `checkpoint` (JAX's `jax.checkpoint`): it carries a jaxpr
 * and evaluates like `pjit`, but partial evaluation saves only its inputs (and whatever the policy
 * allows) and stages a remat of the *whole* (jvp'd) jaxpr for the unknown outputs, so reverse mode
 * recomputes the primal intermediates during the backward pass instead of storing them.
 */
import { type NdArray, isTracer } from "../array.js";
import type { ShapedArray } from "../aval.js";
import { nanChecksEnabled } from "../debug.js";
import { ShapeError } from "../errors.js";
import { vmapFlat } from "../interpreters/batching.js";
import { evalJaxpr } from "../interpreters/eval-jaxpr.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import { type Atom, Jaxpr, type JaxprEqn, Lit, Var } from "../interpreters/jaxpr-types.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { partialEvalJaxpr } from "../interpreters/partial-eval-jaxpr.js";
import { backwardPass } from "../interpreters/transpose.js";
import { planFor, runPlan } from "../jit/plan.js";
import type { PrimParams } from "../primitives.js";
import { bind } from "../trace.js";
import type { BDim, RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront } from "./util.js";

type RematParams = PrimParams["remat"];

function trace(f: (...xs: NdArray[]) => NdArray[], avals: ShapedArray[]): [Jaxpr, NdArray[]] {
  const { closed } = makeJaxprFlat(f, avals);
  return [closed.jaxpr, closed.consts];
}

function call(jaxpr: Jaxpr, consts: NdArray[], args: NdArray[], params: RematParams, name: string): NdArray[] {
  return bind("remat", [...consts, ...args], { ...params, jaxpr, numConsts: consts.length, name });
}

/** Per-jaxpr memo of derived programs, keyed by a string (a mask, a transformation). */
const memo = new WeakMap<Jaxpr, Map<string, unknown>>();
function memoized<T>(jaxpr: Jaxpr, key: string, make: () => T): T {
  let byKey = memo.get(jaxpr);
  if (!byKey) memo.set(jaxpr, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, make());
  return byKey.get(key) as T;
}
const maskKey = (m: readonly boolean[]) => m.map((b) => (b ? "1" : "0")).join("");

/**
 * A remat's partial evaluation (JAX's `remat_partial_eval`). `known` maps the known inputs to the
 * known outputs followed by the `numSaved` saved residuals (none under the default policy);
 * `staged` maps [saved residuals, the inputs selected by `stagedIns`] to the unknown outputs and
 * recomputes every primal intermediate it needs from them.
 */
type RematSplit = { known: Jaxpr; staged: Jaxpr; unknownsOut: boolean[]; numSaved: number; stagedIns: boolean[] };

/** Equations needed for `outs`, treating `given` as available (backward DCE); and the variables read. */
function neededEqns(eqns: readonly JaxprEqn[], outs: readonly Atom[], given: ReadonlySet<Var>): [JaxprEqn[], Set<Var>] {
  const live = new Set<Var>();
  for (const o of outs) if (!(o instanceof Lit)) live.add(o);
  const kept: JaxprEqn[] = [];
  for (let i = eqns.length - 1; i >= 0; i--) {
    const e = eqns[i]!;
    if (!e.outBinders.some((v) => live.has(v) && !given.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (!(a instanceof Lit)) live.add(a);
  }
  return [kept.reverse(), live];
}

function rematSplit(jaxpr: Jaxpr, unknownsIn: readonly boolean[], policy: RematParams["policy"]): RematSplit {
  const key = `pe:${maskKey(unknownsIn)}`;
  return memoized(jaxpr, key, () => {
    // Which outputs (and intermediates) are known: everything the known half of an ordinary split defines.
    const split = partialEvalJaxpr(jaxpr, unknownsIn);
    const nKnownOuts = split.known.outs.length - split.numResiduals;
    const knownVars = new Set<Var>([...split.known.inBinders, ...split.known.eqns.flatMap((e) => e.outBinders)]);
    // Known results of equations the policy lets us save; the staged program stops recomputing at them.
    const saveable = new Set<Var>();
    if (policy) {
      for (const e of jaxpr.eqns) if (policy(e.prim, e.params)) for (const v of e.outBinders) if (knownVars.has(v)) saveable.add(v);
    }
    // The staged program: the full jaxpr restricted to what the unknown outputs need.
    const unknownOuts = jaxpr.outs.filter((_, i) => split.unknownsOut[i]);
    const [stagedEqns, read] = neededEqns(jaxpr.eqns, unknownOuts, saveable);
    const saved = [...saveable].filter((v) => read.has(v));
    const knownOuts = split.known.outs.slice(0, nKnownOuts);
    const [knownEqns] = neededEqns(split.known.eqns, [...knownOuts, ...saved], new Set());
    const known = new Jaxpr(split.known.inBinders, knownEqns, [...knownOuts, ...saved]);
    // Unknown inputs always stay (they are the staged computation's own inputs); known ones only if read.
    const stagedIns = jaxpr.inBinders.map((v, i) => unknownsIn[i]! || read.has(v));
    const staged = new Jaxpr([...saved, ...jaxpr.inBinders.filter((_, i) => stagedIns[i])], stagedEqns, unknownOuts);
    return { known, staged, unknownsOut: split.unknownsOut, numSaved: saved.length, stagedIns };
  });
}

/** Evaluate a jaxpr as `pjit` does: through its execution plan, or equation by equation when NaN checks are on. */
function run(jaxpr: Jaxpr, args: readonly NdArray[]): NdArray[] {
  return nanChecksEnabled() ? evalJaxpr(jaxpr, args) : runPlan(planFor(jaxpr), args);
}

/** `remat`: evaluates its jaxpr; its partial-eval rules decide what reverse mode keeps. */
export const rematRules: RuleSet<"remat"> = {
  abstractEval(avals, { jaxpr, name }) {
    if (avals.length !== jaxpr.inBinders.length) {
      throw new ShapeError(`checkpoint(${name}): got ${avals.length} arguments, the traced program takes ${jaxpr.inBinders.length}`);
    }
    jaxpr.inBinders.forEach((v, i) => {
      const a = avals[i]!;
      if (!a.equals(v.aval)) throw new ShapeError(`checkpoint(${name}): argument ${i} is ${a.str()}, the traced program expects ${v.aval.str()}`);
    });
    return jaxpr.outs.map((o) => o.aval);
  },
  impl: (args, { jaxpr }) => run(jaxpr, args),
  jvp(primals, tangents, params) {
    const { jaxpr, name } = params;
    const [jj, consts] = memoized(jaxpr, "jvp", () => {
      const n = jaxpr.inBinders.length;
      const avals = jaxpr.inBinders.map((v) => v.aval);
      return trace((...xs) => {
        const [o, t] = jvpFlat((...ys) => evalJaxpr(jaxpr, ys), xs.slice(0, n), xs.slice(n));
        return [...o, ...t];
      }, [...avals, ...avals]);
    });
    const outs = call(jj, consts, [...primals, ...tangents], params, `jvp(${name})`);
    const k = jaxpr.outs.length;
    return [outs.slice(0, k), outs.slice(k)];
  },
  batch(args, dims, params) {
    const { jaxpr, name } = params;
    const size = batchSize(args, dims);
    const moved = args.map((a, i) => (dims[i] === null ? a : bdimToFront(a, dims[i]!, size)));
    const inAxes: BDim[] = dims.map((d) => (d === null ? null : 0));
    const [bj, consts] = trace(
      (...xs) => vmapFlat((...ys) => evalJaxpr(jaxpr, ys), inAxes, (k) => new Array<BDim>(k).fill(0), xs, size),
      moved.map((m) => m.aval),
    );
    const outs = call(bj, consts, moved, params, `vmap(${name})`);
    return [outs, outs.map(() => 0)];
  },
  partialEval(ctx, tracers, params) {
    const { jaxpr, name, policy } = params;
    const unknownsIn = tracers.map((t) => ctx.known(t) === null);
    const s = rematSplit(jaxpr, unknownsIn, policy);
    // Known outputs now (inline, as JAX hoists them out of the remat), plus any residuals the policy saves.
    const knownVals = tracers.filter((_, i) => !unknownsIn[i]).map((t) => ctx.known(t)!);
    const outs1 = evalJaxpr(s.known, knownVals);
    const nKnown = outs1.length - s.numSaved;
    const stagedIns = tracers.filter((_, i) => s.stagedIns[i]);
    const outs2 = ctx.stage(
      "remat",
      [...outs1.slice(nKnown), ...stagedIns],
      { ...params, jaxpr: s.staged, numConsts: 0, name: `rematted(${name})` },
      s.staged.outs.map((o) => o.aval),
    );
    let k1 = 0;
    let k2 = 0;
    return s.unknownsOut.map((u) => (u ? outs2[k2++]! : outs1[k1++]!));
  },
  partialEvalJaxpr(unknownsIn, eqn) {
    const { jaxpr, name, policy } = eqn.params;
    const s = rematSplit(jaxpr, unknownsIn, policy);
    const saved = s.known.outs.slice(s.known.outs.length - s.numSaved).map((o) => new Var(o.aval));
    const knownIns = eqn.inputs.filter((_, i) => !unknownsIn[i]);
    const stagedIns = eqn.inputs.filter((_, i) => s.stagedIns[i]);
    const knownStagedVars = eqn.inputs.filter((a, i): a is Var => s.stagedIns[i]! && !unknownsIn[i] && a instanceof Var);
    return {
      known: {
        prim: "pjit",
        inputs: knownIns,
        params: { jaxpr: s.known, numConsts: 0, name: `known(${name})` },
        outBinders: [...eqn.outBinders.filter((_, i) => !s.unknownsOut[i]), ...saved],
      },
      unknown: {
        prim: "remat",
        inputs: [...saved, ...stagedIns],
        params: { ...eqn.params, jaxpr: s.staged, numConsts: 0, name: `rematted(${name})` },
        outBinders: eqn.outBinders.filter((_, i) => s.unknownsOut[i]),
      },
      unknownsOut: s.unknownsOut,
      residuals: [...saved, ...knownStagedVars],
    };
  },
  transpose(cts, args, params) {
    const { jaxpr, name } = params;
    const undef = args.map((a) => a instanceof UndefPrimal);
    const known = args.filter((a): a is NdArray => !(a instanceof UndefPrimal));
    const make = (): [Jaxpr, NdArray[]] => {
      // Split off the non-linear part (the recomputation of primal intermediates), run it, then transpose the rest.
      const split = partialEvalJaxpr(jaxpr, undef);
      const undefAvals = jaxpr.inBinders.filter((_, i) => undef[i]).map((v) => v.aval);
      return trace(
        (...xs) => {
          const outs1 = evalJaxpr(split.known, xs.slice(0, known.length));
          const res = outs1.slice(outs1.length - split.numResiduals);
          const c = xs.slice(known.length).filter((_, i) => split.unknownsOut[i]);
          return backwardPass(split.unknown, [...res, ...undefAvals.map((a) => new UndefPrimal(a))], c);
        },
        [...known.map((k) => k.aval), ...cts.map((c) => c.aval)],
      );
    };
    const cacheKey = `T:${maskKey(undef)}`;
    let tj = memo.get(jaxpr)?.get(cacheKey) as [Jaxpr, NdArray[]] | undefined;
    if (!tj) {
      tj = make();
      // Constants of the transposed program are concrete unless tracing captured a tracer: cache only then.
      if (!tj[1].some(isTracer)) memoized(jaxpr, cacheKey, () => tj);
    }
    const outs = call(tj[0], tj[1], [...known, ...cts], params, `transpose(${name})`);
    let k = 0;
    return undef.map((u) => (u ? outs[k++]! : null));
  },
};
