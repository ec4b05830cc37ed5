/**
 * The typed ABI of build/kernels.wasm: every export's name, parameters and result, and the codes and
 * record layouts shared with the AssemblyScript side. test/abi.test.ts checks all of it against the
 * compiled module, so a change on either side that is not made on the other fails the tests.
 *
 * Conventions: pointers (`Ptr`) are byte offsets into the module's memory; shapes and strides are
 * i32 arrays in that memory; strides count elements (0 broadcasts, negative walks backwards);
 * outputs are contiguous unless a stride says otherwise; kernels that can fail return a `Status`.
 */

/** A byte offset into the kernels' linear memory. */
export type Ptr = number;

/** A kernel's result code (see `Status`). */
export type StatusCode = number;

/** Result codes, named as the module's STATUS_* globals. */
export const Status = { ok: 0, outOfMemory: 1, unsupported: 2, badGeometry: 3 } as const;

/** Unary operation codes, keyed by the core primitive each implements (module enum `UnaryOp`). */
export const UnaryOp = {
  neg: 0, abs: 1, sign: 2, floor: 3, ceil: 4, round: 5, sqrt: 6, rsqrt: 7,
  exp: 8, expm1: 9, log: 10, log1p: 11, tanh: 12, logistic: 13, erf: 14,
  sin: 15, cos: 16, tan: 17, asin: 18, acos: 19, atan: 20, sinh: 21, cosh: 22,
} as const;

/** Binary operation codes (module enum `BinaryOp`); max/min propagate NaN, pow follows C. */
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5, pow: 6, rem: 7, atan2: 8 } as const;

/** Instruction codes of fused elementwise programs (module enum `FusedOp`; see assembly/elementwise/fused.ts). */
export const FusedOp = { unary: 0, binary: 1, compare: 2, select: 3, broadcast: 4, loadU8: 5, storeU8: 6, fill: 7, copy: 8 } as const;

/** Comparison codes of `FusedOp.compare` (module enum `CompareOp`). */
export const CompareOp = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 } as const;

/** Record sizes of fused programs (module enum `FusedLayout`): words per instruction and per slot, elements per register. */
export const FusedLayout = { instrWords: 6, slotWords: 3, block: 1024 } as const;

/** Reduction codes (module enum `ReduceOp`). */
export const ReduceOp = { sum: 0, prod: 1, max: 2, min: 3 } as const;

/** Field indices of a conv geometry record, an i32[size] (module enum `ConvGeom`). */
export const ConvGeom = {
  n: 0, c: 1, h: 2, w: 3, o: 4, kh: 5, kw: 6, oh: 7, ow: 8,
  strideH: 9, strideW: 10, padH: 11, padW: 12, dilH: 13, dilW: 14, groups: 15,
  xsN: 16, xsC: 17, xsH: 18, xsW: 19, ysN: 20, ysC: 21, ysH: 22, ysW: 23,
  size: 24,
} as const;

/** Field indices of a pooling geometry record, an i32[size] (module enum `PoolGeom`). */
export const PoolGeom = {
  b: 0, h: 1, w: 2, oh: 3, ow: 4, kh: 5, kw: 6, strideH: 7, strideW: 8, padH: 9, padW: 10,
  size: 11,
} as const;

