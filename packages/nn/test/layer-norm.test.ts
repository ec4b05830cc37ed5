/** layerNorm: PyTorch fixtures, statistics, options, transformations. */
import { describe, expect, test } from "vitest";
import { np, random } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { layerNorm } from "../src/index.js";
import { fx, named, torchCases } from "./_util.js";

describe("layerNorm", () => {
  test.each(named(torchCases.layerNorm))("matches PyTorch: %s", (_name, c) => {
    const layer = layerNorm({ axes: c.axes });
    assertAllclose(layer.apply({ gamma: fx(c.gamma), beta: fx(c.beta) }, fx(c.x)), fx(c.y), { rtol: 1e-10, atol: 1e-12 });
  });

  test("each example is normalised on its own (zero mean, unit variance) with init γ = 1, β = 0", () => {
    const x = np.add(np.multiply(randomArray([3, 2, 8], 1), 4), 3);
    const layer = layerNorm({ axes: 2, eps: 1e-12 });
    const p = layer.init(random.key(0), x.shape);
    expect(p.gamma!.shape).toEqual([2, 8]);
    const y = layer.apply(p, x);
    assertAllclose(np.mean(y, [1, 2]), [0, 0, 0], { atol: 1e-6 });
    assertAllclose(np.variance(y, [1, 2]), [1, 1, 1], { rtol: 1e-5 });
    expect(layerNorm({ affine: false }).init(random.key(0), [2, 3])).toEqual({});
    expect(() => layerNorm().init(random.key(0))).toThrow(/cannot infer featureShape/);
    expect(() => layerNorm({ featureShape: [4] }).init(random.key(0), [2, 5])).toThrow(/differs/);
  });

  test("checkGrads (order 2), checkVmap, checkJit", () => {
    const x = randomArray([2, 5], 2);
    const g = randomArray([5], 3);
    const b = randomArray([5], 4);
    const f = (xx: typeof x, gg: typeof g, bb: typeof b) => layerNorm().apply({ gamma: gg, beta: bb }, xx);
    checkGrads(f, [x, g, b], { order: 2 });
    checkVmap(f, [x, g, b]);
    checkJit(f, [x, g, b]);
  });
});
