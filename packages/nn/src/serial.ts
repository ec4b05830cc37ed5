/**
 * `serial(...layers)`: a homogeneous stack applied in order (stax's `serial`). Parameters (and state)
 * are lists with one entry per layer; `init` splits its key once per layer and threads the shape
 * through `outputShape`; `apply` splits `opts.key` (when given) once per layer, so each stochastic
 * layer draws from its own key. With any stateful layer the stack is stateful, and stateless layers'
 * state entries are `null`.
 */
import type { NdArray, PyTree } from "@fluxion/core";
import { type LayerLike, type Lifted, asStateful, toLayer } from "./lift.js";
import { splitKeys } from "./rng.js";
import type { AnyLayer, ApplyOptions, Layer, ParamsOf, Shape, StateOf, StatefulLayer } from "./types.js";

/** Per-layer parameters of a stack. */
export type SerialParams<L extends readonly LayerLike[]> = { -readonly [K in keyof L]: ParamsOf<Lifted<L[K]>> };
/** Per-layer state of a stack (`null` for stateless layers). */
export type SerialState<L extends readonly LayerLike[]> = { -readonly [K in keyof L]: StateOf<Lifted<L[K]>> };

/** What a stack exposes besides the layer protocol: its layers, for `summary`. */
export type SerialInfo = { readonly layers: readonly AnyLayer[] };

/** Keys for each of `n` layers, or none when there is no key. */
function keysFor(key: NdArray | undefined, n: number): (NdArray | undefined)[] {
  return key === undefined ? new Array<undefined>(n).fill(undefined) : splitKeys(key, n);
}

function initAll(layers: readonly AnyLayer[], key: NdArray, inputShape: Shape | undefined): PyTree[] {
  const keys = splitKeys(key, layers.length);
  let shape = inputShape;
  return layers.map((l, i) => {
    const p = l.init(keys[i]!, shape);
    shape = shape && l.outputShape(shape);
    return p;
  });
}

function outputShapeAll(layers: readonly AnyLayer[], inputShape: Shape): number[] {
  return layers.reduce<number[]>((s, l) => l.outputShape(s), [...inputShape]);
}

/** A stack of stateless layers (functions allowed): `apply(params, x, opts)`. */
export function serial<const L extends readonly (Layer | ((x: NdArray) => NdArray))[]>(...layers: L): Layer<SerialParams<L>> & SerialInfo;
/** A stack with at least one stateful layer: `apply(params, state, x, opts) → [y, state']`. */
export function serial<const L extends readonly LayerLike[]>(...layers: L): StatefulLayer<SerialParams<L>, SerialState<L>> & SerialInfo;
export function serial(...items: LayerLike[]): AnyLayer & SerialInfo {
  if (items.length === 0) throw new RangeError("serial: needs at least one layer");
  const layers = items.map(toLayer);
  const name = `serial[${layers.length}]`;
  if (!layers.some((l) => l.stateful)) {
    const plain = layers as Layer[];
    return {
      name,
      stateful: false,
      layers,
      init: (key, inputShape) => initAll(layers, key, inputShape),
      apply(params: PyTree[], x: NdArray, opts: ApplyOptions = {}) {
        const keys = keysFor(opts.key, plain.length);
        return plain.reduce((h, l, i) => l.apply(params[i]!, h, { ...opts, key: keys[i] }), x);
      },
      outputShape: (s) => outputShapeAll(layers, s),
    } as Layer<PyTree[]> & SerialInfo;
  }
  const lifted = layers.map(asStateful);
  return {
    name,
    stateful: true,
    layers,
    init: (key, inputShape) => initAll(layers, key, inputShape),
    initState(inputShape?: Shape) {
      let shape = inputShape;
      return lifted.map((l) => {
        const s = l.initState(shape);
        shape = shape && l.outputShape(shape);
        return s;
      });
    },
    apply(params: PyTree[], state: PyTree[], x: NdArray, opts: ApplyOptions = {}): [NdArray, PyTree[]] {
      const keys = keysFor(opts.key, lifted.length);
      const next: PyTree[] = [];
      let h = x;
      lifted.forEach((l, i) => {
        const [y, s] = l.apply(params[i]!, state[i]!, h, { ...opts, key: keys[i] });
        h = y;
        next.push(s);
      });
      return [h, next];
    },
    outputShape: (s) => outputShapeAll(layers, s),
  } as StatefulLayer<PyTree[], PyTree[]> & SerialInfo;
}