/** Every function the module exports, with its parameters named. */
export type KernelFunctions = {
  /** First byte the arena hands out. */
  arena_base(): Ptr;
  /** The arena's current top; `arena_reset(mark)` frees everything allocated after it. */
  arena_mark(): Ptr;
  /** Free everything allocated after `mark` (0 frees everything). */
  arena_reset(mark: Ptr): void;
  /** Allocate `bytes` (64-byte aligned), growing memory; 0 when it cannot grow. */
  arena_alloc(bytes: number): Ptr;

  /** C = A·B + beta·C (f32); A is m×k at `a` with element strides (rsa, csa), B k×n, C m×n; swap strides to transpose. */
  gemm_f32(m: number, n: number, k: number, a: Ptr, rsa: number, csa: number, b: Ptr, rsb: number, csb: number, beta: number, c: Ptr, rsc: number, csc: number): StatusCode;
  /** C = A·B + beta·C (f64), as `gemm_f32`. */
  gemm_f64(m: number, n: number, k: number, a: Ptr, rsa: number, csa: number, b: Ptr, rsb: number, csb: number, beta: number, c: Ptr, rsc: number, csc: number): StatusCode;
  /** Bytes of arena scratch an m×n×k `gemm_f32` (elemBytes 4) or `gemm_f64` (8) allocates. */
  gemm_scratch_bytes(m: number, n: number, k: number, elemBytes: number): number;

  /** y[i] = op(x[i]) over n contiguous f32 (y may be x). */
  unary_f32(op: number, x: Ptr, y: Ptr, n: number): StatusCode;
  /** y[i] = op(x[i]) over n contiguous f64 (no erf). */
  unary_f64(op: number, x: Ptr, y: Ptr, n: number): StatusCode;
  /** y[i] = op(a[i], b[i]) over n contiguous f32 (y may be a or b). */
  binary_f32(op: number, a: Ptr, b: Ptr, y: Ptr, n: number): StatusCode;
  /** y[i] = op(a[i], b[i]) over n contiguous f64. */
  binary_f64(op: number, a: Ptr, b: Ptr, y: Ptr, n: number): StatusCode;
  /** Contiguous y = op(view) for the f32 view (x, shape[rank], xStrides[rank]). */
  unary_strided_f32(op: number, rank: number, shape: Ptr, x: Ptr, xStrides: Ptr, y: Ptr): StatusCode;
  /** Contiguous y = op(view) for an f64 view. */
  unary_strided_f64(op: number, rank: number, shape: Ptr, x: Ptr, xStrides: Ptr, y: Ptr): StatusCode;
  /** Contiguous y = op(a, b) for two f32 views of one broadcast shape (stride 0 broadcasts). */
  binary_strided_f32(op: number, rank: number, shape: Ptr, a: Ptr, aStrides: Ptr, b: Ptr, bStrides: Ptr, y: Ptr): StatusCode;
  /** Contiguous y = op(a, b) for two f64 views. */
  binary_strided_f64(op: number, rank: number, shape: Ptr, a: Ptr, aStrides: Ptr, b: Ptr, bStrides: Ptr, y: Ptr): StatusCode;
  /** Copy a view of 4-byte elements of any dtype (bits moved unchanged) into contiguous y. */
  copy_strided_x32(rank: number, shape: Ptr, x: Ptr, xStrides: Ptr, y: Ptr): StatusCode;
  /** Copy a view of 8-byte elements into contiguous y. */
  copy_strided_x64(rank: number, shape: Ptr, x: Ptr, xStrides: Ptr, y: Ptr): StatusCode;

  /**
   * Run a fused elementwise program (`count` instructions at `prog`, FusedLayout words each) over
   * elements [0, n) of its slots (`nslots` records at `slots`); `start` offsets broadcast indices.
   */
  fused_f32(prog: Ptr, count: number, slots: Ptr, nslots: number, n: number, start: number): StatusCode;

  /** y[o, i] = op over j of x[o, j, i], x contiguous f32 [outer, n, inner] (accumulated in f64). */
  reduce_f32(op: number, x: Ptr, outer: number, n: number, inner: number, y: Ptr): StatusCode;
  /** As `reduce_f32` for f64. */
  reduce_f64(op: number, x: Ptr, outer: number, n: number, inner: number, y: Ptr): StatusCode;
  /** f64 *acc = op(*acc, op over x[0..n)), x contiguous f32: folds one chunk of a streamed full reduction. */
  reduce_fold_f32(op: number, x: Ptr, n: number, acc: Ptr): StatusCode;
  /** As `reduce_fold_f32` for f64. */
  reduce_fold_f64(op: number, x: Ptr, n: number, acc: Ptr): StatusCode;
  /** i32 y[o, i] = first j maximising (isMax = 1) or minimising x[o, j, i], a NaN winning; n ≥ 1. */
  argreduce_f32(isMax: number, x: Ptr, outer: number, n: number, inner: number, y: Ptr): void;
  /** As `argreduce_f32` for f64. */
  argreduce_f64(isMax: number, x: Ptr, outer: number, n: number, inner: number, y: Ptr): void;

  /** Softmax along the rows of contiguous f32 [rows, n] (y may be x). */
  softmax_f32(x: Ptr, y: Ptr, rows: number, n: number): void;
  /** Log-softmax along the rows of contiguous f32 [rows, n] (y may be x). */
  log_softmax_f32(x: Ptr, y: Ptr, rows: number, n: number): void;

  /** y = conv2d(x, w) (cross-correlation), f32; sizes and strides from the ConvGeom record at `geom`. */
  conv2d_forward_f32(geom: Ptr, x: Ptr, w: Ptr, y: Ptr): StatusCode;
  /** dx = conv2d's input gradient for output gradient dy, f32 (dx has x's strides, overwritten). */
  conv2d_backward_input_f32(geom: Ptr, dy: Ptr, w: Ptr, dx: Ptr): StatusCode;
  /** dw = conv2d's filter gradient for output gradient dy, f32 (contiguous [O, C/G, KH, KW], overwritten). */
  conv2d_backward_filter_f32(geom: Ptr, x: Ptr, dy: Ptr, dw: Ptr): StatusCode;
  /** As `conv2d_forward_f32` for f64. */
  conv2d_forward_f64(geom: Ptr, x: Ptr, w: Ptr, y: Ptr): StatusCode;
  /** As `conv2d_backward_input_f32` for f64. */
  conv2d_backward_input_f64(geom: Ptr, dy: Ptr, w: Ptr, dx: Ptr): StatusCode;
  /** As `conv2d_backward_filter_f32` for f64. */
  conv2d_backward_filter_f64(geom: Ptr, x: Ptr, dy: Ptr, dw: Ptr): StatusCode;
  /** Bytes of arena scratch the conv passes allocate for the geometry at `geom` (elemBytes 4 or 8); independent of N. */
  conv2d_scratch_bytes(geom: Ptr, elemBytes: number): number;
  /** Conv passes this instance has completed by Winograd's F(2×2, 3×3) (which route a geometry took, for tests and benchmarks). */
  conv2d_winograd_runs(): number;
  /** 1 when the f32 filter gradient of the geometry can be split over output channels by `conv2d_backward_filter_part_f32`, else 0. */
  conv2d_backward_filter_splits(geom: Ptr, elemBytes: number): number;
  /** Rows o0 … o1−1 (o0 a multiple of 4) of `conv2d_backward_filter_f32`'s dw, bit for bit; STATUS_UNSUPPORTED: run the whole pass instead. */
  conv2d_backward_filter_part_f32(geom: Ptr, x: Ptr, dy: Ptr, dw: Ptr, o0: number, o1: number): StatusCode;

  /** Max pooling of contiguous f32 [B, H, W] into [B, OH, OW] (PoolGeom record at `geom`). */
  maxpool2d_f32(geom: Ptr, x: Ptr, y: Ptr): void;
  /** Max pooling's adjoint: dy routed to each window's first maximal element of x (dx overwritten). */
  maxpool2d_backward_f32(geom: Ptr, x: Ptr, dy: Ptr, dx: Ptr): void;
  /** Average pooling (divides by KH·KW), f32. */
  avgpool2d_f32(geom: Ptr, x: Ptr, y: Ptr): void;
  /** Average pooling's adjoint (dx overwritten), f32. */
  avgpool2d_backward_f32(geom: Ptr, dy: Ptr, dx: Ptr): void;
  /** As `maxpool2d_f32` for f64. */
  maxpool2d_f64(geom: Ptr, x: Ptr, y: Ptr): void;
  /** As `maxpool2d_backward_f32` for f64. */
  maxpool2d_backward_f64(geom: Ptr, x: Ptr, dy: Ptr, dx: Ptr): void;
  /** As `avgpool2d_f32` for f64. */
  avgpool2d_f64(geom: Ptr, x: Ptr, y: Ptr): void;
  /** As `avgpool2d_backward_f32` for f64. */
  avgpool2d_backward_f64(geom: Ptr, dy: Ptr, dx: Ptr): void;

  /** (y0, y1) = threefry2x32((k0, k1), (x0, x1)) over n u32 counter pairs (outputs may alias inputs). */
  threefry2x32(k0: number, k1: number, x0: Ptr, x1: Ptr, y0: Ptr, y1: Ptr, n: number): void;
};

