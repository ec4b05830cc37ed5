/**
 * `checkpoint` (JAX's `jax.checkpoint` / `remat`): the same function, but reverse mode stores only its
 * inputs and recomputes its intermediates during the backward pass, trading compute for memory.
 */
import type { NdArray } from "../array.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import type { PrimName } from "../primitives.js";
import { bind } from "../trace.js";
import { unflatten } from "../tree.js";
import { flattenArgs, flattenFun } from "./flat.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/**
 * Which intermediates reverse mode may store rather than recompute: called with an equation's
 * primitive and params, true means its outputs may be saved as residuals.
 */
export type RematPolicy = (prim: PrimName, params: unknown) => boolean;

/** Options of `checkpoint`. */
export type CheckpointOptions = {
  /** What may be saved (default `checkpointPolicies.nothingSaveable`: only the inputs). */
  policy?: RematPolicy;
  /** Name shown in jaxprs and errors (defaults to the function's name). */
  name?: string;
};

const noBatchDims = (params: unknown): boolean => {
  const batch = (params as { batch?: readonly [readonly number[], readonly number[]] }).batch;
  return batch !== undefined && batch[0].length === 0 && batch[1].length === 0;
};

/** The saving policies of JAX's `jax.checkpoint_policies` that apply to Fluxion's primitives. */
export const checkpointPolicies = {
  /** Save nothing but the inputs: recompute everything (the default). */
  nothingSaveable: (() => false) as RematPolicy,
  /** Save everything (no rematerialisation; as if there were no checkpoint). */
  everythingSaveable: (() => true) as RematPolicy,
  /** Save the results of matrix multiplications and convolutions; recompute the cheap elementwise work. */
  dotsSaveable: ((prim) => prim === "dot_general" || prim === "conv_general_dilated") as RematPolicy,
  /** Save the results of matrix multiplications without batch dimensions. */
  dotsWithNoBatchDimsSaveable: ((prim, params) => prim === "dot_general" && noBatchDims(params)) as RematPolicy,
} as const;

/**
 * `checkpoint(f)` computes `f`, but under `grad`/`vjp`/`linearize` only `f`'s inputs (and what
 * `policy` allows) are kept for the backward pass; `f`'s intermediates are recomputed from them.
 * Composes with every transformation (`jit`, `vmap`, higher-order derivatives).
 */
export function checkpoint<F extends Fn>(f: F, opts: CheckpointOptions = {}): F {
  const name = opts.name ?? (f.name || "fn");
  const policy = opts.policy;
  const wrapped = (...args: unknown[]) => {
    const [leaves, inTree] = flattenArgs(args);
    const { flat, outTree } = flattenFun(f, inTree);
    // Traced on every call: closed-over values are read afresh (an enclosing jit traces once anyway).
    const { closed } = makeJaxprFlat(flat, leaves.map((l) => l.aval));
    const outs: NdArray[] = bind("remat", [...closed.consts, ...leaves], {
      jaxpr: closed.jaxpr,
      numConsts: closed.consts.length,
      name,
      ...(policy ? { policy } : {}),
    });
    return unflatten(outTree(), outs);
  };
  return wrapped as F;
}
