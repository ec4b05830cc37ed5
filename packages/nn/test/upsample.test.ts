/** upsample: nearest and bilinear against PyTorch's interpolate, shapes, gradients. */
import { describe, expect, test } from "vitest";
import { np } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { upsample } from "../src/index.js";
import { fx, named, torchCases } from "./_util.js";

describe("upsample", () => {
  test.each(named(torchCases.upsample))("matches PyTorch: %s", (_name, c) => {
    const o = c.opts as { scale_factor: number | number[]; mode: string; align_corners?: boolean };
    const layer = upsample(o.scale_factor, { mode: o.mode === "nearest" ? "nearest" : "bilinear", alignCorners: o.align_corners ?? false });
    const x = fx(c.x);
    assertAllclose(layer.apply({}, x), fx(c.y), { rtol: 1e-12, atol: 1e-14 });
    expect(layer.outputShape(x.shape)).toEqual(c.y.shape);
  });

  test("nearest repeats each pixel S×S (seed 001)", () => {
    const x = np.array([[[[1, 2], [3, 4]]]]);
    expect(upsample(2).apply({}, x).toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
  });

  test("channelsLast, single examples; grads, vmap, jit", () => {
    const x = randomArray([2, 3, 4, 3], 1);
    const y = upsample([2, 3], { mode: "bilinear" }).apply({}, x);
    const yl = upsample([2, 3], { mode: "bilinear", channelsLast: true }).apply({}, np.transpose(x, [0, 2, 3, 1]));
    assertAllclose(np.transpose(yl, [0, 3, 1, 2]), y, { rtol: 1e-12, atol: 1e-12 });
    assertAllclose(upsample([2, 3], { mode: "bilinear" }).apply({}, np.index(x, 0)), np.index(y, 0), { rtol: 1e-12, atol: 1e-12 });
    for (const mode of ["nearest", "bilinear"] as const) {
      const f = (v: typeof x) => upsample(2, { mode }).apply({}, v);
      checkGrads(f, [x], { order: 2 });
      checkVmap(f, [x]);
      checkJit(f, [x]);
    }
  });

  test("errors", () => {
    expect(() => upsample(1.5)).toThrow(/integers ≥ 1/);
    expect(() => upsample(2).apply({}, randomArray([3, 3], 1))).toThrow(/needs a channel axis/);
  });
});
