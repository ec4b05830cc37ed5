/** conv1d / conv2d: PyTorch fixtures, a naive loop, layouts, shapes, errors, and transformations. */
import { describe, expect, test } from "vitest";
import { ShapeError, np, random } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { conv1d, conv2d, initializers } from "../src/index.js";
import { fx, naiveConv2d, named, torchCases } from "./_util.js";

type TorchConvOpts = { stride?: number | number[]; padding?: number | number[] | "same"; dilation?: number | number[]; groups?: number };

/** PyTorch's options in Fluxion's vocabulary. */
function fromTorch(o: TorchConvOpts) {
  return {
    ...(o.stride !== undefined ? { strides: o.stride } : {}),
    ...(o.padding !== undefined ? { padding: o.padding === "same" ? ("SAME" as const) : o.padding } : {}),
    ...(o.dilation !== undefined ? { dilation: o.dilation } : {}),
    ...(o.groups !== undefined ? { groups: o.groups } : {}),
  };
}

describe("conv2d", () => {
  test.each(named(torchCases.conv2d))("matches PyTorch: %s", (_name, c) => {
    const w = fx(c.w);
    const layer = conv2d(w.shape[0]!, [w.shape[2]!, w.shape[3]!], fromTorch(c.opts));
    const x = fx(c.x);
    const y = layer.apply({ w, b: fx(c.b) }, x);
    assertAllclose(y, fx(c.y), { rtol: 1e-10, atol: 1e-12 });
    expect(layer.outputShape(x.shape)).toEqual(c.y.shape);
  });

  test("matches the naive loop on awkward configurations, with and without bias", () => {
    const configs = [
      { k: [3, 2], s: [2, 1], pad: [[1, 2], [0, 1]], dil: [1, 2], g: 1, cin: 3, cout: 2 },
      { k: [1, 1], s: [1, 1], pad: [[0, 0], [0, 0]], dil: [1, 1], g: 1, cin: 5, cout: 3 },
      { k: [2, 2], s: [3, 3], pad: [[0, 0], [2, 0]], dil: [2, 1], g: 2, cin: 4, cout: 2 },
    ] as const;
    configs.forEach((cf, i) => {
      const x = randomArray([2, cf.cin, 6, 7], 10 + i);
      const w = randomArray([cf.cout, cf.cin / cf.g, cf.k[0], cf.k[1]], 20 + i);
      const b = randomArray([cf.cout], 30 + i);
      const opts = { strides: cf.s, padding: cf.pad, dilation: cf.dil, groups: cf.g };
      const o = { stride: [...cf.s] as [number, number], pad: cf.pad.map((p) => [...p]) as [[number, number], [number, number]], dil: [...cf.dil] as [number, number], groups: cf.g };
      assertAllclose(conv2d(cf.cout, cf.k, opts).apply({ w, b }, x), naiveConv2d(x, w, b, o), { rtol: 1e-12, atol: 1e-12 }, `config ${i}`);
      assertAllclose(conv2d(cf.cout, cf.k, { ...opts, useBias: false }).apply({ w }, x), naiveConv2d(x, w, null, o), { rtol: 1e-12, atol: 1e-12 }, `config ${i} no bias`);
    });
  });

  test("a 1×1 convolution is a per-pixel matrix product over channels", () => {
    const x = randomArray([2, 4, 3, 5], 1);
    const w = randomArray([6, 4, 1, 1], 2);
    const y = conv2d(6, 1).apply({ w }, x);
    const viaMatmul = np.einsum("oc,nchw->nohw", np.reshape(w, [6, 4]), x);
    assertAllclose(y, viaMatmul, { rtol: 1e-12, atol: 1e-12 });
  });

  test("channelsLast equals channels-first on transposed data (kernel stays OIHW)", () => {
    const x = randomArray([2, 3, 6, 5], 3);
    const w = randomArray([4, 3, 3, 3], 4);
    const b = randomArray([4], 5);
    const first = conv2d(4, 3, { strides: 2, padding: "SAME" }).apply({ w, b }, x);
    const lastLayer = conv2d(4, 3, { strides: 2, padding: "SAME", channelsLast: true });
    const xl = np.transpose(x, [0, 2, 3, 1]);
    const last = lastLayer.apply({ w, b }, xl);
    assertAllclose(np.transpose(last, [0, 3, 1, 2]), first, { rtol: 1e-12, atol: 1e-12 });
    expect(lastLayer.outputShape(xl.shape)).toEqual(last.shape);
  });

  test("a single example (no batch axis) gives the batched result's row", () => {
    const x = randomArray([2, 3, 5, 5], 6);
    const w = randomArray([2, 3, 3, 3], 7);
    const layer = conv2d(2, 3, { padding: 1 });
    const batched = layer.apply({ w }, x);
    assertAllclose(layer.apply({ w }, np.index(x, 1)), np.index(batched, 1), { rtol: 1e-12, atol: 1e-12 });
    expect(layer.outputShape([3, 5, 5])).toEqual([2, 5, 5]);
  });

  test("SAME keeps ⌈in/stride⌉ and VALID shrinks by the dilated kernel", () => {
    expect(conv2d(8, 3, { padding: "SAME", strides: 2 }).outputShape([1, 3, 28, 27])).toEqual([1, 8, 14, 14]);
    expect(conv2d(8, 5, { dilation: 2 }).outputShape([1, 3, 28, 28])).toEqual([1, 8, 20, 20]);
    expect(conv2d(8, [3, 1]).outputShape([1, 3, 10, 10])).toEqual([1, 8, 8, 10]);
  });

  test("errors name the layer and the problem", () => {
    const w = randomArray([2, 3, 3, 3], 1);
    expect(() => conv2d(2, 3).apply({ w }, randomArray([1, 4, 5, 5], 2))).toThrow(/conv2d: input .* has 4 channels .* expects 3/);
    expect(() => conv2d(2, 3).apply({ w }, randomArray([5, 5], 2))).toThrow(ShapeError);
    expect(() => conv2d(3, 3, { groups: 2 })).toThrow(/divisible by groups/);
    expect(() => conv2d(2, [3, 3, 3] as unknown as [number, number])).toThrow(/kernelSize needs 2/);
    expect(() => conv2d(2, 3, { strides: 0 })).toThrow(/strides must be integer/);
    expect(() => conv2d(2, 3).init(random.key(0))).toThrow(/cannot infer inChannels/);
    expect(() => conv2d(2, 3, { groups: 2 }).init(random.key(0), [1, 3, 5, 5])).toThrow(/inChannels 3 must be divisible by groups 2/);
  });

  test("init: OIHW kernel [out, in/groups, kh, kw], zero bias, fans = channels × receptive field", () => {
    const layer = conv2d(16, [3, 5], { groups: 2, dtype: "float64" });
    const p = layer.init(random.key(1), [7, 4, 9, 9]);
    expect(p.w.shape).toEqual([16, 2, 3, 5]);
    expect(p.w.dtype).toBe("float64");
    expect(p.b!.toArray()).toEqual(new Array(16).fill(0));
    expect(initializers.computeFans(p.w.shape, { inAxis: 1, outAxis: 0 })).toEqual([2 * 15, 16 * 15]);
    // The same key and kernel initialiser called directly give the same kernel.
    expect(conv2d(16, [3, 5], { groups: 2, inChannels: 4, useBias: false }).init(random.key(1)).b).toBeUndefined();
  });

  test("checkGrads (order 2) with respect to input, kernel and bias; checkVmap; checkJit", () => {
    const layer = conv2d(2, 2, { strides: [2, 1], padding: [[1, 0], [0, 1]], dilation: [1, 2] });
    const x = randomArray([1, 2, 4, 5], 1);
    const w = randomArray([2, 2, 2, 2], 2);
    const b = randomArray([2], 3);
    const f = (xx: typeof x, ww: typeof w, bb: typeof b) => layer.apply({ w: ww, b: bb }, xx);
    checkGrads(f, [x, w, b], { order: 2 });
    checkVmap(f, [x, w, b]);
    checkJit(f, [x, w, b]);
    // Per-example vmap over unbatched inputs.
    const g = (xx: typeof x) => layer.apply({ w, b }, xx);
    checkVmap(g, [np.index(x, 0)]);
  });
});

