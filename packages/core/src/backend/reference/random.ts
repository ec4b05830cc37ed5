/** Reference kernels for the bit-level primitives behind `random`: shifts, bitcasts and the Threefry-2x32 hash. */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { allocate } from "../../dtype.js";
import { alloc, contiguousStrides, data, stridedCopy, wrap } from "./util.js";

/**
 * `shift_left`: XLA semantics, so a shift amount outside [0, 32) (read as unsigned) gives 0 — JS's
 * `<<` would take the amount mod 32 instead. Storing into the Int32Array/Uint32Array output wraps.
 */
export function shiftLeftKernel(inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray {
  const x = data(inputs[0]!);
  const s = data(inputs[1]!);
  const y = alloc(out);
  for (let i = 0; i < y.length; i++) {
    const k = s[i]! >>> 0;
    y[i] = k >= 32 ? 0 : x[i]! << k;
  }
  return wrap(y, out);
}

/** `shift_right_logical`: zero-filling right shift; amounts outside [0, 32) give 0 (XLA), not amount mod 32 (JS). */
export function shiftRightLogicalKernel(inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray {
  const x = data(inputs[0]!);
  const s = data(inputs[1]!);
  const y = alloc(out);
  for (let i = 0; i < y.length; i++) {
    const k = s[i]! >>> 0;
    y[i] = k >= 32 ? 0 : x[i]! >>> k;
  }
  return wrap(y, out);
}

/**
 * `bitcast_convert_type`: reinterpret the bytes (same width). The copy goes through the bytes rather
 * than through JS numbers, so NaN payloads and negative zeros survive.
 */
export function bitcastConvertTypeKernel(inputs: readonly ConcreteArray[], _p: unknown, out: ShapedArray): ConcreteArray {
  const x = data(inputs[0]!);
  const y = allocate(out.dtype, out.size);
  new Uint8Array(y.buffer, y.byteOffset, y.byteLength).set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return wrap(y, out);
}

/** Rotation amounts of Threefry-2x32's 20 rounds (Salmon et al. 2011, as Random123 and JAX). */
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;
/** Key-schedule parity constant of Threefry-2x32. */
const PARITY = 0x1bd11bda;

/** Read `x` broadcast (NumPy rules, right-aligned) to `shape` as a contiguous Uint32Array. */
function broadcastWords(x: ConcreteArray, shape: readonly number[]): Uint32Array {
  const src = data(x);
  const own = contiguousStrides(x.shape);
  const lead = shape.length - x.ndim;
  const strides = shape.map((_, j) => (j < lead || x.shape[j - lead] === 1 ? 0 : own[j - lead]!));
  const n = shape.reduce((a, b) => a * b, 1);
  const dst = new Uint32Array(n);
  stridedCopy(src, 0, strides, shape, dst);
  return dst;
}

/**
 * Threefry-2x32 with 20 rounds on every element: inputs key0, key1, x0, x1 (uint32, broadcast to the
 * output shape), outputs the two hashed words. Adds wrap to 32 bits through `>>> 0` (modular for
 * the signed intermediates that `<<` and `^` produce too).
 */
export function threefry2x32Words(inputs: readonly ConcreteArray[], out: ShapedArray): [Uint32Array, Uint32Array] {
  const [k0, k1, x0, x1] = inputs.map((a) => broadcastWords(a, out.shape)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const n = x0.length;
  const y0 = new Uint32Array(n);
  const y1 = new Uint32Array(n);
  const ks = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    ks[0] = k0[i]!;
    ks[1] = k1[i]!;
    ks[2] = (ks[0] ^ ks[1] ^ PARITY) >>> 0;
    let a = (x0[i]! + ks[0]) >>> 0;
    let b = (x1[i]! + ks[1]) >>> 0;
    for (let block = 0; block < 5; block++) {
      const base = (block & 1) * 4;
      for (let r = 0; r < 4; r++) {
        const rot = ROTATIONS[base + r]!;
        a = (a + b) >>> 0;
        b = ((b << rot) | (b >>> (32 - rot))) ^ a;
      }
      // Key injection after every 4 rounds: the schedule rotates through ks and adds the block count.
      a = (a + ks[(block + 1) % 3]!) >>> 0;
      b = (b + ks[(block + 2) % 3]! + block + 1) >>> 0;
    }
    y0[i] = a;
    y1[i] = b;
  }
  return [y0, y1];
}
