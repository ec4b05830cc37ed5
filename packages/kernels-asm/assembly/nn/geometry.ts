/**
 * Geometry records of the convolution and pooling kernels: i32 arrays in linear memory whose field
 * order is fixed here and exported (as "ConvGeom.KH", …) so src/abi.ts is checked against it.
 */

/** Fields of a 2-d convolution's geometry; strides are in elements, so NCHW and NHWC activations both fit. */
export enum ConvGeom {
  N = 0, C = 1, H = 2, W = 3, O = 4, KH = 5, KW = 6, OH = 7, OW = 8,
  STRIDE_H = 9, STRIDE_W = 10, PAD_H = 11, PAD_W = 12, DIL_H = 13, DIL_W = 14, GROUPS = 15,
  XS_N = 16, XS_C = 17, XS_H = 18, XS_W = 19, YS_N = 20, YS_C = 21, YS_H = 22, YS_W = 23,
  SIZE = 24,
}

/** Fields of a 2-d pooling window's geometry over contiguous [B, H, W] planes (B = batch·channels). */
export enum PoolGeom {
  B = 0, H = 1, W = 2, OH = 3, OW = 4, KH = 5, KW = 6, STRIDE_H = 7, STRIDE_W = 8, PAD_H = 9, PAD_W = 10,
  SIZE = 11,
}

/** Field `f` of the i32 record at `g`. */
export function field(g: usize, f: i32): i32 {
  return load<i32>(g + (<usize>f << 2));
}
