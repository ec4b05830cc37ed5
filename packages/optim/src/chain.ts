/** `chain(...)`: compose transformations left to right, each seeing the previous one's updates. */
import type { PyTree } from "@fluxion/core";
import type { GradientTransformation, StateOf } from "./types.js";

/** The state of a chain: one state per link, in order (a tuple, so it is a pytree). */
export type ChainState<T extends readonly GradientTransformation<PyTree>[]> = { -readonly [K in keyof T]: StateOf<T[K]> };

/**
 * Apply `transforms` in sequence: `chain(a, b).update(g)` is `b.update(a.update(g))`, each with its own
 * slot of the state tuple and all seeing the same `params`.
 */
export function chain<T extends readonly GradientTransformation<PyTree>[]>(...transforms: T): GradientTransformation<ChainState<T> & PyTree> {
  // The links are stored with erased state types; the tuple type above restores them for callers.
  const links = transforms as unknown as readonly GradientTransformation<PyTree>[];
  return {
    init: (params) => links.map((t) => t.init(params)) as unknown as ChainState<T> & PyTree,
    update: (updates, state, params) => {
      const states = state as unknown as readonly PyTree[];
      if (!Array.isArray(states) || states.length !== links.length) {
        throw new TypeError(`chain: expected a state tuple of ${links.length} entries (from this chain's init), got ${Array.isArray(states) ? states.length : typeof states}`);
      }
      let u = updates;
      const next: PyTree[] = [];
      links.forEach((t, i) => {
        const [nu, ns] = t.update(u, states[i]!, params);
        u = nu;
        next.push(ns);
      });
      return [u, next as unknown as ChainState<T> & PyTree];
    },
  };
}
