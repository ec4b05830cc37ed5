/** `exponential`: standard exponential draws, −log(1 − u) (JAX's `random.exponential`). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { checkShapeArg, floatDtype } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import type { FloatOptions } from "./normal.js";
import { unitFloats } from "./uniform.js";

/** −log1p(−u) for u uniform in [0, 1): 1 − u lies in (0, 1], so the log is finite. */
export function exponentialDraw(impl: ThreefryImpl, key: NdArray, shape: readonly number[], dtype: "float32" | "float64"): NdArray {
  return lax.neg(lax.log1p(lax.neg(unitFloats(impl, key, shape, dtype))));
}

/** Standard exponential floats of `shape` (rate 1; JAX's `random.exponential`). */
export function exponential(impl: ThreefryImpl, key: NdArray, shape: readonly number[] = [], opts: FloatOptions = {}): NdArray {
  checkKey("random.exponential", key);
  return exponentialDraw(impl, key, checkShapeArg("random.exponential", shape), floatDtype("random.exponential", opts.dtype));
}
