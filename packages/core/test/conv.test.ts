/** conv_general_dilated: kernel vs hand values and a naive loop, shape rules, errors, grads and vmap. */
import { describe, expect, test } from "vitest";
import { DTypeError, ShapeError, ShapedArray, jvp, lax, makeJaxpr, np, vjp, vmap } from "../src/index.js";
import type { NdArray } from "../src/index.js";
import type { ConvDimensionNumbers, PrimParams } from "../src/primitives.js";
import { convRules } from "../src/rules/conv.js";
import { flatAt, forEachIndex, assertAllclose, checkGrads, checkVmap, randomArray } from "../src/testing/index.js";

type ConvParams = PrimParams["conv_general_dilated"];
type Case = { name: string; lhs: number[]; rhs: number[]; p: Partial<ConvParams> };

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Full params with NC…/OI…/NC… defaults. */
function params(nd: number, p: Partial<ConvParams>): ConvParams {
  const s = nd - 2;
  const dn: ConvDimensionNumbers = { lhs: iota(nd), rhs: iota(nd), out: iota(nd) };
  return {
    windowStrides: new Array(s).fill(1), padding: new Array(s).fill([0, 0]), lhsDilation: new Array(s).fill(1),
    rhsDilation: new Array(s).fill(1), dimensionNumbers: dn, featureGroupCount: 1, batchGroupCount: 1, ...p,
  };
}

const conv = (x: NdArray, w: NdArray, p: ConvParams) => lax.convGeneralDilated(x, w, p.windowStrides, p.padding, p);



/** The textbook definition, one output element at a time, as the oracle. */
function naiveConv(x: NdArray, w: NdArray, p: ConvParams): { shape: number[]; data: Float64Array } {
  const { lhs: ls, rhs: rs, out: os } = p.dimensionNumbers;
  const xd = Float64Array.from(x.toTypedArray());
  const wd = Float64Array.from(w.toTypedArray());
  const S = ls.length - 2;
  const [N, C] = [x.shape[ls[0]!]!, x.shape[ls[1]!]!];
  const [O, I] = [w.shape[rs[0]!]!, w.shape[rs[1]!]!];
  const inSp = iota(S).map((d) => x.shape[ls[2 + d]!]!);
  const kSp = iota(S).map((d) => w.shape[rs[2 + d]!]!);
  const outSp = iota(S).map((d) => {
    const dil = (inSp[d]! - 1) * p.lhsDilation[d]! + 1 + p.padding[d]![0] + p.padding[d]![1];
    const k = (kSp[d]! - 1) * p.rhsDilation[d]! + 1;
    return Math.max(0, Math.floor((dil - k) / p.windowStrides[d]!) + 1);
  });
  const groups = p.featureGroupCount * p.batchGroupCount;
  const nOut = N / p.batchGroupCount;
  const shape = new Array<number>(S + 2);
  shape[os[0]!] = nOut;
  shape[os[1]!] = O;
  outSp.forEach((s, d) => (shape[os[2 + d]!] = s));
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  const xAt = (n: number, c: number, sp: number[]) => {
    const idx = new Array<number>(S + 2);
    idx[ls[0]!] = n;
    idx[ls[1]!] = c;
    sp.forEach((v, d) => (idx[ls[2 + d]!] = v));
    return xd[flatAt(x.shape, idx)]!;
  };
  const wAt = (o: number, i: number, sp: number[]) => {
    const idx = new Array<number>(S + 2);
    idx[rs[0]!] = o;
    idx[rs[1]!] = i;
    sp.forEach((v, d) => (idx[rs[2 + d]!] = v));
    return wd[flatAt(w.shape, idx)]!;
  };
  forEachIndex([nOut, O, ...outSp], ([n, o, ...osp]) => {
    const grp = Math.floor(o! / (O / groups));
    const nIn = p.batchGroupCount > 1 ? grp * nOut + n! : n!;
    let sum = 0;
    for (let i = 0; i < I; i++) {
      const c = p.featureGroupCount > 1 ? grp * I + i : i;
      forEachIndex(kSp, (ks) => {
        const pos = ks.map((k, d) => osp[d]! * p.windowStrides[d]! + k * p.rhsDilation[d]! - p.padding[d]![0]);
        if (pos.some((q, d) => q < 0 || q % p.lhsDilation[d]! !== 0 || q / p.lhsDilation[d]! >= inSp[d]!)) return;
        sum += xAt(nIn, c, pos.map((q, d) => q / p.lhsDilation[d]!)) * wAt(o!, i, ks);
      });
    }
    const idx = new Array<number>(S + 2);
    idx[os[0]!] = n!;
    idx[os[1]!] = o!;
    osp.forEach((v, d) => (idx[os[2 + d]!] = v));
    out[flatAt(shape, idx)] = sum;
  });
  expect(C).toBe(I * p.featureGroupCount);
  return { shape, data: out };
}

