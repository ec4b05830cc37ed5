/**
 * A block interpreter for fused elementwise programs (numexpr's design): the host compiles a chain
 * of elementwise operations into a small program, and this kernel runs it over cache-sized blocks,
 * one operation at a time over the whole block with the SIMD kernels of unary.ts and binary.ts. The
 * intermediates of a chain live in a few block-sized registers that stay in L1/L2, so each input
 * element is read once and each output written once, however long the chain.
 *
 * Operands are *slots*: a slot record is [base, step, current] (three u32). Before each block the
 * kernel sets current = base + step·offset, so an array slot (step = element bytes) points at the
 * block's elements and a register or broadcast source (step 0) stays put.
 *
 * An instruction is FusedLayout.INSTR_WORDS i32 words: [op, dst, a, b, c, imm], slots except where
 * an op says otherwise. Values are f32; booleans are 0/1 in f32 registers. A FILL's register must
 * be a register (a whole block is written) that nothing else writes.
 */
import { unary_f32 } from "./unary";
import { binary_f32 } from "./binary";
import { STATUS_UNSUPPORTED } from "../status";

/** Instruction codes of the fused programs. */
export enum FusedOp {
  /** dst = UnaryOp(imm)(a). */
  UNARY = 0,
  /** dst = BinaryOp(imm)(a, b). */
  BINARY = 1,
  /** dst = CompareOp(imm)(a, b) ? 1 : 0. */
  COMPARE = 2,
  /** dst = a != 0 ? c : b (select_n with a boolean predicate: b when false, c when true). */
  SELECT = 3,
  /** dst[j] = src[⌊(start + j) / b⌋ mod c] with a the (fixed) source slot, b and c plain integers. */
  BROADCAST = 4,
  /** dst = f32(u8 a): booleans stored as bytes into a register. */
  LOAD_U8 = 5,
  /** u8 dst = a != 0 ? 1 : 0: a boolean register stored as bytes. */
  STORE_U8 = 6,
  /** dst = the f32 whose bits are imm (a constant): runs in the first block only, over a whole register. */
  FILL = 7,
  /** dst = a (an f32 copy, for a value that is both an input and an output). */
  COPY = 8,
}

/** Comparison codes of FusedOp.COMPARE (NaN compares false except under NE, as IEEE). */
export enum CompareOp { EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5 }

/** Sizes of the program's records, for the host's encoder. */
export enum FusedLayout {
  /** i32 words per instruction. */
  INSTR_WORDS = 6,
  /** u32 words per slot record. */
  SLOT_WORDS = 3,
  /** Elements per block: registers hold this many f32. */
  BLOCK = 1024,
}

/** The current address of slot `s`. */
@inline function at(slots: usize, s: i32): usize {
  return <usize>load<u32>(slots + <usize>s * 12 + 8);
}

/** dst = (a op b) ? 1 : 0 over n f32. */
function compare(op: i32, a: usize, b: usize, d: usize, n: i32): i32 {
  const one = f32x4.splat(1);
  const body = <usize>(n & ~3) << 2;
  for (let i: usize = 0; i < body; i += 16) {
    const x = v128.load(a + i), y = v128.load(b + i);
    let m: v128;
    switch (op) {
      case CompareOp.EQ: m = f32x4.eq(x, y); break;
      case CompareOp.NE: m = f32x4.ne(x, y); break;
      case CompareOp.LT: m = f32x4.lt(x, y); break;
      case CompareOp.LE: m = f32x4.le(x, y); break;
      case CompareOp.GT: m = f32x4.gt(x, y); break;
      case CompareOp.GE: m = f32x4.ge(x, y); break;
      default: return STATUS_UNSUPPORTED;
    }
    v128.store(d + i, v128.and(m, one));
  }
  for (let i = body, e = <usize>n << 2; i < e; i += 4) {
    const x = load<f32>(a + i), y = load<f32>(b + i);
    let r: bool;
    switch (op) {
      case CompareOp.EQ: r = x == y; break;
      case CompareOp.NE: r = x != y; break;
      case CompareOp.LT: r = x < y; break;
      case CompareOp.LE: r = x <= y; break;
      case CompareOp.GT: r = x > y; break;
      case CompareOp.GE: r = x >= y; break;
      default: return STATUS_UNSUPPORTED;
    }
    store<f32>(d + i, r ? 1 : 0);
  }
  return 0;
}

/** dst = p != 0 ? t : f over n f32. */
function select(p: usize, f: usize, t: usize, d: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const body = <usize>(n & ~3) << 2;
  for (let i: usize = 0; i < body; i += 16) {
    v128.store(d + i, v128.bitselect(v128.load(t + i), v128.load(f + i), f32x4.ne(v128.load(p + i), zero)));
  }
  for (let i = body, e = <usize>n << 2; i < e; i += 4) store<f32>(d + i, load<f32>(p + i) != 0 ? load<f32>(t + i) : load<f32>(f + i));
}

