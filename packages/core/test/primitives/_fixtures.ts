/** NumPy golden values for single primitives (fixtures/primitives.json, made by make_primitive_fixtures.py). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type DType, type NdArray, type PrimName, lax, makeJaxpr, np } from "../../src/index.js";
import { mismatch } from "../../src/testing/index.js";

/** One encoded array: flat row-major data, non-finite floats as strings. */
type EncodedArray = { dtype: DType; shape: number[]; data: (number | string)[] };

/** One fixture case: `bind(prim, inputs, params)` must equal `output`. */
export type FixtureCase = {
  name: string;
  prim: PrimName;
  params: Record<string, unknown>;
  inputs: EncodedArray[];
  output: EncodedArray;
  rtol?: number;
  atol?: number;
};

const path = fileURLToPath(new URL("../fixtures/primitives.json", import.meta.url));

/** Every case in the fixture file. */
export const FIXTURES: readonly FixtureCase[] = (JSON.parse(readFileSync(path, "utf8")) as { cases: FixtureCase[] }).cases;

const NONFINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** Rebuild an array exactly as NumPy wrote it. */
export function decode(e: EncodedArray): NdArray {
  const flat = Float64Array.from(e.data, (v) => (typeof v === "string" ? NONFINITE[v]! : v));
  return lax.reshape(np.array(flat, { dtype: e.dtype }), e.shape);
}

// float64 kernels and NumPy may differ by a few ulp in libm functions; float32 results are rounded from
// float64 here but computed in float32 by NumPy for some ops. Integers and bools must match exactly.
const DEFAULT_TOL: Record<DType, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-13, atol: 1e-300 },
  float32: { rtol: 1e-6, atol: 1e-30 },
  int32: { rtol: 0, atol: 0 },
  uint32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** Run a fixture case: the eager value against NumPy, and the traced aval against the eager result. */
export function runFixture(c: FixtureCase): void {
  const inputs = c.inputs.map(decode);
  const expected = decode(c.output);
  const got = lax.bind(c.prim, inputs, c.params as never)[0]!;
  expect(got.dtype, "dtype").toBe(expected.dtype);
  expect([...got.shape], "shape").toEqual([...expected.shape]);
  const tol = { ...DEFAULT_TOL[expected.dtype], ...(c.rtol !== undefined ? { rtol: c.rtol } : {}), ...(c.atol !== undefined ? { atol: c.atol } : {}) };
  const m = mismatch(got, expected, tol);
  if (m !== null) throw new Error(`${c.prim} (${c.name}): ${m}\n  got      ${JSON.stringify(got.toArray())}\n  expected ${JSON.stringify(expected.toArray())}`);
  const traced = makeJaxpr((...xs: NdArray[]) => lax.bind(c.prim, xs, c.params as never)[0]!)(...inputs);
  expect(traced.outAvals.map((a) => a.str()), "abstractEval vs impl").toEqual([got.aval.str()]);
}

/** Register one `it` per fixture case of the given primitives. */
export function describeFixtures(prims: readonly PrimName[]): void {
  describe("impl matches NumPy; abstractEval matches impl", () => {
    for (const c of FIXTURES.filter((f) => prims.includes(f.prim))) {
      it(`${c.prim}: ${c.name}`, () => runFixture(c));
    }
  });
}
