/**
 * Strided (broadcasting) elementwise kernels: inputs are views given by (pointer, shape, strides in
 * elements; 0 broadcasts, negative walks backwards), the output is contiguous of the same shape.
 * Adjacent dimensions that every input walks contiguously are merged first, then each innermost row
 * is gathered into contiguous memory (unless it already is) and handed to the contiguous kernel.
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { STATUS_OUT_OF_MEMORY } from "../status";
import { binary_f32, binary_f64 } from "./binary";
import { unary_f32, unary_f64 } from "./unary";

/** Elements per gathered block of the second binary operand: 8 KiB of f64, comfortably in L1. */
const BLOCK: i32 = 1024;

// Collapsed geometry, written by `collapse` into arena scratch: rank, then shape, then strides of
// up to two inputs (the output is always contiguous, so it never blocks a merge).
function collapse(rank: i32, shape: usize, sa: usize, sb: usize, out: usize): i32 {
  let r = 0;
  for (let d = 0; d < rank; d++) {
    const n = load<i32>(shape + (<usize>d << 2));
    if (n == 0) return -1;
    if (n == 1) continue;
    const a = load<i32>(sa + (<usize>d << 2));
    const b = sb != 0 ? load<i32>(sb + (<usize>d << 2)) : 0;
    if (r > 0) {
      const pn = load<i32>(out + (<usize>(r - 1) << 2));
      const pa = load<i32>(out + (<usize>(rank + r - 1) << 2));
      const pb = load<i32>(out + (<usize>(2 * rank + r - 1) << 2));
      if (pa == a * n && pb == b * n) {
        // The previous (outer) dimension steps exactly over this one: fold it in.
        store<i32>(out + (<usize>(r - 1) << 2), pn * n);
        store<i32>(out + (<usize>(rank + r - 1) << 2), a);
        store<i32>(out + (<usize>(2 * rank + r - 1) << 2), b);
        continue;
      }
    }
    store<i32>(out + (<usize>r << 2), n);
    store<i32>(out + (<usize>(rank + r) << 2), a);
    store<i32>(out + (<usize>(2 * rank + r) << 2), b);
    r++;
  }
  return r;
}

// dst[0:n] = src[0], src[s], src[2s], … (s = 0 fills with src[0]).
function gather<T>(src: usize, s: isize, n: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  const step = s * sz;
  for (let i = 0; i < n; i++) {
    store<T>(dst + <usize>(<isize>i * sz), load<T>(src));
    src += <usize>step;
  }
}

/**
 * Walk the rows of a strided view pair. For each innermost row calls `row(code, pa, sa, pb, sb, y, len)`
 * with element strides, where y is the row's place in the contiguous output. Returns 0, −1 for an
 * empty view, or the first non-zero status a row returned.
 */
function walk<T>(code: i32, rank: i32, shape: usize, a: usize, sa: usize, b: usize, sb: usize, y: usize, scratch: usize, binaryKind: bool): i32 {
  const sz = <isize>sizeof<T>();
  const geo = scratch;
  const r = collapse(rank, shape, sa, sb, geo);
  if (r < 0) return 0;
  if (r == 0) return rowOp<T>(code, a, 1, b, 1, y, 1, scratch + (<usize>(3 * rank + 1) << 2), binaryKind);
  const len = load<i32>(geo + (<usize>(r - 1) << 2));
  const ra = <isize>load<i32>(geo + (<usize>(rank + r - 1) << 2));
  const rb = <isize>load<i32>(geo + (<usize>(2 * rank + r - 1) << 2));
  const idx = geo + (<usize>(3 * rank) << 2);
  const buf = (idx + (<usize>rank << 2) + 15) & ~15;
  for (let d = 0; d < r; d++) store<i32>(idx + (<usize>d << 2), 0);
  let pa = a, pb = b, py = y;
  const rowBytes = <usize>(<isize>len * sz);
  let d = 0;
  do {
    const st = rowOp<T>(code, pa, ra, pb, rb, py, len, buf, binaryKind);
    if (st != 0) return st;
    py += rowBytes;
    // Odometer over the outer dimensions, innermost first.
    for (d = r - 2; d >= 0; d--) {
      const at = idx + (<usize>d << 2);
      const n = load<i32>(geo + (<usize>d << 2));
      const da = <isize>load<i32>(geo + (<usize>(rank + d) << 2)) * sz;
      const db = <isize>load<i32>(geo + (<usize>(2 * rank + d) << 2)) * sz;
      const i = load<i32>(at) + 1;
      if (i < n) {
        store<i32>(at, i);
        pa += <usize>da;
        pb += <usize>db;
        break;
      }
      store<i32>(at, 0);
      pa -= <usize>(da * <isize>(n - 1));
      pb -= <usize>(db * <isize>(n - 1));
    }
  } while (d >= 0);
  return 0;
}

