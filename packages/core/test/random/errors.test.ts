/** Misuse of `random`: each error is of the right class and names the function, what it got and what it wants. */
import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, jit, linalg, np, random } from "../../src/index.js";

const k = random.key(0);
const f32 = (xs: number[]) => np.array(xs, { dtype: "float32" });

describe("keys", () => {
  const notKeys: [string, unknown][] = [
    ["a float array", f32([1, 2])],
    ["an int32 array", np.array([0, 1], { dtype: "int32" })],
    ["a uint32 array of the wrong length", np.array([0, 1, 2], { dtype: "uint32" })],
    ["a number", 42],
    ["undefined", undefined],
  ];
  const fns: [string, (key: never) => unknown][] = [
    ["random.uniform", (key) => random.uniform(key, [2])],
    ["random.normal", (key) => random.normal(key)],
    ["random.split", (key) => random.split(key)],
    ["random.foldIn", (key) => random.foldIn(key, 1)],
    ["random.bits", (key) => random.bits(key, [2])],
    ["random.randint", (key) => random.randint(key, [2], 0, 3)],
    ["random.permutation", (key) => random.permutation(key, 4)],
    ["random.gamma", (key) => random.gamma(key, 1)],
  ];

  it.each(fns)("%s rejects non-keys with a TypeError naming itself and uint32[2]", (name, f) => {
    for (const [, bad] of notKeys) {
      expect(() => f(bad as never)).toThrow(TypeError);
      expect(() => f(bad as never)).toThrow(new RegExp(`${name.replace(".", "\\.")}: .*uint32\\[2\\]`));
    }
    expect(() => f(f32([1, 2]) as never)).toThrow(/got f32\[2\]/);
  });

  it("a batch of keys is refused with a hint to use vmap", () => {
    expect(() => random.normal(random.split(k, 3))).toThrow(/random\.normal: expects a single PRNG key uint32\[2\], got a batch of keys u32\[3,2\]; map over them with vmap/);
  });

  it("seeds must be scalar integers", () => {
    expect(() => random.key(1.5)).toThrow(TypeError);
    expect(() => random.key(1.5)).toThrow(/random\.key: the seed must be an integer, got 1\.5/);
    expect(() => random.key(2 ** 60)).toThrow(RangeError);
    expect(() => random.key(f32([1]).reshape([]))).toThrow(/seed must be an integer, got f32\[\]/);
    expect(() => random.key(np.array([1, 2], { dtype: "int32" }))).toThrow(/scalar seed, but was given i32\[2\]/);
    expect(() => random.key(k)).toThrow(/scalar seed, but was given a PRNG key u32\[2\]/);
  });

  it("foldIn data must be a 32-bit integer", () => {
    expect(() => random.foldIn(k, 0.5)).toThrow(RangeError);
    expect(() => random.foldIn(k, 2 ** 32)).toThrow(/random\.foldIn: data must be an integer in \[-2\^31, 2\^32\), got 4294967296/);
    expect(() => random.foldIn(k, f32([1]).reshape([]))).toThrow(TypeError);
  });
});

describe("shapes", () => {
  it("a bad shape is a RangeError (a non-list a TypeError), naming the function", () => {
    expect(() => random.uniform(k, [2, -1])).toThrow(RangeError);
    expect(() => random.uniform(k, [2, -1])).toThrow(/random\.uniform: shape must be a list of non-negative integers, got \[2, -1\]/);
    expect(() => random.normal(k, [1.5])).toThrow(RangeError);
    expect(() => random.split(k, -2)).toThrow(RangeError);
    expect(() => random.normal(k, 3 as never)).toThrow(TypeError);
  });

  it("parameters that do not broadcast into the shape are a ShapeError naming both", () => {
    expect(() => random.uniform(k, [3], { minval: f32([0, 1]) })).toThrow(ShapeError);
    expect(() => random.uniform(k, [3], { minval: f32([0, 1]) })).toThrow(/random\.uniform: parameter shapes \[2\] must broadcast to the requested shape \[3\]/);
    expect(() => random.bernoulli(k, f32([0.5, 0.5]), [2, 3])).toThrow(ShapeError);
    expect(() => random.randint(k, [4], f32([0, 1, 2]), 5)).toThrow(ShapeError);
    expect(() => random.categorical(k, f32([1, 2, 3, 4]).reshape([2, 2]), { shape: [3] })).toThrow(ShapeError);
    expect(() => random.multivariateNormal(k, f32([0, 0]), f32([1, 0, 0, 1, 0, 0]).reshape([2, 3]))).toThrow(/cov must have shape \[\.\.\., 2, 2\]/);
    expect(() => random.dirichlet(k, f32([1]).reshape([]))).toThrow(ShapeError);
  });
});

