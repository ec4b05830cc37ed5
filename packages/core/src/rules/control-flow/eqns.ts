/** Equations that control-flow rules write directly into jaxprs. */
import type { ShapedArray } from "../../aval.js";
import { Jaxpr, type JaxprEqn, Lit, Var } from "../../interpreters/jaxpr-types.js";
import * as lax from "../../lax/index.js";

/** An equation that computes nothing: the known half of a split whose every output is unknown. */
export function noopEqn(): JaxprEqn<"pjit"> {
  return { prim: "pjit", inputs: [], params: { jaxpr: new Jaxpr([], [], []), numConsts: 0, name: "nothing_known" }, outBinders: [] };
}

/** An equation `out = zeros of aval` (broadcast of a scalar literal, so the jaxpr needs no constant). */
export function zerosEqn(aval: ShapedArray): JaxprEqn<"broadcast_in_dim"> {
  return {
    prim: "broadcast_in_dim",
    inputs: [new Lit(lax.scalar(0, aval.dtype))],
    params: { shape: aval.shape, broadcastDimensions: [] },
    outBinders: [new Var(aval)],
  };
}
