/** Normal forms the combinators work on: plain functions become layers, and any layer can be run as a stateful one. */
import type { NdArray, PyTree } from "@fluxion/core";
import { fnLayer } from "./fn-layer.js";
import type { AnyLayer, Layer, NoParams, StatefulLayer } from "./types.js";

/** What the combinators accept: a layer of either kind, or a parameter-free function such as `relu`. */
export type LayerLike = AnyLayer | ((x: NdArray) => NdArray);

/** The layer a `LayerLike` stands for. */
export type Lifted<I> = I extends AnyLayer ? I : Layer<NoParams>;

/** `LayerLike` → layer (functions are wrapped by `fnLayer`). */
export function toLayer(l: LayerLike): AnyLayer {
  return typeof l === "function" ? fnLayer(l) : l;
}

/** Any layer as a stateful one (stateless layers carry `null` state through unchanged). */
export function asStateful(l: AnyLayer): StatefulLayer<PyTree, PyTree> {
  if (l.stateful) return l;
  return {
    name: l.name,
    stateful: true,
    init: (key, shape) => l.init(key, shape),
    initState: () => null,
    apply: (params, state, x, opts) => [l.apply(params, x, opts), state],
    outputShape: (s) => l.outputShape(s),
  };
}