// One innermost row: gather what is not contiguous, then run the contiguous kernel (code < 0: copy only).
function rowOp<T>(code: i32, a: usize, sa: isize, b: usize, sb: isize, y: usize, len: i32, buf: usize, binaryKind: bool): i32 {
  const sz = <isize>sizeof<T>();
  if (!binaryKind) {
    let x = a;
    if (sa != 1 || code < 0) {
      gather<T>(a, sa, len, y);
      x = y;
    }
    if (code < 0) return 0;
    return sizeof<T>() == 4 ? unary_f32(code, x, y, len) : unary_f64(code, x, y, len);
  }
  for (let off = 0; off < len; off += BLOCK) {
    const n = min(BLOCK, len - off);
    const yo = y + <usize>(<isize>off * sz);
    let pa = a + <usize>(<isize>off * sa * sz);
    let pb = b + <usize>(<isize>off * sb * sz);
    // a's row goes to the output slot (the kernels allow y = a), b's to the scratch block.
    if (sa != 1) {
      gather<T>(pa, sa, n, yo);
      pa = yo;
    }
    if (sb != 1) {
      gather<T>(pb, sb, n, buf);
      pb = buf;
    }
    const st = sizeof<T>() == 4 ? binary_f32(code, pa, pb, yo, n) : binary_f64(code, pa, pb, yo, n);
    if (st != 0) return st;
  }
  return 0;
}

// Scratch: the collapsed geometry and odometer (4·rank + 1 i32) plus one gathered block.
function withScratch<T>(code: i32, rank: i32, shape: usize, a: usize, sa: usize, b: usize, sb: usize, y: usize, binaryKind: bool): i32 {
  const mark = arena_mark();
  const scratch = arena_alloc(<usize>((4 * rank + 8) << 2) + <usize>(BLOCK * sizeof<T>()) + 16);
  if (scratch == 0) return STATUS_OUT_OF_MEMORY;
  const st = walk<T>(code, rank, shape, a, sa, b, sb, y, scratch, binaryKind);
  arena_reset(mark);
  return st;
}

/** y (contiguous) = op(x) for the f32 view (x, shape[rank], xStrides[rank]); shape and strides are i32 arrays. */
export function unary_strided_f32(op: i32, rank: i32, shape: usize, x: usize, xStrides: usize, y: usize): i32 {
  return withScratch<f32>(op, rank, shape, x, xStrides, 0, 0, y, false);
}

/** y (contiguous) = op(x) for an f64 view, as `unary_strided_f32`. */
export function unary_strided_f64(op: i32, rank: i32, shape: usize, x: usize, xStrides: usize, y: usize): i32 {
  return withScratch<f64>(op, rank, shape, x, xStrides, 0, 0, y, false);
}

/** y (contiguous) = op(a, b) for two f32 views of one (broadcast) shape; stride 0 broadcasts. */
export function binary_strided_f32(op: i32, rank: i32, shape: usize, a: usize, aStrides: usize, b: usize, bStrides: usize, y: usize): i32 {
  return withScratch<f32>(op, rank, shape, a, aStrides, b, bStrides, y, true);
}

/** y (contiguous) = op(a, b) for two f64 views, as `binary_strided_f32`. */
export function binary_strided_f64(op: i32, rank: i32, shape: usize, a: usize, aStrides: usize, b: usize, bStrides: usize, y: usize): i32 {
  return withScratch<f64>(op, rank, shape, a, aStrides, b, bStrides, y, true);
}

/** Copy a view of 4-byte elements (any dtype: bits are moved, never converted) into contiguous y. */
export function copy_strided_x32(rank: i32, shape: usize, x: usize, xStrides: usize, y: usize): i32 {
  return withScratch<i32>(-1, rank, shape, x, xStrides, 0, 0, y, false);
}

/** Copy a view of 8-byte elements into contiguous y, as `copy_strided_x32`. */
export function copy_strided_x64(rank: i32, shape: usize, x: usize, xStrides: usize, y: usize): i32 {
  return withScratch<i64>(-1, rank, shape, x, xStrides, 0, 0, y, false);
}
