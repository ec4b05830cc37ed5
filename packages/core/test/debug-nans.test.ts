import { describe, expect, it } from "vitest";
import { FloatingPointError, debugNans, grad, jit, np, type NdArray } from "../src/index.js";

describe("debugNans", () => {
  it("names the first primitive that produces a NaN", () => {
    const f = (x: NdArray) => np.sum(np.log(x).mul(2));
    expect(() => debugNans(() => f(np.array([1, -1])))).toThrow(FloatingPointError);
    expect(() => debugNans(() => f(np.array([1, -1])))).toThrow(/^log: produced a NaN/);
    expect(Number.isNaN(f(np.array([1, -1])).item())).toBe(true);
  });
  it("checks inside jit equation by equation and inside grad", () => {
    expect(() => debugNans(() => jit((x: NdArray) => np.sqrt(x).add(1))(np.array([-4])))).toThrow(/^sqrt:/);
    expect(() => debugNans(() => grad((x: NdArray) => np.sum(np.sqrt(x)))(np.array([0, 1])))).not.toThrow();
    expect(() => debugNans(() => grad((x: NdArray) => np.sum(np.sqrt(x).mul(0)))(np.array([0.0])))).toThrow(FloatingPointError);
  });
  it("does not fire when a NaN is an input", () => {
    expect(() => debugNans(() => np.add(np.array([NaN]), 1))).not.toThrow();
  });
});
