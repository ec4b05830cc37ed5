/** dot_general: NumPy values, abstractEval, derivatives and vmap. */
import { describe } from "vitest";
import { describeFixtures } from "./_fixtures.js";
import { describeBadCalls, describeSpecs } from "./_specs.js";
import { DOT_BAD_CALLS, DOT_PRIMS, DOT_SPECS } from "./dot.specs.js";

describe("dot primitives", () => {
  describeFixtures(DOT_PRIMS);
  describeSpecs(DOT_SPECS);
  describeBadCalls(DOT_BAD_CALLS);
});
