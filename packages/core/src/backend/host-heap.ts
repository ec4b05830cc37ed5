/**
 * Priming glibc's heap for array-sized allocations.
 *
 * Every Fluxion array owns a fresh typed array, which Node allocates with calloc (malloc for results
 * that are overwritten whole, see uninit.ts). glibc serves a block of 128 KiB or more with its own mmap
 * and unmaps it on free, and it returns the heap's free top to the kernel once that exceeds the trim
 * threshold. So a loop that makes a new 3 MB result per call pays
 * for every page of it again, as a zero-fill page fault per 4 KiB. On a VM with free-page reporting, a
 * fault costs ~12 µs; 784 of them turned a 0.9 ms jitted conv into 9.8 ms.
 *
 * glibc raises both limits by itself: freeing an mmapped block of up to 32 MiB sets the mmap threshold
 * to that block's size and the trim threshold to twice it (mallopt(3), "dynamic mmap threshold"). One
 * untouched 31 MiB buffer, dropped, makes that happen as soon as the garbage collector frees it.
 * Blocks up to 31 MiB then come from the heap, and up to 62 MiB of freed memory stays mapped for
 * reuse. This is what the first freed large array does anyway; priming only makes it happen before
 * the first workload. Nothing is touched, so it costs no memory, and it does nothing where the
 * thresholds were set explicitly (GLIBC_TUNABLES, mallopt) or on another allocator.
 */

/** Bytes of the priming buffer: under glibc's 32 MiB cap on the dynamic threshold, with room for the block header and page rounding. */
export const HOST_HEAP_PRIME_BYTES = 31 * 2 ** 20;

let primed = false;

/** Whether this is Node on Linux, where glibc's allocator (or musl's, where priming is harmless) backs ArrayBuffers. */
function nodeOnLinux(): boolean {
  const p = (globalThis as { process?: { platform?: string; release?: { name?: string } } }).process;
  return p?.release?.name === "node" && p.platform === "linux";
}

/**
 * Raise glibc's dynamic mmap and trim thresholds once per process (see the file comment): allocate and
 * drop an untouched 31 MiB buffer. Returns true when it did so now, false when already primed or
 * when the runtime is not Node on Linux.
 */
export function primeHostHeap(): boolean {
  if (primed || !nodeOnLinux()) return false;
  primed = true;
  // Allocated and dropped at once: the block is freed (and the thresholds raised) at the next GC.
  void new ArrayBuffer(HOST_HEAP_PRIME_BYTES);
  return true;
}
