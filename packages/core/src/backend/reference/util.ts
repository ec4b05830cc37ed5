/** Shared helpers for the reference kernels. */
import { ConcreteArray, bufferOf } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { type DataArray, allocate } from "../../dtype.js";
import type { Shape } from "../../shape.js";
import { allocateUninit } from "../../uninit.js";

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

/** Storage for `out` with unspecified contents, for a kernel that writes every element (no zero-fill; see uninit.ts). */
export function allocOut(out: ShapedArray): DataArray {
  return allocateUninit(out.dtype, out.size);
}

/**
 * Copy `src` read at `offset + Σ idx[d]·strides[d]` into a contiguous `dst` of `shape`.
 * Transpose, broadcast (stride 0), reverse (negative stride) and strided slicing are all this loop.
 * Dims that are contiguous in `src` are merged first; unit-stride rows then move as block copies,
 * stride-0 rows as fills, and a 2-d transpose in cache-sized tiles.
 */
export function stridedCopy(src: ArrayLike<number>, offset: number, strides: readonly number[], shape: Shape, dst: { [i: number]: number }): void {
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const [dims, st] = collapse(shape, strides);
  const n = dims.length;
  if (n === 0) {
    dst[0] = src[offset]!;
    return;
  }
  const last = n - 1;
  const sLast = st[last]!;
  const dLast = dims[last]!;
  const typed = ArrayBuffer.isView(src) && ArrayBuffer.isView(dst) && (src as object).constructor === (dst as object).constructor;
  if (typed && n === 2 && sLast !== 1 && sLast !== 0 && st[0] === 1) {
    transposeTiles(src as Float64Array, offset, dims[0]!, dLast, sLast, dst as Float64Array);
    return;
  }
  // Long unit-stride or stride-0 rows: one block copy or fill per row.
  const rowMode = typed && dLast >= 8 ? (sLast === 1 ? 1 : sLast === 0 ? 2 : 0) : 0;
  const idx = new Int32Array(n);
  let p = offset;
  let o = 0;
  for (;;) {
    if (rowMode === 1) {
      (dst as Float64Array).set((src as Float64Array).subarray(p, p + dLast), o);
      o += dLast;
    } else if (rowMode === 2) {
      (dst as Float64Array).fill(src[p]!, o, o + dLast);
      o += dLast;
    } else for (let j = 0, q = p; j < dLast; j++, q += sLast) dst[o++] = src[q]!;
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      p += st[d]!;
      if (idx[d]! < dims[d]!) break;
      p -= st[d]! * dims[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Drop unit dims and merge neighbours that are contiguous in the source (stride[d] = stride[d+1]·shape[d+1]). */
function collapse(shape: Shape, strides: readonly number[]): [number[], number[]] {
  const dims: number[] = [];
  const st: number[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const k = dims.length - 1;
    if (k >= 0 && st[k] === strides[d]! * size) {
      dims[k] = dims[k]! * size;
      st[k] = strides[d]!;
    } else {
      dims.push(size);
      st.push(strides[d]!);
    }
  });
  return [dims, st];
}

/** dst[i, j] = src[offset + i + j·colStride] for an rows×cols output, in 32×32 tiles so both sides stay in cache. */
function transposeTiles(src: Float64Array, offset: number, rows: number, cols: number, colStride: number, dst: Float64Array): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0, q = offset + i + j0 * colStride; j < j1; j++, q += colStride) dst[row + j] = src[q]!;
      }
    }
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
