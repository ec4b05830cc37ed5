/** Transformation specs for single primitives: abstractEval vs impl, derivatives, and vmap. */
import { describe, expect, it } from "vitest";
import { type DTypeError, type NdArray, type PrimName, type ShapeError, isFloat, jvp, lax, makeJaxpr, vjp } from "../../src/index.js";
import { type CheckGradsOptions, type CheckVmapOptions, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

type Fn = (...xs: NdArray[]) => NdArray;

/**
 * How a spec's derivative is checked:
 * - "check": `checkGrads` order 2, forward and reverse (or `gradOpts`);
 * - "zero": piecewise constant: jvp and vjp are exactly zero, and finite differences agree (order 2);
 * - "zeroByDefinition": jvp and vjp are exactly zero although finite differences are not (stop_gradient);
 * - "none": no floating-point input to differentiate.
 */
export type GradMode = "check" | "zero" | "zeroByDefinition" | "none";

/** One use of a primitive: `f` must bind `prim` (checked on its jaxpr). */
export type Spec = {
  prim: PrimName;
  name: string;
  f: Fn;
  args: NdArray[];
  grads: GradMode;
  gradOpts?: CheckGradsOptions;
  /** `false` to skip vmap for this spec (another spec of the primitive covers it). */
  vmap?: false | CheckVmapOptions;
};

/** A float64 array uniform in [lo, hi) (seeded). */
export const rand = (shape: readonly number[], seed: number, lo = -1, hi = 1): NdArray => randomArray(shape, seed, { lo, hi });

/** Names of the primitives bound anywhere in `f`'s jaxpr (recursing into sub-jaxprs of params). */
export function primsIn(f: Fn, args: NdArray[]): Set<string> {
  const seen = new Set<string>();
  const walk = (eqns: readonly { prim: string; params: unknown }[]) => {
    for (const e of eqns) {
      seen.add(e.prim);
      for (const v of Object.values(e.params as Record<string, unknown>)) {
        const sub = (v as { jaxpr?: { eqns?: unknown }; eqns?: unknown } | null)?.jaxpr?.eqns ?? (v as { eqns?: unknown } | null)?.eqns;
        if (Array.isArray(sub)) walk(sub as never);
      }
    }
  };
  walk(makeJaxpr(f)(...args).jaxpr.eqns as never);
  return seen;
}

/** Assert the eager result's aval equals the traced (abstractEval) aval. */
function checkAbstractEval(s: Spec): void {
  const eager = s.f(...s.args);
  const traced = makeJaxpr(s.f)(...s.args);
  expect(traced.outAvals.map((a) => a.str())).toEqual([eager.aval.str()]);
  expect(primsIn(s.f, s.args).has(s.prim), `${s.name} must bind ${s.prim}`).toBe(true);
}

const asF64 = (x: NdArray): NdArray => (isFloat(x.dtype) ? lax.convertElementType(x, "float64") : x);

function expectAllZero(xs: readonly NdArray[], what: string): void {
  for (const x of xs) {
    if (!isFloat(x.dtype)) continue;
    const bad = Array.from(x.toTypedArray()).findIndex((v) => v !== 0);
    expect(bad, `${what}: element ${bad} is ${x.toTypedArray()[bad]}, expected an exact zero`).toBe(-1);
  }
}

/** jvp and vjp of `f` (output cast to float64) must be exactly zero for random directions. */
function checkZero(s: Spec, finiteDifferences: boolean): void {
  const g = (...xs: NdArray[]) => lax.convertElementType(s.f(...xs), "float64");
  const args = s.args.map(asF64);
  const floats = args.filter((a) => isFloat(a.dtype));
  expect(floats.length, "a zero-derivative spec needs a float input").toBeGreaterThan(0);
  const tangents = args.map((a, i) => (isFloat(a.dtype) ? rand(a.shape, 100 + i) : lax.zerosLike(a)));
  const [, t] = jvp(g, args, tangents);
  expectAllZero([t], "jvp tangent");
  const [y, pullback] = vjp(g, ...args);
  expectAllZero(pullback(rand(y.shape, 7)), "vjp cotangent");
  if (finiteDifferences) checkGrads(g, s.args, { order: 2, modes: ["fwd", "rev"] });
}

/** Run the derivative check a spec asks for. */
export function checkSpecGrads(s: Spec): void {
  if (s.grads === "check") checkGrads(s.f, s.args, { order: 2, modes: ["fwd", "rev"], ...s.gradOpts });
  else if (s.grads === "zero") checkZero(s, true);
  else if (s.grads === "zeroByDefinition") checkZero(s, false);
}

/**
 * vmap of the jvp and of the pullback: batches every primitive the jvp and transpose rules emit
 * (selects, broadcasts, scatters, …) with the batch axis in every position.
 */
export function checkVmapOfDerivatives(s: Spec): void {
  const n = s.args.length;
  const tangents = s.args.map((a, i) => (isFloat(a.dtype) ? rand(a.shape, 500 + i) : lax.zerosLike(a)));
  checkVmap((...xs: NdArray[]) => jvp(s.f, xs.slice(0, n), xs.slice(n))[1], [...s.args, ...tangents]);
  const ct = rand(s.f(...s.args).shape, 900);
  const pulled = (...xs: NdArray[]) => {
    const [, pullback] = vjp(s.f, ...xs.slice(0, n));
    return pullback(xs[n]!).filter((c: NdArray) => isFloat(c.dtype));
  };
  checkVmap(pulled as never, [...s.args, ct]);
}

/** Register abstractEval, derivative and vmap tests for every spec. */
export function describeSpecs(specs: readonly Spec[]): void {
  describe("transformations", () => {
    for (const s of specs) {
      describe(`${s.prim}: ${s.name}`, () => {
        it("abstractEval matches impl and f binds the primitive", () => checkAbstractEval(s));
        if (s.grads !== "none") it(`grads (${s.grads})`, () => checkSpecGrads(s));
        if (s.vmap !== false) it("vmap", () => checkVmap(s.f, s.args, s.vmap || {}));
        it("jit equals eager", () => checkJit(s.f, s.args, { rtol: 0, atol: 0 }));
        if (s.vmap !== false && s.grads === "check") it("vmap of jvp and of vjp", () => checkVmapOfDerivatives(s));
      });
    }
  });
}

/** A call abstractEval must reject, the error class it must raise and words its message must contain. */
export type BadCall = [name: string, call: () => unknown, error: typeof ShapeError | typeof DTypeError, message: RegExp];

/** Register one `it` per bad call: a clear ShapeError/DTypeError, never a crash inside a kernel. */
export function describeBadCalls(calls: readonly BadCall[]): void {
  describe("abstractEval rejects bad operands and params", () => {
    for (const [name, call, error, message] of calls) {
      it(name, () => {
        expect(call).toThrow(error);
        expect(call).toThrow(message);
      });
    }
  });
}

