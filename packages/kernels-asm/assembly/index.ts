/** The module's exports: every kernel of the ABI described in src/abi.ts. */
export { arena_base, arena_mark, arena_reset, arena_alloc } from "./arena";
export { STATUS_OK, STATUS_OUT_OF_MEMORY, STATUS_UNSUPPORTED, STATUS_BAD_GEOMETRY } from "./status";
export { UnaryOp, BinaryOp, ReduceOp } from "./elementwise/ops";
export { ConvGeom, PoolGeom } from "./nn/geometry";
export { gemm_f32, gemm_f64, gemm_scratch_bytes } from "./gemm/gemm";
export { unary_f32, unary_f64 } from "./elementwise/unary";
export { binary_f32, binary_f64 } from "./elementwise/binary";
export {
  unary_strided_f32, unary_strided_f64, binary_strided_f32, binary_strided_f64, copy_strided_x32, copy_strided_x64,
} from "./elementwise/strided";
export { fused_f32, FusedOp, CompareOp, FusedLayout } from "./elementwise/fused";
export { reduce_f32, reduce_f64, reduce_fold_f32, reduce_fold_f64, argreduce_f32, argreduce_f64 } from "./reduce";
export { softmax_f32, log_softmax_f32 } from "./nn/softmax";
export {
  conv2d_forward_f32, conv2d_backward_input_f32, conv2d_backward_filter_f32,
  conv2d_forward_f64, conv2d_backward_input_f64, conv2d_backward_filter_f64, conv2d_scratch_bytes, conv2d_winograd_runs,
  conv2d_backward_filter_splits, conv2d_backward_filter_part_f32,
} from "./nn/conv2d";
export {
  maxpool2d_f32, maxpool2d_backward_f32, avgpool2d_f32, avgpool2d_backward_f32,
  maxpool2d_f64, maxpool2d_backward_f64, avgpool2d_f64, avgpool2d_backward_f64,
} from "./nn/pool2d";
export { threefry2x32 } from "./random/threefry";
