/** Distribution parameters (numbers or arrays) as arrays of the sample dtype and shape. */
import type { NdArray } from "../array.js";
import type { DType } from "../dtype.js";
import * as lax from "../lax/index.js";
import { broadcastTo } from "../np/convert.js";
import { checkParamShapes } from "./check.js";

/** The shape of a parameter ([] for a JS number). */
export const paramShape = (x: number | NdArray): readonly number[] => (typeof x === "number" ? [] : x.shape);

/** `x` cast to `dtype` (a JS number rounds as `dtype` stores it) and broadcast to `shape`. */
export function asParam(fn: string, x: number | NdArray, dtype: DType, shape: readonly number[]): NdArray {
  if (typeof x === "number") return lax.full(shape, x, dtype);
  checkParamShapes(fn, shape, x.shape);
  return broadcastTo(lax.convertElementType(x, dtype), shape, fn);
}
