/**
 * `cond`: run one of several branch jaxprs chosen by an int32 index (JAX's `cond_p`, behind both
 * `cond` and `switch`). Operands are (index, ops…); every branch maps ops… to the same output avals.
 */
import type { NdArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { DTypeError, ShapeError } from "../../errors.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import { jvpFlat } from "../../interpreters/jvp.js";
import { backwardPass } from "../../interpreters/transpose.js";
import type { PrimParams } from "../../primitives.js";
import { bind } from "../../trace.js";
import { type RuleSet, UndefPrimal } from "../types.js";
import { avalsStr, checkInputs, traceBranches } from "./closed.js";
import { condBatch } from "./cond-batch.js";
import { condPartialEval, condPartialEvalJaxpr } from "./cond-partial-eval.js";
import { merge, pick } from "./lists.js";

type CondParams = PrimParams["cond"];

function abstractEval(avals: readonly ShapedArray[], { branches }: CondParams): ShapedArray[] {
  if (branches.length === 0) throw new RangeError("cond: needs at least one branch");
  const index = avals[0];
  if (!index || index.dtype !== "int32" || index.ndim !== 0) {
    throw new DTypeError(`cond: the branch index must be an int32 scalar (i32[]), got ${index?.str() ?? "nothing"}`);
  }
  const ops = avals.slice(1);
  branches.forEach((b, i) => checkInputs("cond", `branch ${i}`, b, ops, (k) => `operand ${k}`));
  const outs = branches.map((b) => b.outs.map((o) => o.aval));
  outs.forEach((o, i) => {
    if (o.length !== outs[0]!.length || o.some((a, k) => !a.equals(outs[0]![k]!))) {
      throw new ShapeError(`cond: branch ${i} returns (${avalsStr(o)}) but branch 0 returns (${avalsStr(outs[0]!)}); every branch must return the same shapes and dtypes`);
    }
  });
  return outs[0]!;
}

/** The index clamped into range, as JAX's `switch` does (the impl clamps too, so no index can escape). */
export const clampIndex = (i: number, n: number): number => Math.min(Math.max(Math.trunc(i), 0), n - 1);

function impl(args: readonly NdArray[], { branches }: CondParams): NdArray[] {
  const i = clampIndex(Number(args[0]!.item()), branches.length);
  return evalJaxpr(branches[i]!, args.slice(1));
}

// jvp of each branch; the index has no tangent.
function jvp(primals: NdArray[], tangents: NdArray[], { branches }: CondParams): [NdArray[], NdArray[]] {
  const ops = primals.slice(1);
  const n = ops.length;
  const avals = ops.map((o) => o.aval);
  const traced = traceBranches(
    branches.map((b) => (...xs: NdArray[]) => {
      const [outs, touts] = jvpFlat((...ys) => evalJaxpr(b, ys), xs.slice(0, n), xs.slice(n));
      return [...outs, ...touts];
    }),
    [...avals, ...avals],
  );
  const outs = bind("cond", [primals[0]!, ...traced.consts, ...ops, ...tangents.slice(1)], { branches: traced.branches });
  const m = outs.length / 2;
  return [outs.slice(0, m), outs.slice(m)];
}

// Transpose each branch: branch i maps (residual ops…, output cotangents…) to the linear ops' cotangents.
function transpose(cts: NdArray[], args: (NdArray | UndefPrimal)[], { branches }: CondParams): (NdArray | null)[] {
  const index = args[0];
  if (index instanceof UndefPrimal) throw new Error("cond: the branch index cannot be linear");
  const ops = args.slice(1);
  const lin = ops.map((o) => o instanceof UndefPrimal);
  const res = pick(ops, lin, false) as NdArray[];
  const traced = traceBranches(
    branches.map((b) => (...xs: NdArray[]) => {
      let r = 0;
      const full = ops.map((o) => (o instanceof UndefPrimal ? o : xs[r++]!));
      return backwardPass(b, full, xs.slice(res.length));
    }),
    [...res, ...cts].map((x) => x.aval),
  );
  const outs = bind("cond", [index!, ...traced.consts, ...res, ...cts], { branches: traced.branches });
  return [null, ...merge<NdArray | null>(lin, res.map(() => null), outs)];
}

/** `cond`: every rule maps over the branches. */
export const condRules: RuleSet<"cond"> = {
  abstractEval,
  impl,
  jvp,
  batch: condBatch,
  partialEval: condPartialEval,
  partialEvalJaxpr: condPartialEvalJaxpr,
  transpose,
};
