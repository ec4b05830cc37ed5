/**
 * Inverted dropout (seed 004): in training each element is zeroed with probability `rate` and the
 * survivors scaled by 1/(1 − rate), so evaluation is the identity and expectations match.
 */
import { np, random } from "@fluxion/core";
import type { Layer, NoParams } from "./types.js";

/** Dropout with drop probability `rate` (default 0.5, as seed 004); needs `{ train: true, key }` to drop anything. */
export function dropout(rate = 0.5): Layer<NoParams> {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`dropout: rate must be in [0, 1], got ${rate}`);
  return {
    name: `dropout(${rate})`,
    stateful: false,
    init: () => ({}),
    apply(_params, x, opts = {}) {
      if (!opts.train || rate === 0) return x;
      if (opts.key === undefined) throw new TypeError("dropout: training mode needs a PRNG key: apply(params, x, { train: true, key })");
      if (rate === 1) return np.zerosLike(x);
      const keep = random.bernoulli(opts.key, 1 - rate, x.shape);
      return np.where(keep, np.divide(x, 1 - rate), np.zerosLike(x));
    },
    outputShape: (s) => [...s],
  };
}
