/**
 * Buffers for results that a kernel is about to overwrite whole.
 *
 * `new Float32Array(n)` zero-fills: glibc's calloc clears a block it reuses from its heap, so a 4 MB
 * result costs a 4 MB memset before the copy out of wasm memory writes every byte again (measured in
 * a loop of 4 MB allocate-and-copy: 0.26 → 0.16 ms median with the zeroing skipped). Node's
 * `Buffer.allocUnsafeSlow` hands out the same GC-owned ArrayBuffer without the clearing.
 *
 * Only call sites that write every element before anything reads the array may use this. Tests set
 * FLUXION_POISON_UNINIT=1 (vitest.config.ts), which fills these buffers with 0xFF bytes (NaN, −1, or
 * an invalid bool 255), so an element a kernel forgot to write shows up instead of reading as 0.
 */
import type { DataArray, DType } from "./dtype.js";
import { ITEM_BYTES, allocate } from "./dtype.js";

/** Below this many bytes V8 keeps typed arrays on its own heap, where zeroing is cheap. */
const MIN_BYTES = 1 << 16;

type NodeBuffer = { buffer: ArrayBuffer; byteOffset: number; fill(v: number): unknown };
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): NodeBuffer } }).Buffer;
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
const poison = env?.FLUXION_POISON_UNINIT === "1";

/** An `n`-element buffer for `dtype` with unspecified contents, for a caller that writes every element before it is read. */
export function allocateUninit(dtype: DType, n: number): DataArray {
  const bytes = n * ITEM_BYTES[dtype];
  if (!nodeBuffer || bytes < MIN_BYTES) return poisoned(allocate(dtype, n));
  const b = nodeBuffer.allocUnsafeSlow(bytes);
  if (poison) b.fill(0xff);
  switch (dtype) {
    case "float32":
      return new Float32Array(b.buffer, b.byteOffset, n);
    case "float64":
      return new Float64Array(b.buffer, b.byteOffset, n);
    case "int32":
      return new Int32Array(b.buffer, b.byteOffset, n);
    case "uint32":
      return new Uint32Array(b.buffer, b.byteOffset, n);
    case "bool":
      return new Uint8Array(b.buffer, b.byteOffset, n);
  }
}

// Under FLUXION_POISON_UNINIT, small buffers are poisoned too, so the check covers every size.
function poisoned(a: DataArray): DataArray {
  if (poison) new Uint8Array(a.buffer, a.byteOffset, a.byteLength).fill(0xff);
  return a;
}

/** A fresh host array holding a copy of `src` (its dtype's width), without zero-filling it first. */
export function copyOf(dtype: DType, src: ArrayLike<number> & { length: number }): DataArray {
  const y = allocateUninit(dtype, src.length);
  y.set(src);
  return y;
}
