/** `stopGradient` over pytrees and `makeJaxpr`. */
import type { NdArray } from "../array.js";
import type { ShapedArray } from "../aval.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import type { Jaxpr } from "../interpreters/jaxpr-types.js";
import * as lax from "../lax/index.js";
import { asArray } from "../np/convert.js";
import { type PyTree, map } from "../tree.js";
import { flattenArgs, flattenFun } from "./flat.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** Identity on values whose derivative is zero (applies to every leaf of a pytree). */
export function stopGradient<T extends PyTree>(x: T): T {
  return map((l) => lax.stopGradient(asArray(l)), x) as T;
}

/** A traced program: the jaxpr, its constants, and avals of inputs and outputs. */
export type TracedJaxpr = {
  readonly jaxpr: Jaxpr;
  readonly consts: NdArray[];
  readonly inAvals: ShapedArray[];
  readonly outAvals: ShapedArray[];
  /** JAX-style text of the program. */
  toString(): string;
};

/** `makeJaxpr(f)(...args)`: the jaxpr `f` traces to for arguments shaped like `args`. */
export function makeJaxpr<F extends Fn>(f: F): (...args: Parameters<F>) => TracedJaxpr {
  return (...args: Parameters<F>) => {
    const [leaves, inTree] = flattenArgs(args);
    const { flat } = flattenFun(f, inTree);
    const { closed, outAvals } = makeJaxprFlat(flat, leaves.map((l) => l.aval));
    return {
      jaxpr: closed.jaxpr,
      consts: closed.consts,
      inAvals: leaves.map((l) => l.aval),
      outAvals,
      toString: () => closed.jaxpr.toString(closed.consts.length),
    };
  };
}
