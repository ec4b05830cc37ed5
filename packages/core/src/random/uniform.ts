/** `uniform`: floats in [minval, maxval) from random mantissa bits (JAX's `random.uniform`). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { randomBits, randomBits64 } from "./bits.js";
import { checkReal, checkShapeArg, floatDtype } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { asParam } from "./params.js";
import { bitcastConvertType, shiftRightLogical } from "./prims.js";

/** Options of `uniform`. */
export type UniformOptions = {
  /** float32 (default) or float64. */
  dtype?: "float32" | "float64";
  /** Inclusive lower bound, broadcast to the shape (default 0). */
  minval?: number | NdArray;
  /** Exclusive upper bound, broadcast to the shape (default 1). */
  maxval?: number | NdArray;
};

/**
 * Floats in [0, 1): random bits become the mantissa of a float in [1, 2), minus 1 — exact, so the
 * result is bit-identical to JAX's. float64 takes the top 52 of 64 random bits (JAX with x64), built
 * as hi·2²⁰ + lo/2¹² in float64 arithmetic, which is exact.
 */
export function unitFloats(impl: ThreefryImpl, key: NdArray, shape: readonly number[], dtype: "float32" | "float64"): NdArray {
  if (dtype === "float32") {
    const words = randomBits(impl, key, shape);
    const mantissa = shiftRightLogical(words, lax.full(shape, 9, "uint32"));
    const oneToTwo = bitcastConvertType(lax.or(mantissa, lax.full(shape, 0x3f800000, "uint32")), "float32");
    return lax.sub(oneToTwo, lax.full(shape, 1, "float32"));
  }
  const [hi, lo] = randomBits64(impl, key, shape);
  const f64 = (x: NdArray) => lax.convertElementType(x, "float64");
  const top = lax.add(lax.mul(f64(hi), lax.full(shape, 2 ** 20, "float64")), f64(shiftRightLogical(lo, lax.full(shape, 12, "uint32"))));
  return lax.mul(top, lax.full(shape, 2 ** -52, "float64"));
}

/** Uniform floats in [minval, maxval) of `shape` (JAX's `random.uniform`). */
export function uniform(impl: ThreefryImpl, key: NdArray, shape: readonly number[] = [], opts: UniformOptions = {}): NdArray {
  checkKey("random.uniform", key);
  const s = checkShapeArg("random.uniform", shape);
  const dtype = floatDtype("random.uniform", opts.dtype);
  const lo = asParam("random.uniform", checkReal("random.uniform", "minval", opts.minval ?? 0), dtype, s);
  const hi = asParam("random.uniform", checkReal("random.uniform", "maxval", opts.maxval ?? 1), dtype, s);
  return scaleUnit(unitFloats(impl, key, s, dtype), lo, hi);
}

/** `max(lo, u·(hi − lo) + lo)`: JAX's affine map, with the max guarding against rounding below lo. */
export function scaleUnit(u: NdArray, lo: NdArray, hi: NdArray): NdArray {
  return lax.max(lo, lax.add(lax.mul(u, lax.sub(hi, lo)), lo));
}
