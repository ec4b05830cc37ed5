/**
 * Samplers under transformations: jit equals eager, vmap over a batch of keys equals a loop, keys built
 * and folded under vmap, and derivatives through sampled values (reparameterisation).
 */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, jit, jvp, np, random, vmap } from "../../src/index.js";
import { checkJit } from "../../src/testing/index.js";

const values = (x: NdArray) => Array.from(x.toTypedArray(), Number);
const f32 = (xs: number[]) => np.array(xs, { dtype: "float32" });

/** One sampler per public function, each a function of the key alone. */
const samplers = (r: typeof random.legacy): [string, (k: NdArray) => NdArray][] => [
  ["split", (k) => r.split(k, 3)],
  ["foldIn", (k) => r.foldIn(k, 17)],
  ["bits", (k) => r.bits(k, [5])],
  ["uniform", (k) => r.uniform(k, [2, 3], { minval: -1, maxval: 2 })],
  ["uniform float64", (k) => r.uniform(k, [4], { dtype: "float64" })],
  ["normal", (k) => r.normal(k, [7])],
  ["truncatedNormal", (k) => r.truncatedNormal(k, -0.5, 2, [6])],
  ["bernoulli", (k) => r.bernoulli(k, f32([0.2, 0.7]), [3, 2])],
  ["randint", (k) => r.randint(k, [6], -3, 9)],
  ["categorical", (k) => r.categorical(k, f32([0.5, -1, 2]), { shape: [5] })],
  ["permutation", (k) => r.permutation(k, 9)],
  ["permutation of rows", (k) => r.permutation(k, np.arange(12).reshape([4, 3]))],
  ["permutation of each row", (k) => r.permutation(k, np.arange(12).reshape([3, 4]), { axis: 1, independent: true })],
  ["choice", (k) => r.choice(k, 7, { shape: [4], replace: false })],
  ["choice of columns", (k) => r.choice(k, np.arange(15).reshape([3, 5]), { shape: [2, 2], axis: 1 })],
  ["weighted choice", (k) => r.choice(k, 4, { shape: [5], p: f32([0.1, 0.2, 0.3, 0.4]) })],
  ["gumbel", (k) => r.gumbel(k, [4])],
  ["exponential", (k) => r.exponential(k, [4])],
  ["multivariateNormal", (k) => r.multivariateNormal(k, f32([0, 1]), f32([2, 0.3, 0.3, 1]).reshape([2, 2]), { shape: [3] })],
  ["gamma", (k) => r.gamma(k, f32([0.3, 1, 4]))],
  ["beta", (k) => r.beta(k, 2, 3, [3])],
  ["dirichlet", (k) => r.dirichlet(k, f32([1, 2, 0.5]))],
];

describe.each([
  ["partitionable", random],
  ["original", random.legacy],
] as const)("%s scheme", (_name, r) => {
  it.each(samplers(r))("%s: jit(f)(key) equals f(key)", (_n, f) => {
    checkJit(f, [r.key(1234)], { rtol: 0, atol: 0 });
  });

  it.each(samplers(r))("%s: vmap over split keys equals a loop", (_n, f) => {
    const keys = r.split(r.key(99), 4);
    const got = vmap(f)(keys);
    const loop = [0, 1, 2, 3].map((i) => values(f(np.index(keys, i))));
    expect(got.shape[0]).toBe(4);
    expect(values(got)).toEqual(loop.flat());
  });

  it("keys from a batch of seeds under vmap equal key(seed) one by one", () => {
    const seeds = np.array([0, 1, -1, 2147483647], { dtype: "int32" });
    const got = vmap((s: NdArray) => r.key(s))(seeds);
    expect(values(got)).toEqual([0, 1, -1, 2147483647].flatMap((s) => values(r.key(s))));
  });

  it("jit of vmap and vmap of jit agree with eager", () => {
    const f = (k: NdArray) => r.normal(k, [3]);
    const keys = r.split(r.key(5), 3);
    const eager = values(vmap(f)(keys));
    expect(values(jit(vmap(f))(keys))).toEqual(eager);
    expect(values(vmap(jit(f))(keys))).toEqual(eager);
  });

  it("batched parameters: vmap over keys and probabilities together", () => {
    const keys = r.split(r.key(8), 3);
    const ps = f32([0.1, 0.5, 0.9]);
    const got = vmap((k: NdArray, p: NdArray) => r.bernoulli(k, p, [6]))(keys, ps);
    const loop = [0, 1, 2].map((i) => values(r.bernoulli(np.index(keys, i), np.index(ps, i), [6])));
    expect(values(got)).toEqual(loop.flat());
  });
});