describe("conv1d", () => {
  test.each(named(torchCases.conv1d))("matches PyTorch: %s", (_name, c) => {
    const w = fx(c.w);
    const layer = conv1d(w.shape[0]!, w.shape[2]!, fromTorch(c.opts));
    const x = fx(c.x);
    assertAllclose(layer.apply({ w, b: fx(c.b) }, x), fx(c.y), { rtol: 1e-10, atol: 1e-12 });
    expect(layer.outputShape(x.shape)).toEqual(c.y.shape);
  });

  test("channelsLast, single examples, grads and vmap", () => {
    const x = randomArray([2, 3, 9], 1);
    const w = randomArray([4, 3, 3], 2);
    const b = randomArray([4], 3);
    const first = conv1d(4, 3, { strides: 2, padding: "SAME" }).apply({ w, b }, x);
    const last = conv1d(4, 3, { strides: 2, padding: "SAME", channelsLast: true }).apply({ w, b }, np.transpose(x, [0, 2, 1]));
    assertAllclose(np.transpose(last, [0, 2, 1]), first, { rtol: 1e-12, atol: 1e-12 });
    const layer = conv1d(4, 3, { dilation: 2 });
    const f = (xx: typeof x, ww: typeof w) => layer.apply({ w: ww }, xx);
    checkGrads(f, [x, w], { order: 2 });
    checkVmap(f, [x, w]);
    checkJit(f, [x, w]);
  });

  test("init uses the receptive field in the fans (variance 1/(in·k) for LeCun)", () => {
    const p = conv1d(64, 5, { kernelInit: initializers.lecunNormal(), dtype: "float64" }).init(random.key(3), [2, 40, 20]);
    expect(p.w.shape).toEqual([64, 40, 5]);
    const v = np.variance(p.w).item() as number;
    expect(Math.abs(v * 200 - 1)).toBeLessThan(0.08);
  });
});
