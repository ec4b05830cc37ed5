/** `normal`: standard normal draws by inverse-CDF of a uniform (JAX's `random.normal`). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { checkShapeArg, floatDtype } from "./check.js";
import { erfInv } from "./erf-inv.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { scaleUnit, unitFloats } from "./uniform.js";

/** Options of the float samplers. */
export type FloatOptions = { dtype?: "float32" | "float64" };

/** The float just above −1 in `dtype` (JAX's nextafter(−1, 0)), so erf⁻¹ never sees −1. */
const aboveMinusOne = (dtype: "float32" | "float64") => (dtype === "float32" ? -1 + 2 ** -24 : -1 + 2 ** -53);

/** √2·erf⁻¹(u) for u uniform in (−1, 1), as JAX. */
export function normalDraw(impl: ThreefryImpl, key: NdArray, shape: readonly number[], dtype: "float32" | "float64"): NdArray {
  const u = scaleUnit(unitFloats(impl, key, shape, dtype), lax.full(shape, aboveMinusOne(dtype), dtype), lax.full(shape, 1, dtype));
  return lax.mul(lax.full(shape, Math.SQRT2, dtype), erfInv(u));
}

/** Standard normal floats of `shape` (JAX's `random.normal`). */
export function normal(impl: ThreefryImpl, key: NdArray, shape: readonly number[] = [], opts: FloatOptions = {}): NdArray {
  checkKey("random.normal", key);
  return normalDraw(impl, key, checkShapeArg("random.normal", shape), floatDtype("random.normal", opts.dtype));
}