const NHWC: ConvDimensionNumbers = { lhs: [0, 3, 1, 2], rhs: [3, 2, 0, 1], out: [0, 3, 1, 2] };

const cases: Case[] = [
  { name: "1-D", lhs: [2, 3, 9], rhs: [4, 3, 3], p: {} },
  { name: "2-D stride 2", lhs: [2, 2, 7, 6], rhs: [3, 2, 3, 2], p: { windowStrides: [2, 2] } },
  { name: "2-D SAME-style padding", lhs: [1, 2, 5, 5], rhs: [2, 2, 3, 3], p: { padding: [[1, 1], [1, 1]] } },
  { name: "2-D asymmetric and negative padding", lhs: [1, 2, 6, 7], rhs: [2, 2, 2, 3], p: { padding: [[2, -1], [-1, 1]], windowStrides: [1, 2] } },
  { name: "lhs dilation (transposed conv)", lhs: [1, 2, 4, 3], rhs: [2, 2, 3, 3], p: { lhsDilation: [2, 3], padding: [[2, 2], [1, 2]] } },
  { name: "rhs dilation (atrous)", lhs: [2, 1, 8, 7], rhs: [2, 1, 3, 2], p: { rhsDilation: [2, 3] } },
  { name: "all dilations and strides", lhs: [1, 2, 5, 6], rhs: [2, 2, 2, 3], p: { lhsDilation: [2, 1], rhsDilation: [1, 2], windowStrides: [3, 2], padding: [[1, 0], [0, 2]] } },
  { name: "feature groups", lhs: [2, 4, 5, 5], rhs: [6, 2, 3, 3], p: { featureGroupCount: 2 } },
  { name: "depthwise", lhs: [1, 3, 5, 4], rhs: [3, 1, 2, 2], p: { featureGroupCount: 3, windowStrides: [2, 1] } },
  { name: "batch groups", lhs: [4, 3, 5, 5], rhs: [4, 3, 2, 2], p: { batchGroupCount: 2 } },
  { name: "1×1 kernel", lhs: [2, 3, 4, 4], rhs: [5, 3, 1, 1], p: {} },
  { name: "NHWC / HWIO", lhs: [2, 6, 5, 3], rhs: [3, 2, 3, 4], p: { dimensionNumbers: NHWC, windowStrides: [2, 1], padding: [[1, 1], [0, 1]] } },
  { name: "3-D", lhs: [1, 2, 4, 5, 3], rhs: [2, 2, 2, 3, 2], p: { padding: [[0, 1], [1, 0], [0, 0]] } },
  { name: "kernel larger than input (empty output)", lhs: [1, 1, 2], rhs: [1, 1, 4], p: {} },
];

