/**
 * `random`: JAX's counter-based PRNG, bit for bit. Keys are JAX's raw keys (uint32[2]); every function
 * takes one explicitly. The top-level functions follow JAX's default key derivation
 * (`jax_threefry_partitionable=True`, JAX ≥ 0.5.0); `random.legacy` has the same API with the original
 * derivation (JAX ≤ 0.4.x, or `jax_threefry_partitionable=False`), for reproducing older results.
 *
 * Bit-exact with JAX (x64 off): keys, split, foldIn, bits, uniform, randint, bernoulli, permutation,
 * unweighted choice, and anything else built from exact arithmetic on the bits. Draws that go through
 * log, log1p, erf, pow or sqrt (normal, truncatedNormal, exponential, gumbel, gamma, beta, dirichlet,
 * multivariateNormal) match to within a few float32 ulps: normal uses XLA's own erf⁻¹ polynomial, but
 * XLA's log1p/log may round differently from Fluxion's. Integer results derived from such floats
 * (categorical, weighted choice) can differ only when a draw lands within an ulp of a boundary.
 */
import { type Random, makeRandom } from "./api.js";
import { ORIGINAL, PARTITIONABLE } from "./impl.js";

const api: Random = makeRandom(PARTITIONABLE);

/** A PRNG key uint32[2] from an integer seed: `jax.random.PRNGKey(seed)` (x64 off: [0, seed mod 2³²]). */
export const key = api.key;
/** Alias of `key` under JAX's legacy name. */
export const PRNGKey = api.PRNGKey;
/** `num` new keys ([num, 2]) or a shape of keys ([...shape, 2]) from `key` (`jax.random.split`). */
export const split = api.split;
/** A new key from `key` and 32 bits of data (`jax.random.fold_in`). */
export const foldIn = api.foldIn;
/** Raw uniform uint32 words (`jax.random.bits`). */
export const bits = api.bits;
/** Uniform floats in [minval, maxval) (`jax.random.uniform`). */
export const uniform = api.uniform;
/** Standard normal floats (`jax.random.normal`). */
export const normal = api.normal;
/** Standard normal floats restricted to (lower, upper) (`jax.random.truncated_normal`). */
export const truncatedNormal = api.truncatedNormal;
/** Booleans, true with probability p (`jax.random.bernoulli`). */
export const bernoulli = api.bernoulli;
/** Integers uniform in [minval, maxval) (`jax.random.randint`). */
export const randint = api.randint;
/** Category indices drawn from softmax(logits) (`jax.random.categorical`). */
export const categorical = api.categorical;
/** A shuffled range(n), or an array shuffled along an axis (`jax.random.permutation`). */
export const permutation = api.permutation;
/** Draws from a range or an array, with or without replacement, optionally weighted (`jax.random.choice`). */
export const choice = api.choice;
/** Standard Gumbel floats (`jax.random.gumbel`). */
export const gumbel = api.gumbel;
/** Standard exponential floats (`jax.random.exponential`). */
export const exponential = api.exponential;
/** Vectors from N(mean, cov) via a Cholesky factor (`jax.random.multivariate_normal`). */
export const multivariateNormal = api.multivariateNormal;
/** Gamma(a, 1) floats (`jax.random.gamma`). */
export const gamma = api.gamma;
/** Logs of Gamma(a, 1) draws (`jax.random.loggamma`). */
export const loggamma = api.loggamma;
/** Beta(a, b) floats (`jax.random.beta`). */
export const beta = api.beta;
/** Dirichlet(alpha) vectors (`jax.random.dirichlet`). */
export const dirichlet = api.dirichlet;
/** The Threefry-2x32 hash of uint32 counters under a key (`jax.extend.random.threefry_2x32`). */
export const threefry2x32 = api.threefry2x32;
/** The same API with JAX's original key derivation (`jax_threefry_partitionable=False`, JAX ≤ 0.4.x). */
export const legacy: Random = makeRandom(ORIGINAL);
/** The scheme the top-level functions follow. */
export const impl = api.impl;

export type { Random } from "./api.js";
export type { ThreefryImpl } from "./impl.js";
export type { UniformOptions } from "./uniform.js";
export type { FloatOptions } from "./normal.js";
export type { RandintOptions } from "./randint.js";
export type { CategoricalOptions } from "./categorical.js";
export type { PermutationOptions } from "./permutation.js";
export type { ChoiceOptions } from "./choice.js";
export type { MultivariateNormalOptions } from "./multivariate-normal.js";
export type { BitsOptions } from "./bits.js";