/** Name of an exported function. */
export type KernelName = keyof KernelFunctions;

/** A WebAssembly value type appearing in the ABI. */
export type ValType = "i32" | "f32" | "f64";

/** One value type per element of the parameter tuple P (a mapped type over a type parameter keeps the tuple's length). */
export type ValTypes<P extends readonly unknown[]> = { readonly [I in keyof P]: ValType };

/** The wasm-level signature of `F`: one value type per parameter (the arity is checked by the compiler). */
export type Signature<F extends (...args: never[]) => unknown> = {
  readonly params: ValTypes<Parameters<F>>;
  readonly result: ValType | null;
};

const i = "i32", f = "f32", d = "f64";
const gemmParams = (t: ValType) => [i, i, i, i, i, i, i, i, i, t, i, i, i] as const;

/** The wasm-level signature of every export; checked against the module's type section by test/abi.test.ts. */
export const SIGNATURES: { readonly [K in KernelName]: Signature<KernelFunctions[K]> } = {
  arena_base: { params: [], result: i },
  arena_mark: { params: [], result: i },
  arena_reset: { params: [i], result: null },
  arena_alloc: { params: [i], result: i },
  gemm_f32: { params: gemmParams(f), result: i },
  gemm_f64: { params: gemmParams(d), result: i },
  gemm_scratch_bytes: { params: [i, i, i, i], result: i },
  unary_f32: { params: [i, i, i, i], result: i },
  unary_f64: { params: [i, i, i, i], result: i },
  binary_f32: { params: [i, i, i, i, i], result: i },
  binary_f64: { params: [i, i, i, i, i], result: i },
  unary_strided_f32: { params: [i, i, i, i, i, i], result: i },
  unary_strided_f64: { params: [i, i, i, i, i, i], result: i },
  binary_strided_f32: { params: [i, i, i, i, i, i, i, i], result: i },
  binary_strided_f64: { params: [i, i, i, i, i, i, i, i], result: i },
  copy_strided_x32: { params: [i, i, i, i, i], result: i },
  copy_strided_x64: { params: [i, i, i, i, i], result: i },
  fused_f32: { params: [i, i, i, i, i, i], result: i },
  reduce_f32: { params: [i, i, i, i, i, i], result: i },
  reduce_f64: { params: [i, i, i, i, i, i], result: i },
  reduce_fold_f32: { params: [i, i, i, i], result: i },
  reduce_fold_f64: { params: [i, i, i, i], result: i },
  argreduce_f32: { params: [i, i, i, i, i, i], result: null },
  argreduce_f64: { params: [i, i, i, i, i, i], result: null },
  softmax_f32: { params: [i, i, i, i], result: null },
  log_softmax_f32: { params: [i, i, i, i], result: null },
  conv2d_forward_f32: { params: [i, i, i, i], result: i },
  conv2d_backward_input_f32: { params: [i, i, i, i], result: i },
  conv2d_backward_filter_f32: { params: [i, i, i, i], result: i },
  conv2d_forward_f64: { params: [i, i, i, i], result: i },
  conv2d_backward_input_f64: { params: [i, i, i, i], result: i },
  conv2d_backward_filter_f64: { params: [i, i, i, i], result: i },
  conv2d_scratch_bytes: { params: [i, i], result: i },
  conv2d_winograd_runs: { params: [], result: i },
  conv2d_backward_filter_splits: { params: [i, i], result: i },
  conv2d_backward_filter_part_f32: { params: [i, i, i, i, i, i], result: i },
  maxpool2d_f32: { params: [i, i, i], result: null },
  maxpool2d_backward_f32: { params: [i, i, i, i], result: null },
  avgpool2d_f32: { params: [i, i, i], result: null },
  avgpool2d_backward_f32: { params: [i, i, i], result: null },
  maxpool2d_f64: { params: [i, i, i], result: null },
  maxpool2d_backward_f64: { params: [i, i, i, i], result: null },
  avgpool2d_f64: { params: [i, i, i], result: null },
  avgpool2d_backward_f64: { params: [i, i, i], result: null },
  threefry2x32: { params: [i, i, i, i, i, i, i], result: null },
};

