/** Rules for user-defined derivatives: `custom_jvp_call`, `custom_vjp_call` and its linear part `custom_lin`. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { ShapeError } from "../errors.js";
import { vmapFlat } from "../interpreters/batching.js";
import { evalJaxpr } from "../interpreters/eval-jaxpr.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import { type ClosedJaxpr, closedOutAvals } from "../interpreters/jaxpr-types.js";
import type { CustomBwd, CustomFwd, CustomJvpRule } from "../primitives.js";
import { bind } from "../trace.js";
import type { BDim, RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront } from "./util.js";

function checkOuts(op: string, what: string, got: readonly NdArray[], want: readonly ShapedArray[]): void {
  if (got.length !== want.length) throw new ShapeError(`${op}: ${what} returned ${got.length} arrays, expected ${want.length}`);
  got.forEach((g, i) => {
    if (!g.aval.equals(want[i]!)) throw new ShapeError(`${op}: ${what} output ${i} is ${g.aval.str()}, expected ${want[i]!.str()}`);
  });
}

/** Move every argument's batch axis to the front (broadcasting unbatched ones). */
function toFront(args: NdArray[], dims: BDim[]): { moved: NdArray[]; size: number } {
  const size = batchSize(args, dims);
  return { moved: args.map((a, i) => bdimToFront(a, dims[i]!, size)), size };
}

/** The jaxpr of `vmap(call)` for inputs batched at axis 0. */
function batchCall(call: ClosedJaxpr, moved: NdArray[], size: number): ClosedJaxpr {
  const f = (...xs: NdArray[]) => vmapFlat((...ys) => evalJaxpr(call.jaxpr, [...call.consts, ...ys]), xs.map(() => 0), (n) => new Array<BDim>(n).fill(0), xs, size);
  return makeJaxprFlat(f, moved.map((m) => m.aval)).closed;
}

const allZero = (n: number): BDim[] => new Array<BDim>(n).fill(0);

/** `custom_jvp_call`: evaluates `call`, differentiates with the user's `jvp`. */
export const customJvpCallRules: RuleSet<"custom_jvp_call"> = {
  abstractEval: (_avals, { call }) => closedOutAvals(call),
  impl: (args, { call }) => evalJaxpr(call.jaxpr, [...call.consts, ...args]),
  jvp(primals, tangents, { call, jvp }) {
    const [outs, touts] = jvp(primals, tangents);
    const want = closedOutAvals(call);
    checkOuts("customJvp", "the jvp rule's primal", outs, want);
    checkOuts("customJvp", "the jvp rule's tangent", touts, want);
    return [outs, touts];
  },
  batch(args, dims, { call, jvp }) {
    const { moved, size } = toFront(args, dims);
    const n = moved.length;
    const batchedJvp: CustomJvpRule = (ps, ts) => {
      const outs = vmapFlat((...pts) => {
        const [o, t] = jvp(pts.slice(0, n), pts.slice(n));
        return [...o, ...t];
      }, allZero(2 * n), allZero, [...ps, ...ts], size);
      return [outs.slice(0, outs.length / 2), outs.slice(outs.length / 2)];
    };
    const outs = bind("custom_jvp_call", moved, { call: batchCall(call, moved, size), jvp: batchedJvp, symbolicZeros: false });
    return [outs, allZero(outs.length)];
  },
};

/** `custom_vjp_call`: evaluates `call`; its jvp runs `fwd` and defers the tangent map to `custom_lin`. */
export const customVjpCallRules: RuleSet<"custom_vjp_call"> = {
  abstractEval: (_avals, { call }) => closedOutAvals(call),
  impl: (args, { call }) => evalJaxpr(call.jaxpr, [...call.consts, ...args]),
  jvp(primals, tangents, { call, fwd, bwd }) {
    const [outs, res] = fwd(primals);
    const outAvals = closedOutAvals(call);
    checkOuts("customVjp", "fwd's primal", outs, outAvals);
    const touts = bind("custom_lin", [...res, ...tangents], { bwd, numResiduals: res.length, outAvals });
    return [outs, touts];
  },
  batch(args, dims, { call, fwd, bwd, numOuts }) {
    const { moved, size } = toFront(args, dims);
    const batchedFwd: CustomFwd = (ps) => {
      let nOut = 0;
      const flat = vmapFlat((...xs) => {
        const [o, r] = fwd(xs);
        nOut = o.length;
        return [...o, ...r];
      }, allZero(ps.length), allZero, ps, size);
      return [flat.slice(0, nOut), flat.slice(nOut)];
    };
    const batchedBwd: CustomBwd = (res, cts) =>
      vmapFlat((...xs) => bwd(xs.slice(0, res.length), xs.slice(res.length)), allZero(res.length + cts.length), allZero, [...res, ...cts], size);
    const outs = bind("custom_vjp_call", moved, { call: batchCall(call, moved, size), fwd: batchedFwd, bwd: batchedBwd, numOuts });
    return [outs, allZero(outs.length)];
  },
};

const noForward = () => {
  throw new Error("customVjp: forward-mode differentiation (jvp, jacfwd) of a customVjp function is not supported; use customJvp or reverse mode");
};

/** `custom_lin(residuals, tangents)`: linear in the tangents; transposed by the user's `bwd`. */
export const customLinRules: RuleSet<"custom_lin"> = {
  abstractEval: (_avals, { outAvals }) => outAvals.map((a) => new ShapedArray(a.shape, a.dtype)),
  impl: noForward,
  jvp: noForward,
  batch(args, dims, { bwd, numResiduals, outAvals }) {
    const { moved, size } = toFront(args, dims);
    const batchedBwd: CustomBwd = (res, cts) =>
      vmapFlat((...xs) => bwd(xs.slice(0, res.length), xs.slice(res.length)), allZero(res.length + cts.length), allZero, [...res, ...cts], size);
    const outs = bind("custom_lin", moved, { bwd: batchedBwd, numResiduals, outAvals: outAvals.map((a) => ({ shape: [size, ...a.shape], dtype: a.dtype })) });
    return [outs, allZero(outs.length)];
  },
  transpose(cts, args, { bwd, numResiduals }) {
    const res = args.slice(0, numResiduals) as NdArray[];
    const tangentAvals = args.slice(numResiduals).map((a) => (a instanceof UndefPrimal ? a.aval : a.aval));
    const grads = bwd(res, cts);
    checkOuts("customVjp", "bwd", grads, tangentAvals);
    return [...res.map(() => null), ...grads];
  },
};
