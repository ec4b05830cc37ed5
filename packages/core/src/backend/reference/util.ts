/** Shared helpers for the reference kernels. */
import { ConcreteArray, bufferOf } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { type DataArray, allocate } from "../../dtype.js";
import type { Shape } from "../../shape.js";

/** Read a concrete array's buffer (never mutate it). */
export const data = (x: ConcreteArray): DataArray => bufferOf(x);

/** Wrap a freshly written buffer as the output `out`. */
export function wrap(buf: DataArray, out: ShapedArray): ConcreteArray {
  return new ConcreteArray(buf, out.shape, out.dtype);
}

/** Allocate the output buffer for `out`. */
export function alloc(out: ShapedArray): DataArray {
  return allocate(out.dtype, out.size);
}

/**
 * Copy `src` read at `offset + Σ idx[d]·strides[d]` into a contiguous `dst` of `shape`.
 * Transpose, broadcast (stride 0), reverse (negative stride) and strided slicing are all this loop.
 */
export function stridedCopy(src: ArrayLike<number>, offset: number, strides: readonly number[], shape: Shape, dst: { [i: number]: number }): void {
  const n = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (n === 0) {
    dst[0] = src[offset]!;
    return;
  }
  const idx = new Int32Array(n);
  const last = n - 1;
  const sLast = strides[last]!;
  const dLast = shape[last]!;
  let p = offset;
  let o = 0;
  for (;;) {
    for (let j = 0, q = p; j < dLast; j++, q += sLast) dst[o++] = src[q]!;
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      p += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      p -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Row-major strides of `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** `src` with axes permuted by `perm`, as a new contiguous buffer of the same type. */
export function permuted(src: DataArray, shape: Shape, perm: readonly number[]): DataArray {
  const strides = contiguousStrides(shape);
  const outShape = perm.map((p) => shape[p]!);
  const dst = new (src.constructor as new (n: number) => DataArray)(src.length);
  stridedCopy(src, 0, perm.map((p) => strides[p]!), outShape, dst);
  return dst;
}
