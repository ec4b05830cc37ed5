/** convTranspose2d: PyTorch fixtures, the transpose-of-conv identity, shapes, errors, transformations. */
import { describe, expect, test } from "vitest";
import { np, random, vjp } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { conv2d, convTranspose1d, convTranspose2d } from "../src/index.js";
import { fx, named, torchCases } from "./_util.js";

type TorchOpts = { stride?: number | number[]; padding?: number | number[]; output_padding?: number | number[]; dilation?: number | number[]; groups?: number };

describe("convTranspose2d", () => {
  test.each(named(torchCases.convTranspose2d))("matches PyTorch: %s", (_name, c) => {
    const o = c.opts as TorchOpts;
    const w = fx(c.w);
    const groups = o.groups ?? 1;
    const layer = convTranspose2d(w.shape[1]! * groups, [w.shape[2]!, w.shape[3]!], {
      ...(o.stride !== undefined ? { strides: o.stride } : {}),
      ...(o.padding !== undefined ? { padding: o.padding } : {}),
      ...(o.output_padding !== undefined ? { outputPadding: o.output_padding } : {}),
      ...(o.dilation !== undefined ? { dilation: o.dilation } : {}),
      groups,
    });
    const x = fx(c.x);
    assertAllclose(layer.apply({ w, b: fx(c.b) }, x), fx(c.y), { rtol: 1e-10, atol: 1e-12 });
    expect(layer.outputShape(x.shape)).toEqual(c.y.shape);
  });

  test("is the transpose of conv2d with the same kernel, stride, padding and dilation", () => {
    for (const [i, cfg] of [
      { s: 2, p: 1, d: 1, k: 3, g: 1, inH: 9 },
      { s: 3, p: 0, d: 2, k: 2, g: 2, inH: 11 },
      { s: 1, p: 2, d: 1, k: 5, g: 1, inH: 6 },
    ].entries()) {
      // A conv with Cin→Cout maps x[1, Cin, H, H] to y; its transpose maps y back to x's shape.
      const [cin, cout] = [2 * cfg.g, 3 * cfg.g];
      const kConv = randomArray([cout, cin / cfg.g, cfg.k, cfg.k], 40 + i); // OIHW of the forward conv
      const fwd = conv2d(cout, cfg.k, { strides: cfg.s, padding: cfg.p, dilation: cfg.d, groups: cfg.g });
      const x = randomArray([1, cin, cfg.inH, cfg.inH], 50 + i);
      const [y, pullback] = vjp((xx: typeof x) => fwd.apply({ w: kConv }, xx), x);
      const ct = randomArray(y.shape, 60 + i);
      const [want] = pullback(ct);
      // The transposed layer's kernel layout [in = cout, out/groups = cin/g, k, k] is the forward OIHW kernel as it is.
      const wT = kConv;
      const outPad = cfg.inH - ((y.shape[2]! - 1) * cfg.s - 2 * cfg.p + cfg.d * (cfg.k - 1) + 1);
      const tl = convTranspose2d(cin, cfg.k, { strides: cfg.s, padding: cfg.p, dilation: cfg.d, groups: cfg.g, outputPadding: outPad });
      assertAllclose(tl.apply({ w: wT }, ct), want, { rtol: 1e-11, atol: 1e-12 }, `config ${i}`);
    }
  });

  test("SAME gives in·stride and is the transpose of a SAME conv; VALID gives (in − 1)·s + k", () => {
    const k = randomArray([3, 2, 3, 3], 1);
    const fwd = conv2d(3, 3, { strides: 2, padding: "SAME" });
    const x = randomArray([1, 2, 8, 8], 2);
    const [y, pullback] = vjp((xx: typeof x) => fwd.apply({ w: k }, xx), x);
    const ct = randomArray(y.shape, 3);
    const tl = convTranspose2d(2, 3, { strides: 2, padding: "SAME" });
    assertAllclose(tl.apply({ w: k }, ct), pullback(ct)[0], { rtol: 1e-11, atol: 1e-12 });
    expect(tl.outputShape([1, 3, 4, 4])).toEqual([1, 2, 8, 8]);
    expect(convTranspose2d(2, 2, { strides: 3, padding: "SAME" }).outputShape([1, 3, 4, 5])).toEqual([1, 2, 12, 15]);
    expect(convTranspose2d(2, 3, { strides: 2 }).outputShape([1, 3, 4, 4])).toEqual([1, 2, 9, 9]);
    const small = convTranspose2d(2, 2, { strides: 3, padding: "SAME" });
    expect(small.apply({ w: randomArray([3, 2, 2, 2], 4) }, randomArray([1, 3, 4, 5], 5)).shape).toEqual([1, 2, 12, 15]);
  });

  test("channelsLast and single examples agree with the default layout", () => {
    const w = randomArray([3, 2, 3, 3], 1);
    const x = randomArray([2, 3, 4, 4], 2);
    const layer = convTranspose2d(2, 3, { strides: 2, padding: 1, outputPadding: 1 });
    const y = layer.apply({ w }, x);
    const yl = convTranspose2d(2, 3, { strides: 2, padding: 1, outputPadding: 1, channelsLast: true }).apply({ w }, np.transpose(x, [0, 2, 3, 1]));
    assertAllclose(np.transpose(yl, [0, 3, 1, 2]), y, { rtol: 1e-12, atol: 1e-12 });
    assertAllclose(layer.apply({ w }, np.index(x, 1)), np.index(y, 1), { rtol: 1e-12, atol: 1e-12 });
    expect(y.shape).toEqual([2, 2, 8, 8]);
  });

  test("init: kernel [in, out/groups, kh, kw]; errors", () => {
    const p = convTranspose2d(6, [2, 3], { groups: 3, dtype: "float64" }).init(random.key(0), [1, 9, 4, 4]);
    expect(p.w.shape).toEqual([9, 2, 2, 3]);
    expect(p.b!.shape).toEqual([6]);
    expect(() => convTranspose2d(2, 3, { strides: 2, outputPadding: 2 })).toThrow(/outputPadding 2 must be smaller/);
    expect(() => convTranspose2d(2, 3).apply({ w: randomArray([3, 2, 3, 3], 1) }, randomArray([1, 4, 3, 3], 2))).toThrow(/has 4 channels/);
  });

  test("checkGrads (order 2), checkVmap, checkJit", () => {
    const layer = convTranspose2d(2, 2, { strides: 2, padding: [[1, 0], [0, 0]], groups: 1 });
    const x = randomArray([1, 2, 3, 3], 1);
    const w = randomArray([2, 2, 2, 2], 2);
    const b = randomArray([2], 3);
    const f = (xx: typeof x, ww: typeof w, bb: typeof b) => layer.apply({ w: ww, b: bb }, xx);
    checkGrads(f, [x, w, b], { order: 2 });
    checkVmap(f, [x, w, b]);
    checkJit(f, [x, w, b]);
  });
});

describe("convTranspose1d", () => {
  test("is the transpose of conv1d", () => {
    const w = randomArray([4, 3, 3], 1);
    const x = randomArray([2, 3, 10], 2);
    const fwdLayer = { strides: 2, padding: 1 };
    const [y, pullback] = vjp((xx: typeof x) => np.conv(xx, w, { strides: [2], padding: [[1, 1]] }), x);
    const ct = randomArray(y.shape, 3);
    const t = convTranspose1d(3, 3, { ...fwdLayer, outputPadding: 1 });
    assertAllclose(t.apply({ w }, ct), pullback(ct)[0], { rtol: 1e-11, atol: 1e-12 });
  });
});
