/**
 * Reference kernel for `conv_general_dilated`, plus the window-geometry helpers it shares with the
 * windowed reductions. The conv is im2col over blocks of output positions followed by contiguous dot
 * products, accumulated in float64: every layout, dilation and grouping reduces to the same two loops.
 * Integer convs are exact while partial sums stay below 2^53 in magnitude.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { alloc, contiguousStrides, data, stridedCopy, wrap } from "./util.js";

/** Geometry of one spatial dimension of a sliding window (input, window, output sizes and how they meet). */
export type WindowDim = {
  readonly inSize: number;
  readonly window: number;
  readonly outSize: number;
  readonly stride: number;
  readonly padLo: number;
  readonly lhsDilation: number;
  readonly rhsDilation: number;
  /** Distance in the flat input buffer between neighbours along this dimension. */
  readonly inStride: number;
};

/**
 * Per-dimension lookup `table[o * window + k]`: the flat input offset that output position `o` reads
 * at window position `k`, or −1 where it reads padding or a hole of the lhs dilation.
 */
export function windowTable(d: WindowDim): Int32Array {
  const t = new Int32Array(d.outSize * d.window);
  for (let o = 0; o < d.outSize; o++) {
    for (let k = 0; k < d.window; k++) {
      const pos = o * d.stride + k * d.rhsDilation - d.padLo;
      const i = pos / d.lhsDilation;
      t[o * d.window + k] = pos >= 0 && pos % d.lhsDilation === 0 && i < d.inSize ? i * d.inStride : -1;
    }
  }
  return t;
}

/**
 * Iterates the output positions of an N-d window in row-major order and, for each, fills `offs`
 * with the flat input offsets of its window positions (row-major, −1 for padding).
 */
export class WindowWalker {
  /** Number of window positions (product of window sizes). */
  readonly windowSize: number;
  /** Number of output positions (product of output sizes). */
  readonly outSize: number;
  /** Offsets of the current output position's window (valid after `fill`). */
  readonly offs: Int32Array;
  readonly #dims: readonly WindowDim[];
  readonly #tables: Int32Array[];
  readonly #idx: Int32Array;

  constructor(dims: readonly WindowDim[]) {
    this.#dims = dims;
    this.#tables = dims.map(windowTable);
    this.#idx = new Int32Array(dims.length);
    this.windowSize = dims.reduce((n, d) => n * d.window, 1);
    this.outSize = dims.reduce((n, d) => n * d.outSize, 1);
    this.offs = new Int32Array(Math.max(1, this.windowSize));
  }

  /** Position the walker at flat output position `p` (row-major) and fill `offs`. */
  seek(p: number): void {
    for (let d = this.#dims.length - 1; d >= 0; d--) {
      const n = this.#dims[d]!.outSize;
      this.#idx[d] = p % n;
      p = Math.floor(p / n);
    }
    this.fill();
  }

