/**
 * Byte copies between host arrays and WebAssembly memory that stay fast when the memory is shared.
 *
 * V8 copies into or out of a SharedArrayBuffer with relaxed-atomic word moves rather than memcpy:
 * 256 KB in cache takes 10.7 µs with `TypedArray.prototype.set`, against 2.5 µs between plain
 * buffers (copies of many megabytes are bound by DRAM and differ less: 16 MB took 0.73 ms either
 * way on this VM). Node's `Buffer.prototype.fill` with a buffer value is a plain memcpy whatever
 * backs either side (2.7 µs), so large copies touching shared memory go through it where Node's
 * Buffer exists. Nothing else runs on that memory during a copy (the pool's workers only run inside
 * a kernel call), so no atomicity is lost.
 */

type NodeBufferCtor = { from(buffer: ArrayBufferLike, byteOffset: number, length: number): { fill(value: Uint8Array): unknown } };
const NodeBuffer = (globalThis as { Buffer?: NodeBufferCtor }).Buffer;

/** Below this many bytes a Buffer wrapper costs more than the slower copy saves. */
const MIN_FILL_BYTES = 4096;

const isShared = (b: ArrayBufferLike): boolean => typeof SharedArrayBuffer !== "undefined" && b instanceof SharedArrayBuffer;

/** Copy the bytes of `src` over those of `dst` (equal byte lengths, non-overlapping), fast also on shared memory. */
export function copyBytes(dst: ArrayBufferView, src: ArrayBufferView): void {
  const n = src.byteLength;
  if (dst.byteLength !== n) throw new RangeError(`copyBytes: destination has ${dst.byteLength} bytes, source ${n}; copy equal lengths`);
  if (NodeBuffer !== undefined && n >= MIN_FILL_BYTES && (isShared(dst.buffer) || isShared(src.buffer))) {
    NodeBuffer.from(dst.buffer, dst.byteOffset, n).fill(new Uint8Array(src.buffer, src.byteOffset, n));
    return;
  }
  new Uint8Array(dst.buffer, dst.byteOffset, n).set(new Uint8Array(src.buffer, src.byteOffset, n));
}
