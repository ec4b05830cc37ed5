/** binaryCrossEntropy and softmaxCrossEntropy: PyTorch values, stability at extreme logits, fused gradient. */
import { describe, expect, test } from "vitest";
import { type NdArray, grad, jit, jvp, makeJaxpr, np, vmap } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap } from "@fluxion/core/testing";
import { binaryCrossEntropy, softmax, softmaxCrossEntropy } from "../src/index.js";
import { fx, torchCases } from "./_util.js";

const L = torchCases.losses;

describe("binaryCrossEntropy", () => {
  const [probs, t, logits] = [fx(L.probs), fx(L.binaryTargets), fx(L.logits)];
  test("matches PyTorch from probabilities and from logits", () => {
    expect(binaryCrossEntropy(probs, t).item()).toBeCloseTo(L.bce, 12);
    assertAllclose(binaryCrossEntropy(probs, t, { reduction: "none" }), fx(L.bceNone), { rtol: 1e-12 });
    expect(binaryCrossEntropy(logits, t, { fromLogits: true }).item()).toBeCloseTo(L.bceLogits, 12);
    expect(binaryCrossEntropy(np.sigmoid(logits), t).item()).toBeCloseTo(L.bceLogits, 6);
  });

  test("logits ±100 give exact, finite losses and gradients", () => {
    const x = np.array([100, -100, 100, -100], { dtype: "float32" });
    const y = np.array([1, 0, 0, 1], { dtype: "float32" });
    assertAllclose(binaryCrossEntropy(x, y, { fromLogits: true, reduction: "none" }), [0, 0, 100, 100], { atol: 1e-6 });
    const g = grad((v: typeof x) => binaryCrossEntropy(v, y, { fromLogits: true, reduction: "sum" }))(x);
    assertAllclose(g, [0, 0, 1, -1], { atol: 1e-6 });
  });

  test("probabilities of exactly 0 and 1 are clipped (finite loss and gradient); integer targets accepted", () => {
    const p = np.array([0, 1, 0.5], { dtype: "float64" });
    const y = np.array([1, 0, 1], { dtype: "int32" });
    const v = binaryCrossEntropy(p, y, { reduction: "none" }).toArray() as number[];
    expect(v[0]).toBeCloseTo(-Math.log(1e-7), 6);
    expect(v[2]).toBeCloseTo(Math.log(2), 12);
    expect((grad((q: typeof p) => binaryCrossEntropy(q, y))(p).toArray() as number[]).every(Number.isFinite)).toBe(true);
  });

  test("checkGrads, checkVmap, checkJit (both forms)", () => {
    checkGrads((q: typeof probs) => binaryCrossEntropy(q, t), [probs], { order: 2 });
    checkGrads((q: typeof logits, tt: typeof t) => binaryCrossEntropy(q, tt, { fromLogits: true }), [logits, t], { order: 2 });
    checkVmap((q: typeof logits) => binaryCrossEntropy(q, t, { fromLogits: true, reduction: "none" }), [logits]);
    checkJit((q: typeof probs) => binaryCrossEntropy(q, t), [probs]);
  });
});

describe("softmaxCrossEntropy", () => {
  const x = fx(L.classLogits);
  const labels = np.array(L.labels, { dtype: "int32" });
  const soft = fx(L.softTargets);

  test("matches PyTorch with integer labels, per example, and with soft targets", () => {
    expect(softmaxCrossEntropy(x, labels).item()).toBeCloseTo(L.ce, 12);
    assertAllclose(softmaxCrossEntropy(x, labels, { reduction: "none" }), fx(L.ceNone), { rtol: 1e-12 });
    expect(softmaxCrossEntropy(x, soft).item()).toBeCloseTo(L.ceSoft, 12);
    expect(softmaxCrossEntropy(x, np.oneHot(labels, 4, { dtype: "float64" })).item()).toBeCloseTo(L.ce, 12);
  });

  test("gradient is softmax − onehot (PyTorch's value), summed over the batch", () => {
    const g = grad((v: typeof x) => softmaxCrossEntropy(v, labels, { reduction: "sum" }))(x);
    assertAllclose(g, fx(L.ceGrad), { rtol: 1e-12, atol: 1e-14 });
    assertAllclose(g, np.subtract(softmax(x), np.oneHot(labels, 4, { dtype: "float64" })), { rtol: 1e-12, atol: 1e-14 });
  });

  test("stable for logits ±1000: exact loss, finite gradient", () => {
    const big = np.array([[1000, -1000, 0], [-1000, 1000, 1000]], { dtype: "float32" });
    const y = np.array([0, 0], { dtype: "int32" });
    assertAllclose(softmaxCrossEntropy(big, y, { reduction: "none" }), [0, 2000 + Math.log(2)], { rtol: 1e-6 });
    const g = grad((v: typeof big) => softmaxCrossEntropy(v, y, { reduction: "sum" }))(big);
    assertAllclose(g, [0, 0, 0, -1, 0.5, 0.5], { atol: 1e-6 });
  });

  test("class axis option (PyTorch's [N, C, ...] layout)", () => {
    const x3 = np.transpose(np.reshape(x, [1, 5, 4]), [0, 2, 1]); // [1, C=4, 5]
    const l3 = np.reshape(labels, [1, 5]);
    assertAllclose(softmaxCrossEntropy(x3, l3, { axis: 1, reduction: "none" }), np.reshape(fx(L.ceNone), [1, 5]), { rtol: 1e-12 });
  });

  test("derivatives of every order through the custom JVP; jvp in the targets; vmap; jit", () => {
    checkGrads((v: typeof x) => softmaxCrossEntropy(v, labels), [x], { order: 2 });
    checkGrads((v: typeof x, t: typeof soft) => softmaxCrossEntropy(v, t), [x, soft], { order: 2 });
    const [, dt] = jvp((t: typeof soft) => softmaxCrossEntropy(x, t, { reduction: "sum" }), [soft], [np.onesLike(soft)]);
    assertAllclose(dt, np.negative(np.sum(np.subtract(x, np.log(np.sum(np.exp(x), -1, { keepdims: true }))))), { rtol: 1e-12 });
    checkVmap((v: typeof x, l: typeof labels) => softmaxCrossEntropy(v, l, { reduction: "none" }), [x, labels]);
    checkJit((v: typeof x, l: typeof labels) => softmaxCrossEntropy(v, l), [x, labels]);
    // Per-example gradients with vmap(grad) under jit.
    const perEx = jit(vmap(grad((v: NdArray, l: NdArray) => softmaxCrossEntropy(v, l))));
    assertAllclose(perEx(x, labels), fx(L.ceGrad), { rtol: 1e-12, atol: 1e-14 });
    expect(String(makeJaxpr((v: typeof x) => softmaxCrossEntropy(v, labels))(x))).toContain("custom_jvp");
  });

  test("errors: label shape, out-of-range labels, float targets of the wrong shape", () => {
    expect(() => softmaxCrossEntropy(x, np.array([0, 1], { dtype: "int32" }))).toThrow(/integer labels .* without the class axis/);
    expect(() => softmaxCrossEntropy(x, np.array([0, 1, 2, 3, 4], { dtype: "int32" }))).toThrow(/label 4 at flat index 4 is outside \[0, 4\)/);
    expect(() => softmaxCrossEntropy(x, np.ones([5, 3], { dtype: "float64" }))).toThrow(/float targets/);
  });
});
