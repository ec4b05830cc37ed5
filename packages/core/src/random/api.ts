/** The `random` API bound to one Threefry scheme (see impl.ts): `random` is the partitionable one, `random.legacy` the original. */
import type { NdArray } from "../array.js";
import { bernoulli } from "./bernoulli.js";
import { beta } from "./beta.js";
import { type BitsOptions, bits } from "./bits.js";
import { type CategoricalOptions, categorical } from "./categorical.js";
import { type ChoiceOptions, choice } from "./choice.js";
import { dirichlet } from "./dirichlet.js";
import { exponential } from "./exponential.js";
import { foldIn } from "./fold-in.js";
import { gamma, loggamma } from "./gamma.js";
import { gumbel } from "./gumbel.js";
import { threefryHash } from "./hash.js";
import type { ThreefryImpl } from "./impl.js";
import { key } from "./key.js";
import { type MultivariateNormalOptions, multivariateNormal } from "./multivariate-normal.js";
import { type FloatOptions, normal } from "./normal.js";
import { type PermutationOptions, permutation } from "./permutation.js";
import { type RandintOptions, randint } from "./randint.js";
import { split } from "./split.js";
import { truncatedNormal } from "./truncated-normal.js";
import { type UniformOptions, uniform } from "./uniform.js";

type Shape = readonly number[];
type Real = number | NdArray;

/** Every sampler of `random`, drawing keys and bits by `impl`'s scheme. */
export function makeRandom(impl: ThreefryImpl) {
  return {
    /** The Threefry scheme these functions follow. */
    impl,
    /** A PRNG key uint32[2] from an integer seed (JAX's `random.PRNGKey` / raw `random.key`). */
    key,
    /** Alias of `key` under JAX's legacy name. */
    PRNGKey: key,
    /** `num` new keys ([num, 2]) or a shape of keys ([...shape, 2]) from `key`. */
    split: (k: NdArray, num: number | Shape = 2) => split(impl, k, num),
    /** A new key from `key` and 32 bits of data. */
    foldIn,
    /** Raw uniform uint32 words of `shape`. */
    bits: (k: NdArray, shape: Shape = [], opts?: BitsOptions) => bits(impl, k, shape, opts),
    /** Uniform floats in [minval, maxval). */
    uniform: (k: NdArray, shape: Shape = [], opts?: UniformOptions) => uniform(impl, k, shape, opts),
    /** Standard normal floats. */
    normal: (k: NdArray, shape: Shape = [], opts?: FloatOptions) => normal(impl, k, shape, opts),
    /** Standard normal floats restricted to (lower, upper). */
    truncatedNormal: (k: NdArray, lower: Real, upper: Real, shape?: Shape, opts?: FloatOptions) => truncatedNormal(impl, k, lower, upper, shape, opts),
    /** Booleans, true with probability p. */
    bernoulli: (k: NdArray, p: Real = 0.5, shape?: Shape) => bernoulli(impl, k, p, shape),
    /** Integers uniform in [minval, maxval). */
    randint: (k: NdArray, shape: Shape, minval: Real, maxval: Real, opts?: RandintOptions) => randint(impl, k, shape, minval, maxval, opts),
    /** Category indices drawn from softmax(logits) along an axis. */
    categorical: (k: NdArray, logits: NdArray, opts?: CategoricalOptions) => categorical(impl, k, logits, opts),
    /** A shuffled range(n), or `x` shuffled along an axis. */
    permutation: (k: NdArray, x: number | NdArray, opts?: PermutationOptions) => permutation(impl, k, x, opts),
    /** Draws from range(a) or from a's slices, with or without replacement, optionally weighted. */
    choice: (k: NdArray, a: number | NdArray, opts?: ChoiceOptions) => choice(impl, k, a, opts),
    /** Standard Gumbel floats. */
    gumbel: (k: NdArray, shape: Shape = [], opts?: FloatOptions) => gumbel(impl, k, shape, opts),
    /** Standard exponential floats. */
    exponential: (k: NdArray, shape: Shape = [], opts?: FloatOptions) => exponential(impl, k, shape, opts),
    /** Vectors from N(mean, cov). */
    multivariateNormal: (k: NdArray, mean: NdArray, cov: NdArray, opts?: MultivariateNormalOptions) => multivariateNormal(impl, k, mean, cov, opts),
    /** Gamma(a, 1) floats. */
    gamma: (k: NdArray, a: Real, shape?: Shape, opts?: FloatOptions) => gamma(impl, k, a, shape, opts),
    /** Logs of Gamma(a, 1) draws (accurate for small a). */
    loggamma: (k: NdArray, a: Real, shape?: Shape, opts?: FloatOptions) => loggamma(impl, k, a, shape, opts),
    /** Beta(a, b) floats. */
    beta: (k: NdArray, a: Real, b: Real, shape?: Shape, opts?: FloatOptions) => beta(impl, k, a, b, shape, opts),
    /** Dirichlet(alpha) vectors. */
    dirichlet: (k: NdArray, alpha: NdArray, shape?: Shape, opts?: FloatOptions) => dirichlet(impl, k, alpha, shape, opts),
    /** The Threefry-2x32 hash of uint32 counters under a key (JAX's `threefry_2x32`). */
    threefry2x32: threefryHash,
  };
}

/** The `random` API for one scheme. */
export type Random = ReturnType<typeof makeRandom>;
