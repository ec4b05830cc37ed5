/** `randint`: integers in [minval, maxval) (JAX's `random.randint`). */
import { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import * as lax from "../lax/index.js";
import { broadcastTo } from "../np/convert.js";
import { randomBits } from "./bits.js";
import { checkParamShapes, checkShapeArg, describe, intDtype } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import { paramShape } from "./params.js";
import { splitList } from "./split.js";

type IntDtype = "int32" | "uint32";
const RANGE: Record<IntDtype, readonly [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] };

/** Options of `randint`. */
export type RandintOptions = { dtype?: IntDtype };

/**
 * A bound clipped into `dtype`'s range and broadcast to `shape`, with a flag for where it lay above the
 * range (JAX's `_convert_and_clip_integer`; the flag lets maxval = max + 1 still reach max).
 */
function bound(fn: string, name: string, x: number | NdArray, dtype: IntDtype, shape: readonly number[]): [NdArray, NdArray] {
  const [lo, hi] = RANGE[dtype];
  if (typeof x === "number") {
    if (!Number.isSafeInteger(x)) throw new RangeError(`${fn}: ${name} must be an integer, got ${x}`);
    return [lax.full(shape, Math.min(Math.max(x, lo), hi), dtype), lax.full(shape, x > hi, "bool")];
  }
  if (!(x instanceof NdArray) || x.dtype === "bool") throw new TypeError(`${fn}: ${name} must be an integer or an integer array, got ${describe(x)}`);
  // Floats are truncated to int32 first, as JAX's astype(int).
  const a = isFloat(x.dtype) ? lax.convertElementType(x, "int32") : x;
  let value = a;
  let above = lax.full(a.shape, false, "bool");
  if (a.dtype === "int32" && dtype === "uint32") value = lax.convertElementType(lax.max(a, lax.fullLike(a, 0)), "uint32");
  if (a.dtype === "uint32" && dtype === "int32") {
    above = lax.gt(a, lax.fullLike(a, hi));
    value = lax.convertElementType(lax.min(a, lax.fullLike(a, hi)), "int32");
  }
  return [broadcastTo(value, shape, fn), broadcastTo(above, shape, fn)];
}

/** x mod s for uint32 with XLA's x mod 0 = x (Fluxion's integer rem gives 0 there). */
function urem(x: NdArray, s: NdArray): NdArray {
  const zero = lax.eq(s, lax.zerosLike(s));
  return lax.selectN(zero, lax.rem(x, lax.selectN(zero, s, lax.fullLike(s, 1))), x);
}

/**
 * Integers uniform in [minval, maxval) of `shape` (a bound may be an array broadcast to `shape`).
 * Two 32-bit draws make a 64-bit value reduced mod (maxval − minval), as JAX does; where
 * maxval ≤ minval the result is minval.
 */
export function randint(
  impl: ThreefryImpl,
  key: NdArray,
  shape: readonly number[],
  minval: number | NdArray,
  maxval: number | NdArray,
  opts: RandintOptions = {},
): NdArray {
  const fn = "random.randint";
  checkKey(fn, key);
  const s = checkShapeArg(fn, shape);
  const dtype = intDtype(fn, opts.dtype);
  checkParamShapes(fn, s, paramShape(minval), paramShape(maxval));
  const [lo] = bound(fn, "minval", minval, dtype, s);
  const [hi, hiAbove] = bound(fn, "maxval", maxval, dtype, s);
  const u32 = (v: number) => lax.full(s, v, "uint32");
  let span = lax.convertElementType(lax.sub(hi, lo), "uint32");
  span = lax.selectN(lax.le(hi, lo), span, u32(1));
  span = lax.selectN(lax.and(hiAbove, lax.gt(hi, lo)), span, lax.add(span, u32(1)));
  // 2³² mod span, as ((2¹⁶ mod span)² mod span), to combine the high and low draws without overflow.
  let multiplier = urem(u32(2 ** 16), span);
  multiplier = urem(lax.mul(multiplier, multiplier), span);
  const [k1, k2] = splitList(impl, key, 2) as [NdArray, NdArray];
  const high = randomBits(impl, k1, s);
  const low = randomBits(impl, k2, s);
  const offset = urem(lax.add(lax.mul(urem(high, span), multiplier), urem(low, span)), span);
  return lax.add(lo, lax.convertElementType(offset, dtype));
}