describe("conv_general_dilated impl", () => {
  test("1-D by hand", () => {
    const x = np.array([[[1, 2, 3, 4, 5]]]);
    const w = np.array([[[1, 0, -1]]]);
    expect(lax.convGeneralDilated(x, w, [1], [[0, 0]]).toArray()).toEqual([[[-2, -2, -2]]]);
    expect(lax.convGeneralDilated(x, w, [2], [[1, 1]]).toArray()).toEqual([[[-2, -2, 4]]]);
  });

  test("2-D by hand, with strides, dilation and groups", () => {
    const x = np.array([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = np.array([[[[1, 2], [3, 4]]]]);
    expect(lax.convGeneralDilated(x, w, [1, 1], [[0, 0], [0, 0]]).toArray()).toEqual([[[[37, 47], [67, 77]]]]);
    // rhs dilation 2 makes the 2×2 kernel touch the corners of the 3×3 input.
    expect(lax.convGeneralDilated(x, w, [1, 1], [[0, 0], [0, 0]], { rhsDilation: [2, 2] }).toArray()).toEqual([[[[1 + 6 + 21 + 36]]]]);
    // lhs dilation 2 with a 1×1 kernel spreads the input out with zeros between.
    const one = np.array([[[[2]]]]);
    const spread = lax.convGeneralDilated(np.array([[[[1, 2], [3, 4]]]]), one, [1, 1], [[0, 0], [0, 0]], { lhsDilation: [2, 2] });
    expect(spread.toArray()).toEqual([[[[2, 0, 4], [0, 0, 0], [6, 0, 8]]]]);
    // Two channels, two groups: each output channel sees only its own input channel.
    const x2 = np.array([[[[1, 2]], [[10, 20]]]]);
    const w2 = np.array([[[[1, 1]]], [[[1, -1]]]]);
    expect(lax.convGeneralDilated(x2, w2, [1, 1], [[0, 0], [0, 0]], { featureGroupCount: 2 }).toArray()).toEqual([[[[3]], [[-10]]]]);
  });

  for (const [k, c] of cases.entries()) {
    test(`${c.name} matches a naive loop`, () => {
      const p = params(c.lhs.length, c.p);
      const x = randomArray(c.lhs, 10 + k);
      const w = randomArray(c.rhs, 100 + k);
      const want = naiveConv(x, w, p);
      const [aval] = convRules.abstractEval([x.aval, w.aval], p);
      expect([...aval!.shape]).toEqual(want.shape);
      const y = conv(x, w, p);
      expect([...y.shape]).toEqual(want.shape);
      assertAllclose(y, want.data, { rtol: 1e-12, atol: 1e-12 });
      // float32 runs the same kernel (accumulating in float64) and rounds once at the end.
      const y32 = conv(x.astype("float32"), w.astype("float32"), p);
      expect(y32.dtype).toBe("float32");
      assertAllclose(y32, want.data, { rtol: 1e-5, atol: 1e-5 });
    });
  }

  test("int32 convolution is exact", () => {
    const x = np.array([[[1, -2, 3, 4]]], { dtype: "int32" });
    const w = np.array([[[2, 3]]], { dtype: "int32" });
    const y = lax.convGeneralDilated(x, w, [1], [[0, 0]]);
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual([[[-4, 5, 18]]]);
  });

  test("staged shape matches the evaluated shape", () => {
    const p = params(4, { windowStrides: [2, 1], padding: [[1, 2], [0, 1]], rhsDilation: [1, 2] });
    const f = (x: NdArray, w: NdArray) => conv(x, w, p);
    const x = randomArray([2, 3, 9, 8], 1);
    const w = randomArray([4, 3, 3, 2], 2);
    const staged = makeJaxpr(f)(x, w);
    expect(String(staged)).toContain("conv_general_dilated");
    expect([...staged.outAvals[0]!.shape]).toEqual([2, 4, 5, 7]);
    expect([...f(x, w).shape]).toEqual([2, 4, 5, 7]);
  });
});

describe("conv_general_dilated errors", () => {
  const x = np.zeros([8, 3, 28, 28]);
  const p4 = params(4, {});
  const shapeOf = (s: number[]) => new ShapedArray(s, "float32");
  test("channel mismatch names the shapes and the fix", () => {
    expect(() => conv(x, np.zeros([8, 1, 3, 3]), { ...p4, featureGroupCount: 4 })).toThrow(ShapeError);
    expect(() => conv(x, np.zeros([8, 1, 3, 3]), { ...p4, featureGroupCount: 4 })).toThrow(
      "conv: input channels 3 of f32[8,3,28,28] must equal kernel in-channels × featureGroupCount (1×4)",
    );
    expect(() => conv(x, np.zeros([8, 2, 3, 3]), p4)).toThrow(/input channels 3 .* \(2×1\)/);
  });
  test("dtype mismatch", () => {
    expect(() => conv(x, np.zeros([8, 3, 3, 3], { dtype: "float64" }), p4)).toThrow(DTypeError);
    expect(() => conv(x.astype("bool"), np.zeros([8, 3, 3, 3], { dtype: "bool" }), p4)).toThrow(DTypeError);
  });
  test("rank, dimension numbers, window params, groups, padding", () => {
    const ev = (l: number[], r: number[], p: ConvParams) => convRules.abstractEval([shapeOf(l), shapeOf(r)], p);
    expect(() => ev([8, 3, 28], [8, 3, 3, 3], p4)).toThrow(/same rank/);
    expect(() => ev([8, 3, 28, 28], [8, 3, 3, 3], { ...p4, dimensionNumbers: { lhs: [0, 1, 2, 2], rhs: [0, 1, 2, 3], out: [0, 1, 2, 3] } })).toThrow(/permutation/);
    expect(() => ev([8, 3, 28, 28], [8, 3, 3, 3], { ...p4, windowStrides: [1] })).toThrow(/windowStrides \[1\] must hold 2 positive integers/);
    expect(() => ev([8, 3, 28, 28], [8, 3, 3, 3], { ...p4, rhsDilation: [0, 1] })).toThrow(/rhsDilation/);
    expect(() => ev([8, 3, 28, 28], [8, 3, 3, 3], { ...p4, padding: [[0, 0]] })).toThrow(/padding/);
    expect(() => ev([8, 3, 28, 28], [8, 3, 3, 3], { ...p4, padding: [[-20, -10], [0, 0]] })).toThrow(/removes more than/);
    expect(() => ev([8, 4, 28, 28], [6, 2, 3, 3], { ...p4, featureGroupCount: 2, batchGroupCount: 2 })).toThrow(/cannot both exceed 1/);
    expect(() => ev([8, 4, 28, 28], [5, 2, 3, 3], { ...p4, featureGroupCount: 2 })).toThrow(/out-channels 5 .* divisible by featureGroupCount 2/);
    expect(() => ev([6, 4, 28, 28], [8, 4, 3, 3], { ...p4, batchGroupCount: 4 })).toThrow(/batch size 6 .* batchGroupCount 4/);
    expect(() => ev([8, 4, 28, 28], [6, 4, 3, 3], { ...p4, batchGroupCount: 4 })).toThrow(/out-channels 6 .* batchGroupCount 4/);
  });
});

/** Small float64 cases for derivative and vmap checks (every transpose/batch path once). */
const gradCases: Case[] = [
  { name: "1-D padded", lhs: [2, 2, 5], rhs: [3, 2, 2], p: { padding: [[1, 0]] } },
  { name: "2-D stride 2 with a ragged edge", lhs: [1, 2, 5, 4], rhs: [2, 2, 2, 2], p: { windowStrides: [2, 2], padding: [[0, 0], [1, 0]] } },
  { name: "lhs and rhs dilation, negative padding", lhs: [1, 1, 3, 4], rhs: [2, 1, 2, 2], p: { lhsDilation: [2, 1], rhsDilation: [1, 2], padding: [[1, -1], [0, 1]] } },
  { name: "feature groups", lhs: [2, 4, 3, 3], rhs: [4, 2, 2, 2], p: { featureGroupCount: 2 } },
  { name: "batch groups", lhs: [4, 2, 3, 3], rhs: [4, 2, 2, 2], p: { batchGroupCount: 2 } },
  { name: "NHWC / HWIO", lhs: [2, 4, 3, 2], rhs: [2, 2, 2, 3], p: { dimensionNumbers: NHWC, windowStrides: [2, 1] } },
];

describe("conv_general_dilated derivatives", () => {
  for (const [k, c] of gradCases.entries()) {
    test(`checkGrads order 2, ${c.name}`, () => {
      const p = params(c.lhs.length, c.p);
      const x = randomArray(c.lhs, 200 + k);
      const w = randomArray(c.rhs, 300 + k);
      checkGrads((a, b) => conv(a, b, p), [x, w], { order: 2, modes: ["fwd", "rev"] });
      // A nonlinearity on top makes the second derivatives non-trivial.
      checkGrads((a, b) => np.tanh(conv(a, b, p)), [x, w], { order: 2, modes: ["fwd", "rev"] });
    });
  }

  test("transposes are exact adjoints (<ct, f(x)> = <fᵀ(ct), x>)", () => {
    for (const [k, c] of gradCases.entries()) {
      const p = params(c.lhs.length, c.p);
      const x = randomArray(c.lhs, 400 + k);
      const w = randomArray(c.rhs, 500 + k);
      const y = conv(x, w, p);
      const ct = randomArray(y.shape as number[], 600 + k);
      const [, pull] = vjp((a: NdArray, b: NdArray) => conv(a, b, p), x, w);
      const [gx, gw] = pull(ct) as NdArray[];
      const dot = (a: NdArray, b: NdArray) => np.sum(np.multiply(a, b)).item() as number;
      // conv is bilinear, so <ct, conv(x, w)> = <gx, x> = <gw, w>.
      expect(dot(gx!, x)).toBeCloseTo(dot(ct, y), 10);
      expect(dot(gw!, w)).toBeCloseTo(dot(ct, y), 10);
    }
  });

  test("jvp is bilinear in the tangents", () => {
    const p = params(4, { padding: [[1, 1], [1, 1]] });
    const x = randomArray([1, 2, 4, 4], 7);
    const w = randomArray([3, 2, 3, 3], 8);
    const [y, t] = jvp((a: NdArray, b: NdArray) => conv(a, b, p), [x, w], [np.onesLike(x), np.zerosLike(w)]) as [NdArray, NdArray];
    assertAllclose(y, conv(x, w, p));
    assertAllclose(t, conv(np.onesLike(x), w, p), { rtol: 1e-12, atol: 1e-12 });
  });
});

describe("conv_general_dilated vmap", () => {
  for (const [k, c] of gradCases.entries()) {
    test(`checkVmap, ${c.name}`, () => {
      const p = params(c.lhs.length, c.p);
      const x = randomArray(c.lhs, 700 + k);
      const w = randomArray(c.rhs, 800 + k);
      checkVmap((a, b) => conv(a, b, p), [x, w], { rtol: 1e-12, atol: 1e-12 });
    });
  }

  test("vmap of grad and grad of vmap agree with per-example gradients", () => {
    const p = params(4, { featureGroupCount: 2, windowStrides: [2, 1], padding: [[1, 0], [0, 1]] });
    const xs = randomArray([3, 1, 4, 4, 3], 11);
    const w = randomArray([4, 2, 2, 2], 12);
    const loss = (x: NdArray, b: NdArray) => np.sum(np.square(conv(x, b, p)));
    const [, pull] = vjp((b: NdArray) => vmap((x: NdArray) => loss(x, b))(xs), w);
    const perEx = vmap((x: NdArray) => (vjp((b: NdArray) => loss(x, b), w)[1](np.onesLike(loss(x, w))) as NdArray[])[0]!)(xs);
    assertAllclose((pull(np.ones([3], { dtype: "float64" })) as NdArray[])[0]!, np.sum(perEx, 0), { rtol: 1e-10, atol: 1e-10 });
  });
});
