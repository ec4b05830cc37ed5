/** Building the geometry records that the conv and pooling kernels read (layouts in abi.ts). */
import { ConvGeom, PoolGeom } from "./abi.js";

/** Row-major strides (in elements) of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let i = shape.length - 1, acc = 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Output length of a window sliding over `size` with `stride`, padding (lo, hi) and dilation. */
export function windowOutputSize(size: number, window: number, stride: number, padLo: number, padHi: number, dilation = 1): number {
  const span = dilation * (window - 1) + 1;
  return Math.max(0, Math.floor((size + padLo + padHi - span) / stride) + 1);
}

/** A 2-d convolution: logical sizes in NCHW terms, and the element strides of x and y in that order. */
export type ConvGeometry = {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number; oh: number; ow: number;
  strideH: number; strideW: number; padH: number; padW: number; dilH: number; dilW: number; groups: number;
  /** Strides of x along (N, C, H, W): contiguousStrides([n, c, h, w]) for NCHW. */
  xStrides: readonly [number, number, number, number];
  /** Strides of y along (N, O, OH, OW). */
  yStrides: readonly [number, number, number, number];
};

/** Options of `nchwConv`: per-axis strides, (lo, hi) padding and dilations, and the group count. */
export type ConvOptions = {
  stride?: readonly [number, number];
  padding?: readonly [readonly [number, number], readonly [number, number]];
  dilation?: readonly [number, number];
  groups?: number;
};

/** The geometry of a conv of contiguous NCHW x [n, c, h, w] with an [o, c/groups, kh, kw] filter into contiguous NCHW y. */
export function nchwConv(x: readonly number[], w: readonly number[], opts: ConvOptions = {}): ConvGeometry {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, , kh, kw] = w as [number, number, number, number];
  const [sh, sw] = opts.stride ?? [1, 1];
  const [[pt, pb], [pl, pr]] = opts.padding ?? [[0, 0], [0, 0]];
  const [dh, dw] = opts.dilation ?? [1, 1];
  const oh = windowOutputSize(h, kh, sh, pt, pb, dh);
  const ow = windowOutputSize(wd, kw, sw, pl, pr, dw);
  return {
    n, c, h, w: wd, o, kh, kw, oh, ow, strideH: sh, strideW: sw, padH: pt, padW: pl, dilH: dh, dilW: dw, groups: opts.groups ?? 1,
    xStrides: contiguousStrides([n, c, h, wd]) as [number, number, number, number],
    yStrides: contiguousStrides([n, o, oh, ow]) as [number, number, number, number],
  };
}

/** The i32 record the conv kernels read. */
export function encodeConv(g: ConvGeometry): Int32Array {
  const r = new Int32Array(ConvGeom.size);
  const G = ConvGeom;
  r[G.n] = g.n; r[G.c] = g.c; r[G.h] = g.h; r[G.w] = g.w; r[G.o] = g.o; r[G.kh] = g.kh; r[G.kw] = g.kw;
  r[G.oh] = g.oh; r[G.ow] = g.ow; r[G.strideH] = g.strideH; r[G.strideW] = g.strideW;
  r[G.padH] = g.padH; r[G.padW] = g.padW; r[G.dilH] = g.dilH; r[G.dilW] = g.dilW; r[G.groups] = g.groups;
  [r[G.xsN], r[G.xsC], r[G.xsH], r[G.xsW]] = g.xStrides;
  [r[G.ysN], r[G.ysC], r[G.ysH], r[G.ysW]] = g.yStrides;
  return r;
}

/** A 2-d pooling window over contiguous [b, h, w] planes. */
export type PoolGeometry = {
  b: number; h: number; w: number; oh: number; ow: number; kh: number; kw: number;
  strideH: number; strideW: number; padH: number; padW: number;
};

/** The geometry of pooling [b, h, w] with a kh×kw window, strides and (lo, hi) padding per axis. */
export function pool2d(
  [b, h, w]: readonly [number, number, number], [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number] = [kh, kw],
  [[pt, pb], [pl, pr]]: readonly [readonly [number, number], readonly [number, number]] = [[0, 0], [0, 0]],
): PoolGeometry {
  return {
    b, h, w, kh, kw, strideH: sh, strideW: sw, padH: pt, padW: pl,
    oh: windowOutputSize(h, kh, sh, pt, pb), ow: windowOutputSize(w, kw, sw, pl, pr),
  };
}

/** The i32 record the pooling kernels read. */
export function encodePool(g: PoolGeometry): Int32Array {
  const r = new Int32Array(PoolGeom.size);
  const P = PoolGeom;
  r[P.b] = g.b; r[P.h] = g.h; r[P.w] = g.w; r[P.oh] = g.oh; r[P.ow] = g.ow; r[P.kh] = g.kh; r[P.kw] = g.kw;
  r[P.strideH] = g.strideH; r[P.strideW] = g.strideW; r[P.padH] = g.padH; r[P.padW] = g.padW;
  return r;
}
