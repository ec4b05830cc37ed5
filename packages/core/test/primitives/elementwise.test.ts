/** Elementwise primitives: NumPy values, abstractEval, derivatives and vmap. */
import { describe, it } from "vitest";
import { jvp, lax, np } from "../../src/index.js";
import { assertAllclose } from "../../src/testing/index.js";
import { describeFixtures } from "./_fixtures.js";
import { describeBadCalls, describeSpecs, rand } from "./_specs.js";
import { ELEMENTWISE_BAD_CALLS, ELEMENTWISE_PRIMS, ELEMENTWISE_SPECS } from "./elementwise.specs.js";

describe("elementwise primitives", () => {
  describeFixtures(ELEMENTWISE_PRIMS);
  describeSpecs(ELEMENTWISE_SPECS);
  describeBadCalls(ELEMENTWISE_BAD_CALLS);

  it("stop_gradient blocks only its own branch: d/dx [sg(x)·sin x] = x·cos x", () => {
    const x = rand([4], 11);
    const f = (v: typeof x) => lax.mul(lax.stopGradient(v), lax.sin(v));
    const [, t] = jvp(f, [x], [np.ones([4], { dtype: "float64" })]);
    assertAllclose(t, lax.mul(x, lax.cos(x)), { rtol: 1e-14, atol: 0 });
  });
});
