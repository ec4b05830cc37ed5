/** The layer protocol: configuration in a closure, parameters and state as plain pytrees. */
import type { NdArray, PyTree } from "@fluxion/core";
import type { Key } from "./rng.js";

/** A shape as the layers see it: the full shape of `x`, batch dimension included where there is one. */
export type Shape = readonly number[];

/** Per-call options: `train` switches dropout and batch norm to training behaviour; `key` feeds stochastic layers. */
export type ApplyOptions = {
  /** Training mode (default false: the deterministic evaluation function). */
  train?: boolean;
  /** PRNG key for stochastic layers (dropout); required by them in training mode. */
  key?: Key;
};

/** A stateless layer: `y = apply(params, x, opts)`. */
export type Layer<P extends PyTree = PyTree> = {
  /** Short description shown by `summary`, e.g. `dense(128)`. */
  readonly name: string;
  /** Discriminates from `StatefulLayer` (may be omitted in hand-written layers). */
  readonly stateful?: false;
  /** Fresh parameters; `inputShape` (the full shape of x) supplies sizes not fixed by the configuration. */
  init(key: Key, inputShape?: Shape): P;
  /** The forward function, pure in its arguments. */
  apply(params: P, x: NdArray, opts?: ApplyOptions): NdArray;
  /** The shape `apply` returns for an input of `inputShape`. */
  outputShape(inputShape: Shape): number[];
};

/** A layer with explicit state (batch norm): `[y, state'] = apply(params, state, x, opts)`. */
export type StatefulLayer<P extends PyTree = PyTree, S extends PyTree = PyTree> = {
  /** Short description shown by `summary`. */
  readonly name: string;
  /** Discriminates from `Layer`. */
  readonly stateful: true;
  /** Fresh parameters (learned by gradient descent). */
  init(key: Key, inputShape?: Shape): P;
  /** Fresh state (updated by `apply`, never by gradients). */
  initState(inputShape?: Shape): S;
  /** The forward function; returns the output and the new state. */
  apply(params: P, state: S, x: NdArray, opts?: ApplyOptions): [NdArray, S];
  /** The shape `apply` returns for an input of `inputShape`. */
  outputShape(inputShape: Shape): number[];
};

/** Either kind of layer. */
export type AnyLayer = Layer<PyTree> | StatefulLayer<PyTree, PyTree>;

/** The parameter type of a layer. */
export type ParamsOf<L> = L extends Layer<infer P> ? P : L extends StatefulLayer<infer P, PyTree> ? P : never;

/** The state type of a layer (`null` for stateless layers). */
export type StateOf<L> = L extends StatefulLayer<PyTree, infer S> ? S : null;

/** Parameters of layers that have none. */
export type NoParams = Record<string, never>;
