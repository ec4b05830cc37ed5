/**
 * A bump arena over the module's linear memory, from the end of static data upward. The host
 * allocates operands here, kernels take their scratch from above the host's allocations and give it
 * back before returning. Growing memory detaches every JS view of `memory.buffer`, which is why the
 * host never keeps one across a call.
 */

/** Alignment of every allocation: a cache line, so SIMD loads of packed panels never split lines. */
const ALIGN: usize = 64;

// The first free byte; 0 until first use because `__heap_base` is only known after linking.
let top: usize = 0;

/** Round `n` up to a multiple of ALIGN. */
function alignUp(n: usize): usize {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/** First byte the arena hands out (after static data). */
export function arena_base(): usize {
  return alignUp(__heap_base);
}

/** The current top of the arena: pass it to `arena_reset` to free everything allocated after it. */
export function arena_mark(): usize {
  if (top == 0) top = arena_base();
  return top;
}

/** Free everything allocated after `mark` (a value returned by `arena_mark`; 0 frees everything). */
export function arena_reset(mark: usize): void {
  const base = arena_base();
  top = mark < base ? base : alignUp(mark);
}

/** Allocate `bytes` (64-byte aligned), growing memory as needed; returns 0 when memory cannot grow. */
export function arena_alloc(bytes: usize): usize {
  const p = arena_mark();
  const end = p + alignUp(bytes);
  // Past 4 GiB the address wraps; treat it as out of memory rather than handing out overlapping ranges.
  if (end < p) return 0;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return p;
}
