/** preluLayer: shared and per-channel learnable slopes. */
import { describe, expect, test } from "vitest";
import { np, random } from "@fluxion/core";
import { assertAllclose, checkGrads, randomArray } from "@fluxion/core/testing";
import { preluLayer } from "../src/index.js";

describe("preluLayer", () => {
  test("one shared slope or one per channel (axis 1), initialised to 0.25, learnable", () => {
    const x = randomArray([2, 3, 4], 1);
    const shared = preluLayer();
    const p = shared.init(random.key(0));
    expect(p.alpha.toArray()).toEqual([0.25]);
    const y = shared.apply({ alpha: np.array([0.25], { dtype: "float64" }) }, x);
    assertAllclose(y, np.where(np.greater(x, 0), x, np.multiply(x, 0.25)));
    const perChannel = preluLayer({ numParameters: 3 });
    const a = np.array([0.1, 0.2, 0.3], { dtype: "float64" });
    const yc = perChannel.apply({ alpha: a }, x);
    assertAllclose(yc, np.where(np.greater(x, 0), x, np.multiply(x, np.reshape(a, [3, 1]))));
    checkGrads((aa: typeof a, xx: typeof x) => perChannel.apply({ alpha: aa }, xx), [a, np.add(x, 0.05)], { order: 2 });
  });
});
