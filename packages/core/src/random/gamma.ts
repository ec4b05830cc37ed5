/**
 * `gamma` and `loggamma`: Marsaglia–Tsang rejection sampling exactly as JAX's `_gamma_one`: the same
 * two while-loops, the same key schedule and one split key per element, vmapped (elements may take
 * different numbers of tries).
 */
import { type NdArray, isTracer } from "../array.js";
import * as lax from "../lax/index.js";
import { broadcastTo } from "../np/convert.js";
import { whileLoop } from "../control-flow/while-loop.js";
import { customJvp } from "../transforms/custom.js";
import { vmap } from "../transforms/vmap.js";
import { checkConcreteRange, checkReal, checkShapeArg, floatDtype } from "./check.js";
import { exponentialDraw } from "./exponential.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import type { FloatOptions } from "./normal.js";
import { normalDraw } from "./normal.js";
import { paramShape } from "./params.js";
import { split, splitList } from "./split.js";
import { unitFloats } from "./uniform.js";

/**
 * One Gamma(alpha) draw (or its log) for 0-d alpha from one key: JAX's `_gamma_one` with its two
 * while-loops and key schedule, so every draw is JAX's (vmapped over elements by `gammaDraw`).
 */
function gammaOne(impl: ThreefryImpl, key: NdArray, alpha: NdArray, logSpace: boolean): NdArray {
  const dtype = alpha.dtype as "float32" | "float64";
  const c = (v: number) => lax.full([], v, dtype);
  const one = c(1);
  // alpha < 1 is boosted to alpha + 1 and the draw scaled by U^(1/alpha) afterwards.
  const boost = lax.ge(alpha, one);
  const a = lax.selectN(boost, lax.add(alpha, one), alpha);
  const d = lax.sub(a, c(1 / 3));
  const cc = lax.div(c(1 / 3), lax.sqrt(d));
  type Inner = [NdArray, NdArray, NdArray];
  type Outer = [NdArray, NdArray, NdArray, NdArray];
  // The inner loop draws normals until v = 1 + c·x > 0.
  const nextXV = ([k]: Inner): Inner => {
    const [kNext, sub] = splitList(impl, k, 2) as [NdArray, NdArray];
    const x = normalDraw(impl, sub, [], dtype);
    return [kNext, x, lax.add(one, lax.mul(x, cc))];
  };
  // Marsaglia–Tsang's rejection test, as JAX's loop condition: keep going while it holds.
  const reject = ([, X, V, U]: Outer) =>
    lax.and(
      lax.ge(U, lax.sub(one, lax.mul(c(0.0331), lax.mul(X, X)))),
      lax.ge(lax.log(U), lax.add(lax.mul(X, c(0.5)), lax.mul(d, lax.add(lax.sub(one, V), lax.log(V))))),
    );
  const propose = ([k]: Outer): Outer => {
    const [kNext, xKey, uKey] = splitList(impl, k, 3) as [NdArray, NdArray, NdArray];
    const [, x, v] = whileLoop(([, , v0]: Inner) => lax.le(v0, c(0)), nextXV, [xKey, c(0), c(-1)] as Inner);
    return [kNext, lax.mul(x, x), lax.mul(lax.mul(v, v), v), unitFloats(impl, uKey, [], dtype)];
  };
  const [k0, subkey] = splitList(impl, key, 2) as [NdArray, NdArray];
  // The initial state makes the rejection test hold, so at least one proposal is drawn.
  const [, , V] = whileLoop(reject, propose, [k0, c(0), one, c(2)] as Outer);
  if (logSpace) {
    const logU = lax.neg(exponentialDraw(impl, subkey, [], dtype));
    const skip = lax.or(boost, lax.eq(logU, c(0)));
    const logBoost = lax.selectN(skip, lax.mul(logU, lax.div(one, alpha)), c(0));
    return lax.add(lax.add(lax.log(d), lax.log(V)), logBoost);
  }
  const u = lax.sub(one, unitFloats(impl, subkey, [], dtype));
  const scale = lax.selectN(boost, lax.pow(u, lax.div(one, alpha)), one);
  return lax.mul(lax.mul(d, V), scale);
}

/** Gamma draws for every element of `alpha` (any shape): one split key per element, as JAX's random_gamma. */
export function gammaDraw(impl: ThreefryImpl, key: NdArray, alpha: NdArray, logSpace: boolean): NdArray {
  const m = alpha.size;
  if (m === 0) return lax.zerosLike(alpha);
  const draws = vmap((k: NdArray, a: NdArray) => gammaOne(impl, k, a, logSpace))(split(impl, key, m), lax.reshape(alpha, [m])) as NdArray;
  return lax.reshape(draws, alpha.shape);
}

/**
 * `a` unchanged, but refusing to be differentiated: JAX differentiates gamma draws implicitly, through
 * the incomplete gamma function (random_gamma_grad), which Fluxion lacks; differentiating the sampler's
 * arithmetic instead would give a different, biased gradient. Only traced values can be differentiated,
 * so concrete ones pass straight through.
 */
function notDifferentiable(fn: string, a: NdArray): NdArray {
  if (!isTracer(a)) return a;
  return customJvp(
    (x: NdArray) => x,
    (): [NdArray, NdArray] => {
      throw new TypeError(
        `${fn}: the derivative with respect to the shape parameter is not implemented (JAX uses the implicit gradient of the incomplete gamma function); apply stopGradient to it to sample without one`,
      );
    },
  )(a);
}

/** The shape parameter cast to the sample dtype and broadcast to the sample shape. */
export function gammaAlpha(fn: string, a: number | NdArray, shape: readonly number[] | undefined, dtype: "float32" | "float64"): NdArray {
  const alpha = checkReal(fn, "a", a);
  checkConcreteRange(fn, "the shape parameter a", alpha, 0, Infinity);
  const s = shape === undefined ? [...paramShape(alpha)] : checkShapeArg(fn, shape);
  const arr = typeof alpha === "number" ? lax.full([], alpha, dtype) : lax.convertElementType(alpha, dtype);
  return notDifferentiable(fn, broadcastTo(arr, s, fn));
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