describe("probabilities and parameters", () => {
  it("a probability outside [0, 1] is a RangeError", () => {
    expect(() => random.bernoulli(k, 1.5)).toThrow(RangeError);
    expect(() => random.bernoulli(k, 1.5)).toThrow(/random\.bernoulli: the probability p must lie in \[0, 1\], got 1\.5/);
    expect(() => random.bernoulli(k, f32([0.2, -0.1]))).toThrow(/got -0\.1/);
    expect(() => random.bernoulli(k, NaN)).toThrow(RangeError);
    expect(() => random.choice(k, 3, { p: f32([0.5, -1, 0.5]) })).toThrow(RangeError);
  });

  it("traced probabilities cannot be checked and pass, as in JAX", () => {
    expect(jit((p) => random.bernoulli(k, p, [2]))(f32([0.3]).reshape([])).shape).toEqual([2]);
  });

  it("choice checks its population and sample sizes", () => {
    expect(() => random.choice(k, 0, { shape: [2] })).toThrow(/a must be greater than 0/);
    expect(() => random.choice(k, 3, { shape: [4], replace: false })).toThrow(/cannot take a larger sample \(4\) than the population \(3\)/);
    expect(() => random.choice(k, 3, { p: f32([0.5, 0.5]) })).toThrow(ShapeError);
    expect(random.choice(k, 3, { shape: [0] }).shape).toEqual([0]);
  });

  it("multivariateNormal: an unknown method is a RangeError, a covariance that is not positive definite linalg's LinAlgError", () => {
    const cov = f32([1, 0, 0, 1]).reshape([2, 2]);
    expect(() => random.multivariateNormal(k, f32([0, 0]), cov, { method: "qr" as never })).toThrow(/random\.multivariateNormal: method must be "cholesky", "eigh" or "svd", got "qr"/);
    expect(() => random.multivariateNormal(k, f32([0, 0]), f32([1, 2, 2, 1]).reshape([2, 2]))).toThrow(linalg.LinAlgError);
  });

  it("gamma needs a positive shape parameter; permutation a non-negative length", () => {
    expect(() => random.gamma(k, -1)).toThrow(RangeError);
    expect(() => random.permutation(k, -3)).toThrow(RangeError);
    expect(() => random.permutation(k, f32([2]).reshape([]))).toThrow(TypeError);
  });
});

describe("dtypes", () => {
  it("float samplers take float dtypes, randint integer ones, bits uint32", () => {
    expect(() => random.uniform(k, [2], { dtype: "int32" as never })).toThrow(DTypeError);
    expect(() => random.uniform(k, [2], { dtype: "int32" as never })).toThrow(/random\.uniform: dtype must be a float dtype/);
    expect(() => random.normal(k, [2], { dtype: "bool" as never })).toThrow(DTypeError);
    expect(() => random.randint(k, [2], 0, 4, { dtype: "float32" as never })).toThrow(/random\.randint: dtype must be an integer dtype/);
    expect(() => random.bits(k, [2], { dtype: "int32" as never })).toThrow(DTypeError);
  });

  it("probabilities and logits must be floats", () => {
    expect(() => random.bernoulli(k, np.array([1], { dtype: "int32" }))).toThrow(/probability p must have a float dtype, got i32\[1\]/);
    expect(() => random.categorical(k, np.array([1, 2], { dtype: "int32" }))).toThrow(/random\.categorical: logits must be floats, got i32\[2\]/);
  });
});