  /** Advance to the next output position (row-major) and fill `offs`. */
  next(): void {
    for (let d = this.#dims.length - 1; d >= 0; d--) {
      if (++this.#idx[d]! < this.#dims[d]!.outSize) break;
      this.#idx[d] = 0;
    }
    this.fill();
  }

  /** Expand the per-dimension tables into the window's offsets, one dimension at a time, in place. */
  private fill(): void {
    const offs = this.offs;
    offs[0] = 0;
    let len = 1;
    for (let d = 0; d < this.#dims.length; d++) {
      const kd = this.#dims[d]!.window;
      const t = this.#tables[d]!;
      const base = this.#idx[d]! * kd;
      // Walking backwards lets entry e expand into slots ≥ e without clobbering unread entries.
      for (let e = len - 1; e >= 0; e--) {
        const a = offs[e]!;
        for (let k = kd - 1; k >= 0; k--) {
          const v = t[base + k]!;
          offs[e * kd + k] = a < 0 || v < 0 ? -1 : a + v;
        }
      }
      len *= kd;
    }
  }
}

/** Sizes of a conv in canonical terms (batch, features, groups), read through the dimension numbers. */
type ConvGeometry = {
  o: number; i: number; nOut: number;
  fgc: number; bgc: number;
  lhsBatchStride: number; lhsFeatureStride: number;
  outBatchStride: number; outFeatureStride: number;
  dims: WindowDim[];
  /** Flat output offset of each spatial output position (row-major over the spatial dims). */
  outSpatialOffsets: Int32Array;
};

/** Read sizes and strides through the dimension numbers, so the loops never see a layout. */
function convGeometry(lhs: ConcreteArray, rhs: ConcreteArray, p: PrimParams["conv_general_dilated"], out: ShapedArray): ConvGeometry {
  const { lhs: ls, rhs: rs, out: os } = p.dimensionNumbers;
  const lStr = contiguousStrides(lhs.shape);
  const oStr = contiguousStrides(out.shape);
  const dims: WindowDim[] = ls.slice(2).map((ax, d) => ({
    inSize: lhs.shape[ax]!,
    window: rhs.shape[rs[2 + d]!]!,
    outSize: out.shape[os[2 + d]!]!,
    stride: p.windowStrides[d]!,
    padLo: p.padding[d]![0],
    lhsDilation: p.lhsDilation[d]!,
    rhsDilation: p.rhsDilation[d]!,
    inStride: lStr[ax]!,
  }));
  return {
    o: rhs.shape[rs[0]!]!, i: rhs.shape[rs[1]!]!, nOut: out.shape[os[0]!]!,
    fgc: p.featureGroupCount, bgc: p.batchGroupCount,
    lhsBatchStride: lStr[ls[0]!]!, lhsFeatureStride: lStr[ls[1]!]!,
    outBatchStride: oStr[os[0]!]!, outFeatureStride: oStr[os[1]!]!,
    dims,
    outSpatialOffsets: spatialOffsets(dims.map((d) => d.outSize), os.slice(2).map((ax) => oStr[ax]!)),
  };
}

/** Flat offsets (under `strides`) of every row-major position of `shape`. */
function spatialOffsets(shape: readonly number[], strides: readonly number[]): Int32Array {
  const total = shape.reduce((a, b) => a * b, 1);
  const offs = new Int32Array(total);
  const idx = new Int32Array(shape.length);
  for (let p = 0, off = 0; p < total; p++) {
    offs[p] = off;
    for (let d = shape.length - 1; d >= 0; d--) {
      off += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return offs;
}

/** The kernel as a float64 [O, I·K] matrix, whatever the rhs layout. */
function kernelMatrix(rhs: ConcreteArray, rhsSpec: readonly number[]): Float64Array {
  const str = contiguousStrides(rhs.shape);
  const w = new Float64Array(rhs.size);
  stridedCopy(data(rhs), 0, rhsSpec.map((ax) => str[ax]!), rhsSpec.map((ax) => rhs.shape[ax]!), w);
  return w;
}

/** Elements of the im2col buffer per block of output positions: about 512 KiB of float64. */
const BLOCK_ELEMENTS = 1 << 16;

/** `conv_general_dilated(lhs, rhs)`: N-d cross-correlation with strides, padding, dilations and groups. */
export function convGeneralDilatedKernel(inputs: readonly ConcreteArray[], params: PrimParams["conv_general_dilated"], out: ShapedArray): ConcreteArray {
  const [lhs, rhs] = [inputs[0]!, inputs[1]!];
  const y = alloc(out);
  if (out.size === 0) return wrap(y, out);
  const g = convGeometry(lhs, rhs, params, out);
  const walker = new WindowWalker(g.dims);
  const K = walker.windowSize;
  const CK = g.i * K;
  const w = kernelMatrix(rhs, params.dimensionNumbers.rhs);
  const x = data(lhs);
  // At most one of the two group counts exceeds 1, so `groups` enumerates whichever is in use.
  const groups = g.fgc * g.bgc;
  const oPerGroup = g.o / groups;
  const P = walker.outSize;
  const rows = Math.max(1, Math.min(P, Math.floor(BLOCK_ELEMENTS / Math.max(1, CK))));
  const cols = new Float64Array(rows * CK);
  for (let nOut = 0; nOut < g.nOut; nOut++) {
    for (let grp = 0; grp < groups; grp++) {
      const nIn = g.bgc > 1 ? grp * g.nOut + nOut : nOut;
      const cStart = g.fgc > 1 ? grp * g.i : 0;
      const xBase = nIn * g.lhsBatchStride + cStart * g.lhsFeatureStride;
      for (let p0 = 0; p0 < P; p0 += rows) {
        const nRows = Math.min(rows, P - p0);
        im2col(x, xBase, g.lhsFeatureStride, g.i, walker, p0, nRows, cols);
        const yBase = nOut * g.outBatchStride;
        multiplyBlock(w, cols, grp * oPerGroup, oPerGroup, CK, nRows, p0, y, yBase, g.outFeatureStride, g.outSpatialOffsets);
      }
    }
  }
  return wrap(y, out);
}

/** Fill `cols[r, c·K + k]` with the input each of `nRows` output positions reads (0 for padding). */
function im2col(x: ArrayLike<number>, xBase: number, cStride: number, nChannels: number, walker: WindowWalker, p0: number, nRows: number, cols: Float64Array): void {
  const K = walker.windowSize;
  const offs = walker.offs;
  walker.seek(p0);
  for (let r = 0; r < nRows; r++) {
    if (r > 0) walker.next();
    let q = r * nChannels * K;
    for (let c = 0; c < nChannels; c++) {
      const base = xBase + c * cStride;
      for (let k = 0; k < K; k++, q++) {
        const off = offs[k]!;
        cols[q] = off < 0 ? 0 : x[base + off]!;
      }
    }
  }
}

/** y[o, p0 + r] = Σ_q w[o, q] · cols[r, q] for the output features of one group. */
function multiplyBlock(
  w: Float64Array, cols: Float64Array, oStart: number, oCount: number, CK: number, nRows: number, p0: number,
  y: { [i: number]: number }, yBase: number, oStride: number, spatial: Int32Array,
): void {
  const oEnd = oStart + oCount;
  let o = oStart;
  // Four output features per pass: each column element loaded once feeds four products.
  for (; o + 4 <= oEnd; o += 4) {
    const [w0, w1, w2, w3] = [o * CK, (o + 1) * CK, (o + 2) * CK, (o + 3) * CK];
    const yo = yBase + o * oStride;
    for (let r = 0; r < nRows; r++) {
      const cOff = r * CK;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let q = 0; q < CK; q++) {
        const c = cols[cOff + q]!;
        s0 += w[w0 + q]! * c;
        s1 += w[w1 + q]! * c;
        s2 += w[w2 + q]! * c;
        s3 += w[w3 + q]! * c;
      }
      const at = yo + spatial[p0 + r]!;
      y[at] = s0;
      y[at + oStride] = s1;
      y[at + 2 * oStride] = s2;
      y[at + 3 * oStride] = s3;
    }
  }
  for (; o < oEnd; o++) {
    const wOff = o * CK;
    const yo = yBase + o * oStride;
    for (let r = 0; r < nRows; r++) {
      const cOff = r * CK;
      let s = 0;
      for (let q = 0; q < CK; q++) s += w[wOff + q]! * cols[cOff + q]!;
      y[yo + spatial[p0 + r]!] = s;
    }
  }
}
