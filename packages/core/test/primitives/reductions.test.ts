/** Reductions, argmax/argmin and cumsum: NumPy values, abstractEval, derivatives and vmap. */
import { describe } from "vitest";
import { describeFixtures } from "./_fixtures.js";
import { describeBadCalls, describeSpecs } from "./_specs.js";
import { REDUCTION_BAD_CALLS, REDUCTION_PRIMS, REDUCTION_SPECS } from "./reductions.specs.js";

describe("reduction primitives", () => {
  describeFixtures(REDUCTION_PRIMS);
  describeSpecs(REDUCTION_SPECS);
  describeBadCalls(REDUCTION_BAD_CALLS);
});
