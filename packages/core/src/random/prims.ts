/**
 * The bit-level primitives behind `random` as functions (JAX's `lax.shift_left`,
 * `lax.shift_right_logical`, `lax.bitcast_convert_type` and `threefry2x32_p`).
 */
import type { NdArray } from "../array.js";
import type { DType } from "../dtype.js";
import { bind, bind1 } from "../trace.js";

const none = {} as Record<string, never>;

/** `x << s` elementwise (int32/uint32, equal shapes); shifts of 32 or more give 0. */
export const shiftLeft = (x: NdArray, s: NdArray): NdArray => bind1("shift_left", [x, s], none);

/** `x >>> s` elementwise (zero-filling); shifts of 32 or more give 0. */
export const shiftRightLogical = (x: NdArray, s: NdArray): NdArray => bind1("shift_right_logical", [x, s], none);

/** Reinterpret the bits of `x` as `newDtype` (same width: float32/int32/uint32). */
export const bitcastConvertType = (x: NdArray, newDtype: DType): NdArray =>
  x.dtype === newDtype ? x : bind1("bitcast_convert_type", [x], { newDtype });

/** Threefry-2x32 of the counter pairs (x0, x1) under key (key0, key1); uint32 operands broadcast together. */
export function threefry2x32(key0: NdArray, key1: NdArray, x0: NdArray, x1: NdArray): [NdArray, NdArray] {
  const [y0, y1] = bind("threefry2x32", [key0, key1, x0, x1], none);
  return [y0!, y1!];
}