/** d[0, n) = v. */
@inline function fill(v: f32, d: usize, n: i32): void {
  const splat = f32x4.splat(v);
  const body = <usize>(n & ~3) << 2;
  for (let i: usize = 0; i < body; i += 16) v128.store(d + i, splat);
  for (let i = body, e = <usize>n << 2; i < e; i += 4) store<f32>(d + i, v);
}

/** dst[j] = src[⌊(start + j) / inner⌋ mod size] over n f32: runs of `inner` equal values, filled a run at a time. */
function broadcast(src: usize, inner: i32, size: i32, start: i32, d: usize, n: i32): void {
  let q = (start / inner) % size;
  let j = 0;
  // The first run may be partial (the block starts inside it).
  let run = inner - start % inner;
  while (j < n) {
    const len = min(run, n - j);
    fill(load<f32>(src + (<usize>q << 2)), d + (<usize>j << 2), len);
    j += len;
    run = inner;
    if (++q == size) q = 0;
  }
}

/** f32 0/1 from n bytes. */
function loadU8(a: usize, d: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const w = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(a + <usize>j)));
    v128.store(d + (<usize>j << 2), f32x4.convert_i32x4_u(w));
  }
  for (; j < n; j++) store<f32>(d + (<usize>j << 2), <f32>load<u8>(a + <usize>j));
}

/** Bytes (a != 0 ? 1 : 0) from n f32. */
function storeU8(a: usize, d: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = i8x16.splat(1);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const p = a + (<usize>j << 2);
    // Masks are all-ones i32 lanes: narrowing keeps them −1, and `and 1` makes them 1.
    const m0 = f32x4.ne(v128.load(p), zero), m1 = f32x4.ne(v128.load(p, 16), zero);
    const m2 = f32x4.ne(v128.load(p, 32), zero), m3 = f32x4.ne(v128.load(p, 48), zero);
    const b = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
    v128.store(d + <usize>j, v128.and(b, one));
  }
  for (; j < n; j++) store<u8>(d + <usize>j, load<f32>(a + (<usize>j << 2)) != 0 ? 1 : 0);
}

/**
 * Run the program of `count` instructions at `prog` over elements [0, n) of its array slots (slot
 * table at `slots`, `nslots` records); `start` is the position of element 0 in the whole array,
 * for broadcasts. Returns 0, or STATUS_UNSUPPORTED for an unknown instruction or operation code.
 */
export function fused_f32(prog: usize, count: i32, slots: usize, nslots: i32, n: i32, start: i32): i32 {
  for (let j0 = 0; j0 < n; j0 += FusedLayout.BLOCK) {
    const len = min(<i32>FusedLayout.BLOCK, n - j0);
    for (let s = 0; s < nslots; s++) {
      const rec = slots + <usize>s * 12;
      store<u32>(rec + 8, load<u32>(rec) + load<u32>(rec + 4) * <u32>j0);
    }
    for (let k = 0; k < count; k++) {
      const w = prog + <usize>k * 24;
      const op = load<i32>(w), d = at(slots, load<i32>(w, 4)), imm = load<i32>(w, 20);
      let status = 0;
      switch (op) {
        case FusedOp.UNARY: status = unary_f32(imm, at(slots, load<i32>(w, 8)), d, len); break;
        case FusedOp.BINARY: status = binary_f32(imm, at(slots, load<i32>(w, 8)), at(slots, load<i32>(w, 12)), d, len); break;
        case FusedOp.COMPARE: status = compare(imm, at(slots, load<i32>(w, 8)), at(slots, load<i32>(w, 12)), d, len); break;
        case FusedOp.SELECT: select(at(slots, load<i32>(w, 8)), at(slots, load<i32>(w, 12)), at(slots, load<i32>(w, 16)), d, len); break;
        case FusedOp.BROADCAST: broadcast(at(slots, load<i32>(w, 8)), load<i32>(w, 12), load<i32>(w, 16), start + j0, d, len); break;
        case FusedOp.LOAD_U8: loadU8(at(slots, load<i32>(w, 8)), d, len); break;
        case FusedOp.STORE_U8: storeU8(at(slots, load<i32>(w, 8)), d, len); break;
        // Constants live in registers of their own: filled once, they hold for every block.
        case FusedOp.FILL: if (j0 == 0) fill(reinterpret<f32>(imm), d, FusedLayout.BLOCK); break;
        case FusedOp.COPY: memory.copy(d, at(slots, load<i32>(w, 8)), <usize>len << 2); break;
        default: return STATUS_UNSUPPORTED;
      }
      if (status != 0) return status;
    }
  }
  return 0;
}
