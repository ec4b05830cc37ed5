/** gather and scatter_add: NumPy values, abstractEval, derivatives and vmap. */
import { describe } from "vitest";
import { describeFixtures } from "./_fixtures.js";
import { describeBadCalls, describeSpecs } from "./_specs.js";
import { INDEXING_BAD_CALLS, INDEXING_PRIMS, INDEXING_SPECS } from "./indexing.specs.js";

describe("indexing primitives", () => {
  describeFixtures(INDEXING_PRIMS);
  describeSpecs(INDEXING_SPECS);
  describeBadCalls(INDEXING_BAD_CALLS);
});
