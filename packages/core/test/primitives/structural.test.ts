/** Movement primitives: NumPy values, abstractEval, derivatives and vmap. */
import { describe } from "vitest";
import { describeFixtures } from "./_fixtures.js";
import { describeBadCalls, describeSpecs } from "./_specs.js";
import { STRUCTURAL_BAD_CALLS, STRUCTURAL_PRIMS, STRUCTURAL_SPECS } from "./structural.specs.js";

describe("structural primitives", () => {
  describeFixtures(STRUCTURAL_PRIMS);
  describeSpecs(STRUCTURAL_SPECS);
  describeBadCalls(STRUCTURAL_BAD_CALLS);
});