/** The linear memory as the host sees it (the slice of WebAssembly.Memory the package uses). */
export type KernelMemory = { readonly buffer: ArrayBuffer; grow(pages: number): number };

/** An instantiated module: its functions and its memory. */
export type KernelExports = KernelFunctions & { readonly memory: KernelMemory };

/**
 * The module's exported globals that mirror the constants above, as `[global name, expected value]`
 * (e.g. ["UnaryOp.EXP", 8], ["STATUS_OK", 0]); the ABI test reads each global and compares.
 */
export function abiConstants(): Array<[string, number]> {
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
  const out: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(Status)) out.push([`STATUS_${snake(k)}`, v]);
  for (const [k, v] of Object.entries(UnaryOp)) out.push([`UnaryOp.${k.toUpperCase()}`, v]);
  for (const [k, v] of Object.entries(BinaryOp)) out.push([`BinaryOp.${k.toUpperCase()}`, v]);
  for (const [k, v] of Object.entries(FusedOp)) out.push([`FusedOp.${snake(k)}`, v]);
  for (const [k, v] of Object.entries(CompareOp)) out.push([`CompareOp.${k.toUpperCase()}`, v]);
  for (const [k, v] of Object.entries(FusedLayout)) out.push([`FusedLayout.${snake(k)}`, v]);
  for (const [k, v] of Object.entries(ReduceOp)) out.push([`ReduceOp.${k.toUpperCase()}`, v]);
  for (const [k, v] of Object.entries(ConvGeom)) out.push([`ConvGeom.${snake(k)}`, v]);
  for (const [k, v] of Object.entries(PoolGeom)) out.push([`PoolGeom.${snake(k)}`, v]);
  return out;
}
