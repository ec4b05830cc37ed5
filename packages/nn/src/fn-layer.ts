/** A parameter-free layer from any function of one array (activations, reshapes), so `serial` can hold it. */
import { type NdArray, makeJaxpr, np } from "@fluxion/core";
import type { Layer, NoParams } from "./types.js";

/** Wrap `f` as a layer; its output shape is found by tracing `f` abstractly, so it needs no shape rule. */
export function fnLayer(f: (x: NdArray) => NdArray, name = f.name || "fn"): Layer<NoParams> {
  return {
    name,
    stateful: false,
    init: () => ({}),
    apply: (_params, x) => f(x),
    outputShape: (shape) => [...makeJaxpr(f)(np.zeros(shape)).outAvals[0]!.shape],
  };
}