describe("partitionable scheme properties (JAX's test_threefry_split_fold_in_symmetry)", () => {
  it("split(key, n)[i] equals foldIn(key, i)", () => {
    const k = random.key(72);
    const keys = random.split(k, 3);
    for (let i = 0; i < 3; i++) expect(values(np.index(keys, i))).toEqual(values(random.foldIn(k, i)));
  });

  it("vmapped foldIn over an index equals split", () => {
    const k = random.key(72);
    const folded = vmap((i: NdArray) => random.foldIn(k, i))(np.arange(3, undefined, 1, { dtype: "int32" }));
    expect(values(folded)).toEqual(values(random.split(k, 3)));
  });

  it("a draw of shape [n] is a prefix of a draw of shape [m > n] (element i hashes counter i)", () => {
    const k = random.key(3);
    expect(values(random.uniform(k, [4]))).toEqual(values(random.uniform(k, [9])).slice(0, 4));
    // The original scheme splits one iota in halves, so it has no such property.
    expect(values(random.legacy.uniform(k, [4]))).not.toEqual(values(random.legacy.uniform(k, [9])).slice(0, 4));
  });
});

describe("derivatives through samples", () => {
  const k = random.key(0);

  it("reparameterised normal: d/dμ Σ(μ + σz) = n and d/dσ = Σz", () => {
    const z = random.normal(k, [5]);
    const f = (mu: NdArray, sigma: NdArray) => np.sum(np.add(mu, np.multiply(sigma, random.normal(k, [5]))));
    const dmu = grad(f)(f32([0.5]).reshape([]), f32([2]).reshape([]));
    const dsigma = grad(f, { argnums: 1 })(f32([0.5]).reshape([]), f32([2]).reshape([]));
    expect(dmu.item()).toBe(5);
    expect(dsigma.item()).toBeCloseTo(values(z).reduce((a, b) => a + b, 0), 5);
  });

  it("uniform is differentiable in its bounds: d/dmax Σ u = Σ (u − min)/(max − min)", () => {
    const unit = values(random.uniform(k, [4]));
    const g = grad((hi: NdArray) => np.sum(random.uniform(k, [4], { minval: 0, maxval: hi })))(f32([3]).reshape([]));
    expect(g.item()).toBeCloseTo(unit.reduce((a, b) => a + b, 0), 5);
  });

  it("gamma refuses to be differentiated in its shape parameter (JAX's gradient is implicit), but vmaps and jits over it", () => {
    expect(() => grad((a: NdArray) => np.sum(random.gamma(k, a, [3])))(f32([2]).reshape([]))).toThrow(/random\.gamma: the derivative with respect to the shape parameter is not implemented/);
    expect(() => grad((a: NdArray) => np.sum(random.beta(k, a, 2, [3])))(f32([2]).reshape([]))).toThrow(/random\.beta: the derivative/);
    const alphas = f32([0.5, 2, 7]);
    const batched = vmap((a: NdArray) => random.gamma(k, a, [2]))(alphas);
    const loop = [0, 1, 2].map((i) => values(random.gamma(k, np.index(alphas, i), [2])));
    expect(values(batched)).toEqual(loop.flat());
    expect(values(jit((a: NdArray) => random.gamma(k, a, [2]))(np.index(alphas, 1)))).toEqual(loop[1]);
  });

  it("a key carries a zero tangent through every bit-level primitive", () => {
    const [y, t] = jvp((key: NdArray) => random.normal(key, [3]), [k], [np.zerosLike(k)]);
    expect(values(y)).toEqual(values(random.normal(k, [3])));
    expect(values(t)).toEqual([0, 0, 0]);
  });
});
