/** `trace(decay)`: heavy-ball momentum, v ← βv + g, with Nesterov and dampening options. */
import { type Leaf, type PyTree, np, tree } from "@fluxion/core";
import { leafArray, sameDtype, zerosLikeTree } from "./tree-util.js";
import type { GradientTransformation } from "./types.js";
import { decayRate, unitInterval } from "./validate.js";

/** State of `trace`: the velocity, shaped like the params. */
export type TraceState = { trace: PyTree };

/** Options of `trace`. */
export type TraceOptions = {
  /** Use the Nesterov update `(1 − d)g + βv` (the look-ahead gradient rewritten at the current point). */
  nesterov?: boolean;
  /**
   * Scale the incoming gradient by (1 − dampening): `v ← βv + (1 − d)g`. 0 (default) is Optax's
   * `trace`; d = β gives the EMA form of seed 001 (m ← βm + (1 − β)g) and seed 004, and seed 000's
   * θ⁺ = θ + α(θ − θ⁻) − (1 − α)ηg with d = β = α.
   */
  dampening?: number;
};

/**
 * Momentum accumulator: `v ← βv + (1 − d)g`, output `v` (or `(1 − d)g + βv` with `nesterov`). With a
 * following `scaleByLearningRate(η)` this is θ ← θ − ηv.
 */
export function trace(decay: number, opts: TraceOptions = {}): GradientTransformation<TraceState> {
  decayRate("trace", "decay", decay);
  const damp = unitInterval("trace", "dampening", opts.dampening ?? 0);
  const nesterov = opts.nesterov ?? false;
  const f = (g: Leaf, t: Leaf) => sameDtype(np.add(np.multiply(leafArray(g), 1 - damp), np.multiply(leafArray(t), decay)), g);
  return {
    init: (params) => ({ trace: zerosLikeTree(params) }),
    update: (updates, state) => {
      const next = tree.map<PyTree>(f, updates, state.trace);
      const out = nesterov ? tree.map<typeof updates>(f, updates, next) : (next as typeof updates);
      return [out, { trace: next }];
    },
  };
}
