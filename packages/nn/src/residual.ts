/**
 * Residual connection y = block(x) + shortcut(x) (He et al.; seed 001), the shortcut being the identity
 * unless a projection layer is given (for a change of shape). Stateful when either part is.
 */
import { type NdArray, type PyTree, ShapeError, np } from "@fluxion/core";
import { type LayerLike, type Lifted, asStateful, toLayer } from "./lift.js";
import { splitKeys } from "./rng.js";
import type { AnyLayer, ApplyOptions, Layer, NoParams, ParamsOf, Shape, StateOf, StatefulLayer } from "./types.js";

/** Parameters of a residual block. */
export type ResidualParams<B, S> = { block: B; shortcut: S };
/** State of a stateful residual block. */
export type ResidualState<B, S> = { block: B; shortcut: S };

/** What a residual layer exposes for `summary`. */
export type ResidualInfo = { readonly block: AnyLayer; readonly shortcut: AnyLayer | null };

const identityLayer: Layer<NoParams> = { name: "identity", stateful: false, init: () => ({}), apply: (_p, x) => x, outputShape: (s) => [...s] };

function checkShapes(a: Shape, b: Shape): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(`residual: the block's output [${a.join(",")}] and the shortcut's [${b.join(",")}] differ; give a projection shortcut (e.g. a 1×1 conv2d)`);
  }
}

/** y = block(x) + x, or block(x) + shortcut(x) with a projection shortcut. */
export function residual<B extends Layer | ((x: NdArray) => NdArray), S extends Layer | ((x: NdArray) => NdArray) = Layer<NoParams>>(block: B, shortcut?: S): Layer<ResidualParams<ParamsOf<Lifted<B>>, ParamsOf<Lifted<S>>>> & ResidualInfo;
/** A residual block with a stateful part: `apply(params, state, x, opts) → [y, state']`. */
export function residual<B extends LayerLike, S extends LayerLike = Layer<NoParams>>(block: B, shortcut?: S): StatefulLayer<ResidualParams<ParamsOf<Lifted<B>>, ParamsOf<Lifted<S>>>, ResidualState<StateOf<Lifted<B>>, StateOf<Lifted<S>>>> & ResidualInfo;
export function residual(blockLike: LayerLike, shortcutLike?: LayerLike): AnyLayer & ResidualInfo {
  const block = toLayer(blockLike);
  const shortcut = shortcutLike === undefined ? identityLayer : toLayer(shortcutLike);
  const name = `residual(${block.name}${shortcutLike ? ` + ${shortcut.name}` : ""})`;
  const outputShape = (s: Shape) => {
    const a = block.outputShape(s);
    checkShapes(a, shortcut.outputShape(s));
    return a;
  };
  const init = (key: NdArray, inputShape?: Shape) => {
    const [kb, ks] = splitKeys(key, 2);
    return { block: block.init(kb!, inputShape), shortcut: shortcut.init(ks!, inputShape) };
  };
  const keys = (opts: ApplyOptions) => (opts.key === undefined ? [undefined, undefined] : splitKeys(opts.key, 2));
  const info = { block, shortcut: shortcutLike === undefined ? null : shortcut };
  if (!block.stateful && !shortcut.stateful) {
    return {
      name,
      stateful: false,
      ...info,
      init,
      apply(params: ResidualParams<PyTree, PyTree>, x: NdArray, opts: ApplyOptions = {}) {
        const [kb, ks] = keys(opts);
        return np.add(block.apply(params.block, x, { ...opts, key: kb }), shortcut.apply(params.shortcut, x, { ...opts, key: ks }));
      },
      outputShape,
    } as Layer<ResidualParams<PyTree, PyTree>> & ResidualInfo;
  }
  const [b, s] = [asStateful(block), asStateful(shortcut)];
  return {
    name,
    stateful: true,
    ...info,
    init,
    initState: (inputShape?: Shape) => ({ block: b.initState(inputShape), shortcut: s.initState(inputShape) }),
    apply(params: ResidualParams<PyTree, PyTree>, state: ResidualState<PyTree, PyTree>, x: NdArray, opts: ApplyOptions = {}): [NdArray, ResidualState<PyTree, PyTree>] {
      const [kb, ks] = keys(opts);
      const [yb, sb] = b.apply(params.block, state.block, x, { ...opts, key: kb });
      const [ys, ss] = s.apply(params.shortcut, state.shortcut, x, { ...opts, key: ks });
      return [np.add(yb, ys), { block: sb, shortcut: ss }];
    },
    outputShape,
  } as StatefulLayer<ResidualParams<PyTree, PyTree>, ResidualState<PyTree, PyTree>> & ResidualInfo;
}
