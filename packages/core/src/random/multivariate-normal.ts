/** `multivariateNormal`: correlated normal vectors, mean + F·z with F·Fᵀ = cov (JAX's `random.multivariate_normal`). */
import { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import * as linalg from "../linalg/index.js";
import { broadcastTo } from "../np/convert.js";
import { broadcastShapes } from "../shape.js";
import { checkParamShapes, checkShapeArg, describe, floatDtype } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { normalDraw } from "./normal.js";

/** Options of `multivariateNormal`. */
export type MultivariateNormalOptions = {
  /** Batch shape of the result (its last axis, n, is added); defaults to the broadcast batch shapes of mean and cov. */
  shape?: readonly number[];
  /** float32 (default: mean's dtype) or float64. */
  dtype?: "float32" | "float64";
  /**
   * How cov is factored (JAX's methods): "cholesky" (default), or "eigh" / "svd" for singular
   * covariances, F = V·√Λ. Those two follow Fluxion's eigenvector sign convention, which can differ
   * from LAPACK's, so their draws match JAX's in distribution but not value by value.
   */
  method?: "cholesky" | "eigh" | "svd";
};

/** A factor F of the covariance stack with F·Fᵀ = cov. */
function factorOf(fn: string, cov: NdArray, method: unknown): NdArray {
  const scaleColumns = (v: NdArray, w: NdArray) => lax.mul(v, lax.broadcastInDim(lax.sqrt(w), v.shape, [...w.shape.slice(0, -1).map((_, i) => i), v.ndim - 1]));
  switch (method ?? "cholesky") {
    case "cholesky":
      return linalg.cholesky(cov);
    case "eigh": {
      const [w, v] = linalg.eigh(cov);
      return scaleColumns(v, w);
    }
    case "svd": {
      const [u, s] = linalg.svd(cov);
      return scaleColumns(u, s);
    }
    default:
      throw new RangeError(`${fn}: method must be "cholesky", "eigh" or "svd", got ${JSON.stringify(method)}`);
  }
}

/**
 * Draws of shape [...shape, n] from N(mean, cov), mean [..., n] and cov [..., n, n] symmetric positive
 * (semi-)definite: mean + F·z with z standard normal [...shape, n] and F a factor of cov (see `method`;
 * an eager Cholesky of a matrix that is not positive definite throws linalg's LinAlgError).
 */
export function multivariateNormal(impl: ThreefryImpl, key: NdArray, mean: NdArray, cov: NdArray, opts: MultivariateNormalOptions = {}): NdArray {
  const fn = "random.multivariateNormal";
  checkKey(fn, key);
  if (!(mean instanceof NdArray)) throw new TypeError(`${fn}: mean must be an NdArray, got ${describe(mean)}`);
  if (!(cov instanceof NdArray)) throw new TypeError(`${fn}: cov must be an NdArray, got ${describe(cov)}`);
  if (mean.ndim < 1) throw new ShapeError(`${fn}: mean must have at least 1 dimension, got ${mean.aval.str()}`);
  if (cov.ndim < 2) throw new ShapeError(`${fn}: cov must have at least 2 dimensions, got ${cov.aval.str()}`);
  const n = mean.shape[mean.ndim - 1]!;
  if (cov.shape[cov.ndim - 1] !== n || cov.shape[cov.ndim - 2] !== n) {
    throw new ShapeError(`${fn}: cov must have shape [..., ${n}, ${n}] to match mean ${mean.aval.str()}, got ${cov.aval.str()}`);
  }
  const dtype = floatDtype(fn, opts.dtype ?? (isFloat(mean.dtype) ? mean.dtype : "float32"));
  if (!isFloat(cov.dtype) && cov.dtype !== "int32" && cov.dtype !== "uint32") throw new DTypeError(`${fn}: cov must be numeric, got ${cov.aval.str()}`);
  const meanBatch = mean.shape.slice(0, -1);
  const covBatch = cov.shape.slice(0, -2);
  const shape = opts.shape === undefined ? broadcastShapes(fn, meanBatch, covBatch) : checkShapeArg(fn, opts.shape);
  checkParamShapes(fn, shape, meanBatch, covBatch);
  const factor = broadcastTo(factorOf(fn, lax.convertElementType(cov, dtype), opts.method), [...shape, n, n], fn);
  const z = normalDraw(impl, key, [...shape, n], dtype);
  // (L·z)_i = Σ_j L_ij z_j over the last axis of the broadcast product.
  const zRows = lax.broadcastInDim(z, [...shape, n, n], [...shape.map((_, i) => i), shape.length + 1]);
  const lz = lax.reduceSum(lax.mul(factor, zRows), [shape.length + 1]);
  return lax.add(broadcastTo(lax.convertElementType(mean, dtype), [...shape, n], fn), lz);
}
