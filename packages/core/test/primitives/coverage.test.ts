/** Every primitive (but the ones tested elsewhere) has NumPy fixtures, a derivative check and a vmap check. */
import { describe, expect, it } from "vitest";
import { type PrimName, primitiveNames } from "../../src/index.js";
import { FIXTURES } from "./_fixtures.js";
import type { Spec } from "./_specs.js";
import { DOT_PRIMS, DOT_SPECS } from "./dot.specs.js";
import { ELEMENTWISE_PRIMS, ELEMENTWISE_SPECS } from "./elementwise.specs.js";
import { INDEXING_PRIMS, INDEXING_SPECS } from "./indexing.specs.js";
import { REDUCTION_PRIMS, REDUCTION_SPECS } from "./reductions.specs.js";
import { STRUCTURAL_PRIMS, STRUCTURAL_SPECS } from "./structural.specs.js";

/**
 * Primitives with suites of their own. Anything else added to the rule table must join a family here,
 * so a primitive without fixtures, derivative and vmap checks fails this file.
 */
const TESTED_ELSEWHERE: ReadonlySet<string> = new Set([
  // convolution and windows
  "conv_general_dilated", "reduce_window", "select_and_gather_add", "select_and_scatter_add",
  // higher-order: their params carry jaxprs or user functions
  "custom_jvp_call", "custom_vjp_call", "custom_lin", "pjit", "remat", "scan", "while", "cond",
  // PRNG bit manipulation
  "shift_left", "shift_right_logical", "bitcast_convert_type", "threefry2x32",
  // linear algebra
  "cholesky", "triangular_solve", "lu", "qr", "eigh", "svd",
]);

/** Primitives with no operand to differentiate (their derivative is never asked for). */
const NO_DERIVATIVE: ReadonlySet<string> = new Set(["iota"]);

const FAMILIES: [string, readonly PrimName[], readonly Spec[]][] = [
  ["elementwise", ELEMENTWISE_PRIMS, ELEMENTWISE_SPECS],
  ["reductions", REDUCTION_PRIMS, REDUCTION_SPECS],
  ["structural", STRUCTURAL_PRIMS, STRUCTURAL_SPECS],
  ["indexing", INDEXING_PRIMS, INDEXING_SPECS],
  ["dot", DOT_PRIMS, DOT_SPECS],
];
const ALL_SPECS = FAMILIES.flatMap(([, , specs]) => specs);
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("primitive coverage", () => {
  const expected = primitiveNames().filter((p) => !TESTED_ELSEWHERE.has(p));

  it("the families cover exactly the primitives of the rule table (minus those tested elsewhere)", () => {
    const covered = FAMILIES.flatMap(([, prims]) => prims);
    expect(new Set(covered).size, "a primitive is listed in two families").toBe(covered.length);
    expect(sorted(covered)).toEqual(sorted(expected));
  });

  it("each family's specs use only that family's primitives", () => {
    for (const [name, prims, specs] of FAMILIES) {
      const strays = specs.filter((s) => !prims.includes(s.prim)).map((s) => s.prim);
      expect(strays, `${name} specs for primitives of another family`).toEqual([]);
    }
  });

  it.each(expected)("%s has NumPy fixtures, a derivative check and a vmap check", (prim) => {
    expect(FIXTURES.filter((c) => c.prim === prim).length, "fixture cases").toBeGreaterThan(0);
    const specs = ALL_SPECS.filter((s) => s.prim === prim);
    if (!NO_DERIVATIVE.has(prim)) expect(specs.filter((s) => s.grads !== "none").length, "specs with a derivative check").toBeGreaterThan(0);
    expect(specs.filter((s) => s.vmap !== false && s.args.length > 0).length, "specs with a vmap check").toBeGreaterThan(0);
  });

  it("every fixture names a primitive of the table", () => {
    const known = new Set<string>(primitiveNames());
    expect(sorted(new Set(FIXTURES.map((c) => c.prim).filter((p) => !known.has(p))))).toEqual([]);
  });
});
