/** `beta`: Beta(a, b) draws as a ratio of gamma draws, computed in log space (JAX's `random.beta`). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";
import { checkReal, checkShapeArg, floatDtype } from "./check.js";
import { gammaAlpha, gammaDraw } from "./gamma.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import type { FloatOptions } from "./normal.js";
import { paramShape } from "./params.js";
import { splitList } from "./split.js";

/**
 * Gₐ/(Gₐ + G_b) for log-gamma draws Gₐ, G_b from the two halves of a split key, rescaled by their max
 * so neither underflows. `shape` defaults to the broadcast shapes of a and b.
 */
export function beta(impl: ThreefryImpl, key: NdArray, a: number | NdArray, b: number | NdArray, shape?: readonly number[], opts: FloatOptions = {}): NdArray {
  const fn = "random.beta";
  checkKey(fn, key);
  const dtype = floatDtype(fn, opts.dtype);
  const s = shape === undefined ? broadcastShapes(fn, paramShape(checkReal(fn, "a", a)), paramShape(checkReal(fn, "b", b))) : checkShapeArg(fn, shape);
  const [keyA, keyB] = splitList(impl, key, 2) as [NdArray, NdArray];
  const logA = gammaDraw(impl, keyA, gammaAlpha(fn, a, s, dtype), true);
  const logB = gammaDraw(impl, keyB, gammaAlpha(fn, b, s, dtype), true);
  const top = lax.max(logA, logB);
  const ga = lax.exp(lax.sub(logA, top));
  const gb = lax.exp(lax.sub(logB, top));
  return lax.div(ga, lax.add(ga, gb));
}
