import { describe, expect, it } from "vitest";
import { np, stopGradient } from "../src/index.js";
import type { NdArray } from "../src/index.js";
import { checkGrads, checkVmap, randomArray } from "../src/testing/index.js";

describe("harness", () => {
  it("checkGrads passes on correct derivatives", () => {
    checkGrads((x: NdArray, y: NdArray) => np.sum(np.tanh(x).mul(y)), [randomArray([3], 1), randomArray([3], 2)]);
    checkGrads((x: NdArray) => np.matmul(x, x.T), [randomArray([2, 3], 1)]);
  });
  it("checkGrads catches a wrong derivative", () => {
    // stopGradient silently drops the derivative: finite differences see it, jvp does not.
    expect(() => checkGrads((x: NdArray) => stopGradient(x).mul(x), [randomArray([3], 1)])).toThrow(/differ|vjp/);
  });
  it("checkVmap", () => {
    checkVmap((x: NdArray, y: NdArray) => np.matmul(x, y), [randomArray([2, 3], 1), randomArray([3, 4], 2)]);
    checkVmap((x: NdArray) => np.sum(x, 0), [randomArray([2, 3], 1)]);
  });
});
