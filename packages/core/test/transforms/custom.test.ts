import { describe, expect, it } from "vitest";
import { customJvp, customVjp, grad, jvp, makeJaxpr, np, stopGradient, vmap, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, checkVmap, randomArray } from "../../src/testing/index.js";

// log(1 + e^x) whose naive derivative overflows; the custom rule uses the sigmoid.
const softplus = customJvp(
  (x: NdArray) => np.log1p(np.exp(x)),
  ([x], [t]) => [np.log1p(np.exp(x)), t.mul(np.sigmoid(x))],
);

// A straight-through estimator: rounds forward, passes gradients through unchanged.
const roundSte = customVjp(
  (x: NdArray) => np.round(x),
  (x: NdArray) => [np.round(x), null] as [NdArray, null],
  (_res: null, ct: NdArray) => [ct] as [NdArray],
);

// A custom VJP with residuals: f(x) = x³ with the backward pass using saved x².
const cube = customVjp(
  (x: NdArray) => x.mul(x).mul(x),
  (x: NdArray) => [x.mul(x).mul(x), { x2: x.mul(x) }] as [NdArray, { x2: NdArray }],
  (res: { x2: NdArray }, ct: NdArray) => [ct.mul(res.x2).mul(3)] as [NdArray],
);

describe("customJvp", () => {
  it("uses the rule, which is stable where the naive derivative is not", () => {
    const g = grad((x: NdArray) => np.sum(softplus(x)))(np.array([0, 100, -100]));
    expect(Array.from(g.toTypedArray())).toEqual([0.5, 1, expect.closeTo(0, 30)]);
  });
  it("passes checkGrads (the rule is differentiated again for second order)", () => {
    checkGrads((x: NdArray) => softplus(x), [randomArray([4], 1)]);
  });
  it("batches and shows up in jaxprs", () => {
    checkVmap((x: NdArray) => softplus(x), [randomArray([3], 2)]);
    checkVmap((x: NdArray) => grad((y: NdArray) => np.sum(softplus(y)))(x), [randomArray([3], 3)]);
    expect(makeJaxpr(softplus)(np.zeros([2])).toString()).toContain("custom_jvp_call");
  });
});

describe("customVjp", () => {
  it("straight-through estimator passes gradients through round", () => {
    const g = grad((x: NdArray) => np.sum(roundSte(x).mul(x)))(np.array([0.4, 1.6]));
    // d/dx [round(x)·x] with round' := 1 is x + round(x).
    expect(Array.from(g.toTypedArray())).toEqual([expect.closeTo(0.4, 6), expect.closeTo(3.6, 6)]);
  });
  it("residuals reach bwd and second-order reverse works", () => {
    checkGrads((x: NdArray) => cube(x), [randomArray([3], 4)], { modes: ["rev"] });
  });
  it("vmap of grad through a customVjp", () => {
    const x = randomArray([4, 2], 5);
    const g = vmap(grad((r: NdArray) => np.sum(cube(r))))(x) as NdArray;
    assertAllclose(g, x.mul(x).mul(3), { rtol: 1e-12 });
  });
  it("forward mode is a clear error", () => {
    expect(() => jvp(cube, [np.array([1])], [np.array([1])])).toThrow(/forward-mode/);
  });
});

describe("stopGradient", () => {
  it("blocks derivatives over pytrees", () => {
    const g = grad((x: NdArray) => np.sum(stopGradient(x).mul(x)))(np.array([1, 2]));
    expect(g.toArray()).toEqual([1, 2]);
    const t = stopGradient({ a: np.array(1), b: [np.array(2)] });
    expect((t.b as NdArray[])[0]!.item()).toBe(2);
  });
});
