/**
 * Rules for `pjit`, the call primitive behind `jit`: each rule transforms the callee's jaxpr
 * (jvp, vmap, partial evaluation, transposition), so jit composes with every transformation.
 */
import type { NdArray } from "../array.js";
import type { ShapedArray } from "../aval.js";
import { ShapeError } from "../errors.js";
import { vmapFlat } from "../interpreters/batching.js";
import { evalJaxpr } from "../interpreters/eval-jaxpr.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import { type Jaxpr, Var } from "../interpreters/jaxpr-types.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { partialEvalJaxpr } from "../interpreters/partial-eval-jaxpr.js";
import { backwardPass } from "../interpreters/transpose.js";
import { bind } from "../trace.js";
import { planFor, runPlan } from "../jit/plan.js";
import { nanChecksEnabled } from "../debug.js";
import type { BDim, RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront } from "./util.js";


/** Trace `f` at `avals` into a jaxpr whose constants are leading inputs: [jaxpr, consts]. */
function trace(f: (...xs: NdArray[]) => NdArray[], avals: ShapedArray[]): [Jaxpr, NdArray[]] {
  const { closed } = makeJaxprFlat(f, avals);
  return [closed.jaxpr, closed.consts];
}

function call(jaxpr: Jaxpr, consts: NdArray[], args: NdArray[], name: string): NdArray[] {
  return bind("pjit", [...consts, ...args], { jaxpr, numConsts: consts.length, name });
}

const jvpCache = new WeakMap<Jaxpr, [Jaxpr, NdArray[]]>();

/** `pjit`: evaluation runs the jaxpr (the jit issue compiles it to an execution plan). */
export const pjitRules: RuleSet<"pjit"> = {
  abstractEval(avals, { jaxpr, name }) {
    jaxpr.inBinders.forEach((v, i) => {
      const a = avals[i];
      if (!a || !a.equals(v.aval)) throw new ShapeError(`jit(${name}): argument ${i} is ${a?.str() ?? "missing"}, the traced program expects ${v.aval.str()}`);
    });
    return jaxpr.outs.map((o) => o.aval);
  },
  impl: (args, { jaxpr }) => (nanChecksEnabled() ? evalJaxpr(jaxpr, args) : runPlan(planFor(jaxpr), args)),
  jvp(primals, tangents, { jaxpr, name }) {
    let cached = jvpCache.get(jaxpr);
    if (!cached) {
      const n = jaxpr.inBinders.length;
      const avals = jaxpr.inBinders.map((v) => v.aval);
      cached = trace((...xs) => {
        const [o, t] = jvpFlat((...ys) => evalJaxpr(jaxpr, ys), xs.slice(0, n), xs.slice(n));
        return [...o, ...t];
      }, [...avals, ...avals]);
      jvpCache.set(jaxpr, cached);
    }
    const outs = call(cached[0], cached[1], [...primals, ...tangents], `jvp(${name})`);
    const k = jaxpr.outs.length;
    return [outs.slice(0, k), outs.slice(k)];
  },
  batch(args, dims, { jaxpr, name }) {
    const size = batchSize(args, dims);
    const moved = args.map((a, i) => (dims[i] === null ? a : bdimToFront(a, dims[i]!, size)));
    const inAxes: BDim[] = dims.map((d) => (d === null ? null : 0));
    const [bj, consts] = trace(
      (...xs) => vmapFlat((...ys) => evalJaxpr(jaxpr, ys), inAxes, (k) => new Array<BDim>(k).fill(0), xs, size),
      moved.map((m) => m.aval),
    );
    const outs = call(bj, consts, moved, `vmap(${name})`);
    return [outs, outs.map(() => 0)];
  },
  partialEval(ctx, tracers, { jaxpr, name }) {
    const unknownsIn = tracers.map((t) => ctx.known(t) === null);
    const split = partialEvalJaxpr(jaxpr, unknownsIn);
    const knownVals = tracers.filter((_, i) => !unknownsIn[i]).map((t) => ctx.known(t)!);
    const outs1Res = bind("pjit", knownVals, { jaxpr: split.known, numConsts: 0, name: `known(${name})` });
    const nKnownOuts = outs1Res.length - split.numResiduals;
    const residuals = outs1Res.slice(nKnownOuts);
    const unknownTracers = tracers.filter((_, i) => unknownsIn[i]);
    const outs2 = ctx.stage("pjit", [...residuals, ...unknownTracers], { jaxpr: split.unknown, numConsts: 0, name: `unknown(${name})` }, split.unknown.outs.map((o) => o.aval));
    let k1 = 0;
    let k2 = 0;
    return split.unknownsOut.map((u) => (u ? outs2[k2++]! : outs1Res[k1++]!));
  },
  partialEvalJaxpr(unknownsIn, eqn) {
    const { jaxpr, name } = eqn.params;
    const split = partialEvalJaxpr(jaxpr, unknownsIn);
    const knownIns = eqn.inputs.filter((_, i) => !unknownsIn[i]);
    const unknownIns = eqn.inputs.filter((_, i) => unknownsIn[i]);
    const residuals = split.known.outs.slice(split.known.outs.length - split.numResiduals).map((o) => new Var(o.aval));
    const outs1 = eqn.outBinders.filter((_, i) => !split.unknownsOut[i]);
    const outs2 = eqn.outBinders.filter((_, i) => split.unknownsOut[i]);
    return {
      known: { prim: "pjit", inputs: knownIns, params: { jaxpr: split.known, numConsts: 0, name: `known(${name})` }, outBinders: [...outs1, ...residuals] },
      unknown: { prim: "pjit", inputs: [...residuals, ...unknownIns], params: { jaxpr: split.unknown, numConsts: 0, name: `unknown(${name})` }, outBinders: outs2 },
      unknownsOut: split.unknownsOut,
      residuals,
    };
  },
  transpose(cts, args, { jaxpr, name }) {
    const undef = args.map((a) => a instanceof UndefPrimal);
    const known = args.filter((a): a is NdArray => !(a instanceof UndefPrimal));
    const [tj, consts] = trace(
      (...xs) => {
        const res = xs.slice(0, known.length);
        const c = xs.slice(known.length);
        let r = 0;
        const full = args.map((a) => (a instanceof UndefPrimal ? a : res[r++]!));
        return backwardPass(jaxpr, full, c);
      },
      [...known.map((k) => k.aval), ...cts.map((c) => c.aval)],
    );
    const outs = call(tj, consts, [...known, ...cts], `transpose(${name})`);
    let k = 0;
    return undef.map((u) => (u ? outs[k++]! : null));
  },
};
