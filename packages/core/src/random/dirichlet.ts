/** `dirichlet`: Dirichlet(alpha) draws as normalised gamma draws, in log space (JAX's `random.dirichlet`). */
import { NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { checkParamShapes, checkShapeArg, describe, floatDtype } from "./check.js";
import { gammaAlpha, gammaDraw } from "./gamma.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import type { FloatOptions } from "./normal.js";

/**
 * Draws of shape [...shape, k] on the simplex from concentrations `alpha` [..., k]: a softmax of
 * log-gamma draws (max subtracted first). `shape` defaults to alpha's batch shape alpha.shape[:-1].
 */
export function dirichlet(impl: ThreefryImpl, key: NdArray, alpha: NdArray, shape?: readonly number[], opts: FloatOptions = {}): NdArray {
  const fn = "random.dirichlet";
  checkKey(fn, key);
  if (!(alpha instanceof NdArray)) throw new TypeError(`${fn}: alpha must be an NdArray of concentrations, got ${describe(alpha)}`);
  if (alpha.ndim < 1) throw new ShapeError(`${fn}: alpha must have at least 1 dimension (the categories), got ${alpha.aval.str()}`);
  const dtype = floatDtype(fn, opts.dtype);
  const k = alpha.shape[alpha.ndim - 1]!;
  const batch = shape === undefined ? alpha.shape.slice(0, -1) : checkShapeArg(fn, shape);
  checkParamShapes(fn, batch, alpha.shape.slice(0, -1));
  const logG = gammaDraw(impl, key, gammaAlpha(fn, alpha, [...batch, k], dtype), true);
  const last = batch.length;
  const top = lax.stopGradient(lax.reduceMax(logG, [last]));
  const e = lax.exp(lax.sub(logG, lax.broadcastInDim(top, logG.shape, batch.map((_, i) => i))));
  return lax.div(e, lax.broadcastInDim(lax.reduceSum(e, [last]), logG.shape, batch.map((_, i) => i)));
}
