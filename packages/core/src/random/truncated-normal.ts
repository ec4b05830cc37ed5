/** `truncatedNormal`: standard normal draws restricted to (lower, upper) (JAX's `random.truncated_normal`). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";
import { checkReal, checkShapeArg, floatDtype } from "./check.js";
import { erfInv } from "./erf-inv.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { nextAfter } from "./next-after.js";
import type { FloatOptions } from "./normal.js";
import { asParam, paramShape } from "./params.js";
import { scaleUnit, unitFloats } from "./uniform.js";

/**
 * Normal draws truncated to the open interval (lower, upper), by inverse CDF: u uniform in
 * [erf(lower/√2), erf(upper/√2)), then √2·erf⁻¹(u), clamped strictly inside the bounds. `shape`
 * defaults to the broadcast of the bounds' shapes.
 */
export function truncatedNormal(
  impl: ThreefryImpl,
  key: NdArray,
  lower: number | NdArray,
  upper: number | NdArray,
  shape?: readonly number[],
  opts: FloatOptions = {},
): NdArray {
  const fn = "random.truncatedNormal";
  checkKey(fn, key);
  const lo0 = checkReal(fn, "lower", lower);
  const hi0 = checkReal(fn, "upper", upper);
  const dtype = floatDtype(fn, opts.dtype);
  const s = shape === undefined ? broadcastShapes(fn, paramShape(lo0), paramShape(hi0)) : checkShapeArg(fn, shape);
  const lo = asParam(fn, lo0, dtype, s);
  const hi = asParam(fn, hi0, dtype, s);
  const sqrt2 = lax.full(s, Math.SQRT2, dtype);
  const a = lax.erf(lax.div(lo, sqrt2));
  const b = lax.erf(lax.div(hi, sqrt2));
  const out = lax.mul(sqrt2, erfInv(scaleUnit(unitFloats(impl, key, s, dtype), a, b)));
  const inside = lax.max(out, nextAfter(lax.stopGradient(lo), true));
  return lax.min(inside, nextAfter(lax.stopGradient(hi), false));
}
