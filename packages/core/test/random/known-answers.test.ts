/**
 * Known answers: every case of fixtures/random/jax_vectors.json (from JAX's test suite and docs) and of
 * numpy_vectors.json (from the NumPy reference that reproduces them), in the scheme each was made with.
 */
import { describe, expect, it } from "vitest";
import { type RandomCase, disagreement, loadCases, runCase, schemesOf } from "./_cases.js";

const rows = (cases: RandomCase[]) => cases.flatMap((c) => schemesOf(c).map((s) => [`${c.name} [${s}]`, c, s] as const));

describe("JAX's own vectors", () => {
  it.each(rows(loadCases("jax_vectors.json")))("%s", (_name, c, scheme) => {
    expect(disagreement(c, runCase(c, scheme))).toBeNull();
  });
});

describe("NumPy reference vectors", () => {
  it.each(rows(loadCases("numpy_vectors.json")))("%s", (_name, c, scheme) => {
    expect(disagreement(c, runCase(c, scheme))).toBeNull();
  });
});
