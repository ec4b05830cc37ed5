/** Activations: values against PyTorch, derivative conventions, stability, and transformations. */
import { describe, expect, test } from "vitest";
import { grad, np, vmap } from "@fluxion/core";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "@fluxion/core/testing";
import { SELU_ALPHA, SELU_SCALE, elu, gelu, identity, leakyRelu, logSoftmax, prelu, relu, selu, sigmoid, softmax, softplus, tanh } from "../src/index.js";
import { fx, torchCases } from "./_util.js";

const A = torchCases.activations;
const x = fx(A.x);

describe("values match PyTorch", () => {
  const cases: [string, (v: typeof x) => typeof x][] = [
    ["relu", relu],
    ["leakyRelu", (v) => leakyRelu(v)],
    ["elu", (v) => elu(v)],
    ["selu", selu],
    ["softplus", softplus],
    ["sigmoid", sigmoid],
    ["tanh", tanh],
    ["geluExact", (v) => gelu(v)],
    ["geluTanh", (v) => gelu(v, { approximate: true })],
    ["prelu", (v) => prelu(v, 0.25)],
  ];
  test.each(cases)("%s", (name, f) => assertAllclose(f(x), fx(A[name]), { rtol: 1e-12, atol: 1e-12 }, name));

  test("softmax and logSoftmax along the last axis and along axis 0", () => {
    const S = torchCases.softmax;
    assertAllclose(softmax(fx(S.x)), fx(S.softmax), { rtol: 1e-12, atol: 1e-14 });
    assertAllclose(logSoftmax(fx(S.x)), fx(S.logSoftmax), { rtol: 1e-12, atol: 1e-12 });
    assertAllclose(softmax(fx(S.x), 0), fx(S.softmax0), { rtol: 1e-12, atol: 1e-14 });
  });

  test("identity returns its input; SELU constants are Klambauer's", () => {
    assertAllclose(identity(x), x);
    expect(SELU_ALPHA).toBeCloseTo(1.6732632423543772, 15);
    expect(SELU_SCALE).toBeCloseTo(1.0507009873554805, 15);
  });
});

describe("derivative conventions", () => {
  const at = (f: (v: ReturnType<typeof np.array>) => ReturnType<typeof np.array>, v: number) => grad((z: ReturnType<typeof np.array>) => np.sum(f(z)))(np.array([v], { dtype: "float64" })).toArray() as number[];
  test("ReLU′(0) = 0, ReLU′ = 1 for x > 0 (DESIGN §5)", () => {
    expect(at(relu, 0)).toEqual([0]);
    expect(at(relu, 2)).toEqual([1]);
    expect(at(relu, -2)).toEqual([0]);
    expect(at((v) => relu(v, { derivativeAtZero: 1 }), 0)).toEqual([1]);
  });
  test("leaky ReLU: slope α below and at 0, 1 above", () => {
    expect(at((v) => leakyRelu(v), 0)[0]).toBeCloseTo(0.01, 15);
    expect(at((v) => leakyRelu(v, 0.2), -1)[0]).toBeCloseTo(0.2, 15);
    expect(at((v) => leakyRelu(v), 1)).toEqual([1]);
  });
  test("ELU′ = ELU + α for x < 0 (seed 004) and 1 above", () => {
    const v = -0.7;
    expect(at((z) => elu(z), v)[0]).toBeCloseTo(Math.expm1(v) + 1, 12);
    expect(at((z) => elu(z), 3)).toEqual([1]);
  });
  test("sigmoid′ = σ(1 − σ), tanh′ = 1 − tanh² (seed 000 eq. 8.8)", () => {
    const s = 1 / (1 + Math.exp(-0.3));
    expect(at(sigmoid, 0.3)[0]).toBeCloseTo(s * (1 - s), 14);
    expect(at(tanh, 0.3)[0]).toBeCloseTo(1 - Math.tanh(0.3) ** 2, 14);
  });
  test("softplus′ is the logistic sigmoid (seed 004)", () => {
    expect(at(softplus, 1.5)[0]).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 14);
  });
});

describe("numerical stability", () => {
  test("softmax / logSoftmax of logits ±1000 are finite and exact", () => {
    const big = np.array([[1000, -1000, 0], [-1000, -1000, -1000]], { dtype: "float32" });
    assertAllclose(softmax(big), [1, 0, 0, 1 / 3, 1 / 3, 1 / 3], { atol: 1e-7 });
    assertAllclose(logSoftmax(big), [0, -2000, -1000, -Math.log(3), -Math.log(3), -Math.log(3)], { rtol: 1e-6 });
  });
  test("softmax of a row containing −∞ gives it weight 0, an all −∞ row is NaN-free in the others", () => {
    const v = np.array([[0, -Infinity, 0]], { dtype: "float64" });
    assertAllclose(softmax(v), [0.5, 0, 0.5]);
  });
  test("ELU, SELU and softplus do not overflow for large inputs, nor their gradients", () => {
    const v = np.array([-1000, 1000, 500], { dtype: "float32" });
    assertAllclose(elu(v), [-1, 1000, 500]);
    assertAllclose(softplus(v), [0, 1000, 500]);
    const g = grad((z: typeof v) => np.sum(selu(z)))(v);
    assertAllclose(g, [0, SELU_SCALE, SELU_SCALE], { rtol: 1e-6 });
  });
});

describe("gradients, vmap and jit", () => {
  // Points away from 0 so finite differences do not straddle ReLU-type kinks.
  const v = np.add(randomArray([2, 5], 1), np.multiply(np.sign(randomArray([2, 5], 2)), 0.2));
  const fns: [string, (z: typeof v) => typeof v][] = [
    ["relu", relu], ["leakyRelu", (z) => leakyRelu(z)], ["elu", (z) => elu(z)], ["selu", selu], ["softplus", softplus],
    ["gelu", (z) => gelu(z)], ["geluTanh", (z) => gelu(z, { approximate: true })], ["softmax", (z) => softmax(z)],
    ["logSoftmax", (z) => logSoftmax(z)], ["softmax axis 0", (z) => softmax(z, 0)],
  ];
  test.each(fns)("%s: checkGrads (order 2), checkVmap, checkJit", (_name, f) => {
    checkGrads(f, [v], { order: 2 });
    checkVmap(f, [v]);
    checkJit(f, [v]);
  });
  test("prelu differentiates with respect to α", () => {
    checkGrads((z, a) => prelu(z, a), [v, np.array([0.25], { dtype: "float64" })], { order: 2 });
  });
  test("vmap of a per-row softmax equals softmax along the last axis", () => {
    assertAllclose(vmap((r: typeof v) => softmax(r))(v), softmax(v));
  });
});
