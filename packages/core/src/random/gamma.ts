/**
 * `gamma` and `loggamma`: Marsaglia–Tsang rejection sampling as JAX's `_gamma_one`, with JAX's exact key
 * schedule. JAX runs two nested while-loops; here they are unrolled to a fixed number of tries
 * (OUTER × INNER) and the first accepted try is selected, which gives JAX's sample whenever JAX stops
 * within those tries — every sample but about one in 10¹⁰.
 */
import { type NdArray, isTracer } from "../array.js";
import * as lax from "../lax/index.js";
import { broadcastTo } from "../np/convert.js";
import { vmap } from "../transforms/vmap.js";
import { checkConcreteRange, checkReal, checkShapeArg, floatDtype } from "./check.js";
import { exponentialDraw } from "./exponential.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import type { FloatOptions } from "./normal.js";
import { normalDraw } from "./normal.js";
import { paramShape } from "./params.js";
import { split } from "./split.js";
import { unitFloats } from "./uniform.js";

/** Outer tries (each accepted with probability ≳ 0.95, so 8 fail together with probability ≲ 4·10⁻¹¹). */
const OUTER = 8;
/** Normal draws per try until v = 1 + c·x > 0 (each fails with probability ≤ 0.0072, so 5 fail ≲ 2·10⁻¹¹). */
const INNER = 5;

/** Per-key draws over a batch of keys [m, 2]. */
const perKey = (f: (k: NdArray) => NdArray) => (keys: NdArray) => vmap(f)(keys) as NdArray;

/** Whether every element of a bool array is known to be true (false when it is traced, so loops run fully). */
const allKnownTrue = (x: NdArray): boolean => !isTracer(x) && Array.from(x.toTypedArray()).every((v) => v !== 0);

/**
 * Gamma draws (or their logs) for a vector of shapes `alpha` [m], one key each ([m, 2]): JAX's
 * `_gamma_one` vectorised. On concrete values the tries stop once every element is settled, which
 * changes nothing (later tries only fill in unsettled elements) but saves most of the work; under
 * jit/vmap every try is traced.
 */
function gammaVector(impl: ThreefryImpl, keys: NdArray, alpha: NdArray, logSpace: boolean): NdArray {
  const dtype = alpha.dtype as "float32" | "float64";
  const c = (v: number) => lax.fullLike(alpha, v);
  const one = c(1);
  const splitEach = (ks: NdArray, n: number) => {
    const all = perKey((k) => split(impl, k, n))(ks);
    return Array.from({ length: n }, (_, i) => lax.reshape(lax.slice(all, [0, i, 0], [ks.shape[0]!, i + 1, 2]), [ks.shape[0]!, 2]));
  };
  // alpha < 1 is boosted to alpha + 1 and the draw scaled by U^(1/alpha) afterwards.
  const boost = lax.ge(alpha, one);
  const a = lax.selectN(boost, lax.add(alpha, one), alpha);
  const d = lax.sub(a, c(1 / 3));
  const cc = lax.div(c(1 / 3), lax.sqrt(d));
  const [first, subkey] = splitEach(keys, 2) as [NdArray, NdArray];
  let k = first;
  let chosenV = one;
  // Should no try be accepted (about one sample in 10¹⁰), V = 1 stands in: the draw is then d.
  let done = lax.full(alpha.shape, false, "bool");
  for (let t = 0; t < OUTER && !allKnownTrue(done); t++) {
    const [next, xKey, uKey] = splitEach(k, 3) as [NdArray, NdArray, NdArray];
    k = next;
    let kx = xKey;
    let x = c(0);
    let v = c(-1);
    for (let s = 0; s < INNER && !allKnownTrue(lax.gt(v, c(0))); s++) {
      const [kNext, sk] = splitEach(kx, 2) as [NdArray, NdArray];
      kx = kNext;
      const xs = perKey((key) => normalDraw(impl, key, [], dtype))(sk);
      // The inner loop keeps the first draw with v > 0: later tries only fill in where none has yet.
      const need = lax.le(v, c(0));
      x = lax.selectN(need, x, xs);
      v = lax.selectN(need, v, lax.add(one, lax.mul(xs, cc)));
    }
    const X = lax.mul(x, x);
    const V = lax.mul(lax.mul(v, v), v);
    const U = perKey((key) => unitFloats(impl, key, [], dtype))(uKey);
    // JAX's loop condition (keep going while it holds); a try whose inner loop found no v > 0 is rejected too.
    const reject = lax.and(
      lax.ge(U, lax.sub(one, lax.mul(c(0.0331), lax.mul(X, X)))),
      lax.ge(lax.log(U), lax.add(lax.mul(X, c(0.5)), lax.mul(d, lax.add(lax.sub(one, V), lax.log(V))))),
    );
    const accept = lax.and(lax.not(reject), lax.gt(v, c(0)));
    chosenV = lax.selectN(lax.and(accept, lax.not(done)), chosenV, V);
    done = lax.or(done, accept);
  }
  if (logSpace) {
    const logU = lax.neg(perKey((key) => exponentialDraw(impl, key, [], dtype))(subkey));
    const skip = lax.or(boost, lax.eq(logU, c(0)));
    const logBoost = lax.selectN(skip, lax.mul(logU, lax.div(one, alpha)), c(0));
    return lax.add(lax.add(lax.log(d), lax.log(chosenV)), logBoost);
  }
  const u = lax.sub(one, perKey((key) => unitFloats(impl, key, [], dtype))(subkey));
  const scale = lax.selectN(boost, lax.pow(u, lax.div(one, alpha)), one);
  return lax.mul(lax.mul(d, chosenV), scale);
}

/** Gamma draws for every element of `alpha` (any shape): one split key per element, as JAX's random_gamma. */
export function gammaDraw(impl: ThreefryImpl, key: NdArray, alpha: NdArray, logSpace: boolean): NdArray {
  const m = alpha.size;
  if (m === 0) return lax.zerosLike(alpha);
  const draws = gammaVector(impl, split(impl, key, m), lax.reshape(alpha, [m]), logSpace);
  return lax.reshape(draws, alpha.shape);
}

/** The shape parameter cast to the sample dtype and broadcast to the sample shape. */
export function gammaAlpha(fn: string, a: number | NdArray, shape: readonly number[] | undefined, dtype: "float32" | "float64"): NdArray {
  const alpha = checkReal(fn, "a", a);
  checkConcreteRange(fn, "the shape parameter a", alpha, 0, Infinity);
  const s = shape === undefined ? [...paramShape(alpha)] : checkShapeArg(fn, shape);
  const arr = typeof alpha === "number" ? lax.full([], alpha, dtype) : lax.convertElementType(alpha, dtype);
  return broadcastTo(arr, s, fn);
}

/** Gamma(a, 1) floats; `shape` defaults to a's shape (JAX's `random.gamma`). */
export function gamma(impl: ThreefryImpl, key: NdArray, a: number | NdArray, shape?: readonly number[], opts: FloatOptions = {}): NdArray {
  checkKey("random.gamma", key);
  return gammaDraw(impl, key, gammaAlpha("random.gamma", a, shape, floatDtype("random.gamma", opts.dtype)), false);
}

/** log of Gamma(a, 1) draws, accurate for tiny a where the draws underflow (JAX's `random.loggamma`). */
export function loggamma(impl: ThreefryImpl, key: NdArray, a: number | NdArray, shape?: readonly number[], opts: FloatOptions = {}): NdArray {
  checkKey("random.loggamma", key);
  return gammaDraw(impl, key, gammaAlpha("random.loggamma", a, shape, floatDtype("random.loggamma", opts.dtype)), true);
}

