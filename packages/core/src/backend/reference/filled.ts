/**
 * Buffers of one repeated value (zerosLike, onesLike, a scalar broadcast against a large operand),
 * shared between calls while any array still holds them. Arrays are immutable, so a second `full`
 * of the same shape and value can reuse the first one's buffer instead of allocating and filling
 * another: in eager mode every `x.add(1)`, `where(p, x, zerosLike(x))` and forward-mode zero tangent
 * broadcasts its scalar to the operand's size, and on a machine where first-touching a fresh page is
 * slow (9–12 µs per 4 KiB here) a 6 MB fill costs milliseconds. Held weakly: an unused buffer is
 * collected as usual.
 */
import type { DType, DataArray } from "../../dtype.js";

/** Smaller fills are cheaper to redo than to look up. */
const MIN_ELEMENTS = 4096;

/** Distinct (dtype, size, value) entries kept before the table is cleared (their buffers are held weakly anyway). */
const MAX_ENTRIES = 256;

const cache = new Map<string, WeakRef<DataArray>>();
const bits = new Float64Array(1);
const bitsU32 = new Uint32Array(bits.buffer);

/** A buffer of `n` elements of `dtype`, every one `value`, from the cache or made by `make` (and then cached). */
export function filledBuffer(dtype: DType, n: number, value: number, make: () => DataArray): DataArray {
  if (n < MIN_ELEMENTS) return make();
  // The value's f64 bits, so −0 and +0 (and NaN payloads) stay distinct keys.
  bits[0] = value;
  const key = `${dtype}:${n}:${bitsU32[0]}:${bitsU32[1]}`;
  const hit = cache.get(key)?.deref();
  if (hit) return hit;
  const buf = make();
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, new WeakRef(buf));
  return buf;
}
