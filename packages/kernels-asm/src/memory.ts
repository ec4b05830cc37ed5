/**
 * Host-side access to the kernels' arena. Every view of `memory.buffer` is created on demand and
 * must not outlive the next kernel call or allocation: growing memory detaches the old buffer, and
 * any kernel may grow it while taking scratch.
 */
import type { KernelExports, Ptr } from "./abi.js";
import { copyBytes } from "./copy.js";

/** Typed-array types that can move in and out of the arena. */
export type HostArray = Float32Array | Float64Array | Int32Array | Uint32Array;

type HostArrayCtor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): HostArray; readonly BYTES_PER_ELEMENT: number };

/** The arena of an instantiated kernel module, with copy-in / copy-out helpers. */
export class Arena {
  /** The module whose memory this is. */
  readonly kernels: KernelExports;

  constructor(kernels: KernelExports) {
    this.kernels = kernels;
  }

  /** The current top, to pass to `reset` later. */
  mark(): Ptr {
    return this.kernels.arena_mark();
  }

  /** Free everything allocated after `mark` (everything by default). */
  reset(mark: Ptr = 0): void {
    this.kernels.arena_reset(mark);
  }

  /** Allocate `bytes` (64-byte aligned); throws a RangeError when memory cannot grow. */
  alloc(bytes: number): Ptr {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`Arena.alloc: bytes must be a non-negative integer, got ${bytes}`);
    // Linear memory is 32-bit: larger requests would wrap when passed as an i32.
    if (bytes >= 2 ** 32) throw new RangeError(`Arena.alloc: ${bytes} bytes exceed the 4 GiB of WebAssembly memory`);
    const p = this.kernels.arena_alloc(bytes);
    if (p === 0) throw new RangeError(`Arena.alloc: cannot grow WebAssembly memory by ${bytes} bytes`);
    return p;
  }

  /** Copy `data` into fresh arena memory and return its address. */
  put(data: HostArray): Ptr {
    const p = this.alloc(data.byteLength);
    copyBytes(new Uint8Array(this.kernels.memory.buffer, p, data.byteLength), data);
    return p;
  }

  /** Copy a list of i32 (a shape, strides, a geometry record) into the arena. */
  putI32(values: ArrayLike<number>): Ptr {
    return this.put(Int32Array.from(values));
  }

  /** A view of `length` f32 at `p`: valid only until the next kernel call or allocation. */
  f32(p: Ptr, length: number): Float32Array {
    return this.view(Float32Array, p, length) as Float32Array;
  }

  /** A view of `length` f64 at `p`: valid only until the next kernel call or allocation. */
  f64(p: Ptr, length: number): Float64Array {
    return this.view(Float64Array, p, length) as Float64Array;
  }

  /** A view of `length` i32 at `p`: valid only until the next kernel call or allocation. */
  i32(p: Ptr, length: number): Int32Array {
    return this.view(Int32Array, p, length) as Int32Array;
  }

  /** A view of `length` u32 at `p`: valid only until the next kernel call or allocation. */
  u32(p: Ptr, length: number): Uint32Array {
    return this.view(Uint32Array, p, length) as Uint32Array;
  }

  private view(ctor: HostArrayCtor, p: Ptr, length: number): HostArray {
    if (p % ctor.BYTES_PER_ELEMENT !== 0) throw new RangeError(`Arena: address ${p} is not aligned to ${ctor.BYTES_PER_ELEMENT} bytes`);
    return new ctor(this.kernels.memory.buffer, p, length);
  }
}
