/** `bernoulli`: booleans that are true with probability p (JAX's `random.bernoulli`). */
import { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import { DTypeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { checkConcreteRange, checkReal, checkShapeArg } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { asParam, paramShape } from "./params.js";
import { uniform } from "./uniform.js";

/**
 * `uniform < p` elementwise (bool), with the uniform drawn in p's dtype (float32 for a JS number).
 * `shape` defaults to p's shape; p must be a float and, where it can be read, lie in [0, 1].
 */
export function bernoulli(impl: ThreefryImpl, key: NdArray, p: number | NdArray = 0.5, shape?: readonly number[]): NdArray {
  const fn = "random.bernoulli";
  checkKey(fn, key);
  const prob = checkReal(fn, "p", p);
  if (prob instanceof NdArray && !isFloat(prob.dtype)) throw new DTypeError(`${fn}: the probability p must have a float dtype, got ${prob.aval.str()}`);
  checkConcreteRange(fn, "the probability p", prob, 0, 1);
  const dtype = prob instanceof NdArray ? (prob.dtype as "float32" | "float64") : "float32";
  const s = shape === undefined ? [...paramShape(prob)] : checkShapeArg(fn, shape);
  const pArr = asParam(fn, prob, dtype, s);
  return lax.lt(uniform(impl, key, s, { dtype }), pArr);
}
