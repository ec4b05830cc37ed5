/** Reference kernels for movement primitives: iota, broadcast, reshape, transpose, rev, pad, concatenate, slice. */
import { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { alloc, contiguousStrides, data, stridedCopy, wrap } from "./util.js";
import { filledBuffer } from "./filled.js";

/** `iota`: indices along `dimension` broadcast to `shape`. */
export function iotaKernel(_inputs: readonly ConcreteArray[], params: PrimParams["iota"], out: ShapedArray): ConcreteArray {
  const y = alloc(out);
  const strides = contiguousStrides(out.shape);
  const s = strides[params.dimension] ?? 1;
  const n = out.shape[params.dimension] ?? 1;
  for (let i = 0; i < y.length; i++) y[i] = Math.floor(i / s) % n;
  return wrap(y, out);
}

/** `broadcast_in_dim`: operand dim i becomes output dim broadcastDimensions[i]. */
export function broadcastInDimKernel(inputs: readonly ConcreteArray[], params: PrimParams["broadcast_in_dim"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const src = data(x);
  if (src.length === 1) {
    // One value repeated: shared with earlier fills of the same size and value (see filled.ts). A new
    // typed array is already +0 everywhere, so a +0 fill (zerosLike) writes nothing.
    const v = src[0]!;
    return wrap(filledBuffer(out.dtype, out.size, v, () => {
      const y = alloc(out);
      if (!Object.is(v, 0)) y.fill(v);
      return y;
    }), out);
  }
  const inStrides = contiguousStrides(x.shape);
  const strides = new Array<number>(out.ndim).fill(0);
  params.broadcastDimensions.forEach((od, i) => {
    strides[od] = x.shape[i] === 1 ? 0 : inStrides[i]!;
  });
  const y = alloc(out);
  stridedCopy(src, 0, strides, out.shape, y);
  return wrap(y, out);
}

/** `reshape`: a view sharing the immutable buffer. */
export function reshapeKernel(inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray {
  return new ConcreteArray(data(inputs[0]!), out.shape, out.dtype);
}

/** `transpose` by `permutation`. */
export function transposeKernel(inputs: readonly ConcreteArray[], params: PrimParams["transpose"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const s = contiguousStrides(x.shape);
  const y = alloc(out);
  stridedCopy(data(x), 0, params.permutation.map((p) => s[p]!), out.shape, y);
  return wrap(y, out);
}

/** `rev`: reverse the listed dimensions. */
export function revKernel(inputs: readonly ConcreteArray[], params: PrimParams["rev"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const s = contiguousStrides(x.shape);
  let offset = 0;
  const strides = s.map((st, d) => {
    if (!params.dimensions.includes(d)) return st;
    offset += st * (x.shape[d]! - 1);
    return -st;
  });
  const y = alloc(out);
  if (out.size > 0) stridedCopy(data(x), offset, strides, out.shape, y);
  return wrap(y, out);
}

/** `slice` with start, limit and strides. */
export function sliceKernel(inputs: readonly ConcreteArray[], params: PrimParams["slice"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const s = contiguousStrides(x.shape);
  const offset = params.start.reduce((acc, st, d) => acc + st * s[d]!, 0);
  const y = alloc(out);
  stridedCopy(data(x), offset, s.map((st, d) => st * params.strides[d]!), out.shape, y);
  return wrap(y, out);
}

/** `pad(operand, padValue)`: low/high (possibly negative) and interior padding per dimension. */
export function padKernel(inputs: readonly ConcreteArray[], params: PrimParams["pad"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const src = data(x);
  const y = alloc(out);
  y.fill(data(inputs[1]!)[0]!);
  const rank = x.ndim;
  if (x.size === 0) return wrap(y, out);
  const outStrides = contiguousStrides(out.shape);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < src.length; i++) {
    let o = 0;
    let inside = true;
    for (let d = 0; d < rank; d++) {
      const [lo, , interior] = params.config[d]!;
      const pos = lo + idx[d]! * (interior + 1);
      if (pos < 0 || pos >= out.shape[d]!) {
        inside = false;
        break;
      }
      o += pos * outStrides[d]!;
    }
    if (inside) y[o] = src[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < x.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return wrap(y, out);
}

/** `concatenate` along `dimension`. */
export function concatenateKernel(inputs: readonly ConcreteArray[], params: PrimParams["concatenate"], out: ShapedArray): ConcreteArray {
  const y = alloc(out);
  const dim = params.dimension;
  const outer = out.shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = out.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outRow = out.shape[dim]! * inner;
  let colOffset = 0;
  for (const x of inputs) {
    const src = data(x);
    const row = x.shape[dim]! * inner;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < row; j++) y[o * outRow + colOffset + j] = src[o * row + j]!;
    }
    colOffset += row;
  }
  return wrap(y, out);
}
