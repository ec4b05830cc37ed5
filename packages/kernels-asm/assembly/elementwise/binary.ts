/**
 * Binary elementwise kernels over contiguous arrays: SIMD for the arithmetic and max/min, musl's
 * libm (through AssemblyScript's Math/Mathf) for pow, rem and atan2.
 */
import { BinaryOp } from "./ops";
import { STATUS_UNSUPPORTED } from "../status";

const TAIL_A: usize = memory.data(16, 16);
const TAIL_B: usize = memory.data(16, 16);

/** Lane-wise bodies, inlined where `op` is a constant so each loop holds one operation. */
class Lanes {
  @inline static f32(op: i32, a: v128, b: v128): v128 {
    switch (op) {
      case BinaryOp.ADD: return f32x4.add(a, b);
      case BinaryOp.SUB: return f32x4.sub(a, b);
      case BinaryOp.MUL: return f32x4.mul(a, b);
      case BinaryOp.DIV: return f32x4.div(a, b);
      // WebAssembly's max/min propagate NaN, as the core's max/min do.
      case BinaryOp.MAX: return f32x4.max(a, b);
      default: return f32x4.min(a, b);
    }
  }

  @inline static f64(op: i32, a: v128, b: v128): v128 {
    switch (op) {
      case BinaryOp.ADD: return f64x2.add(a, b);
      case BinaryOp.SUB: return f64x2.sub(a, b);
      case BinaryOp.MUL: return f64x2.mul(a, b);
      case BinaryOp.DIV: return f64x2.div(a, b);
      case BinaryOp.MAX: return f64x2.max(a, b);
      default: return f64x2.min(a, b);
    }
  }

  @inline static mapF32(op: i32, a: usize, b: usize, y: usize, n: i32): void {
    const body = <usize>(n & ~3) << 2;
    // Four vectors per trip: inside fused programs the operands sit in L1, so the loop's own
    // increment, compare and branch are a real share of each vector's instructions.
    const quads = <usize>(n & ~15) << 2;
    let i: usize = 0;
    for (; i < quads; i += 64) {
      const r0 = Lanes.f32(op, v128.load(a + i), v128.load(b + i));
      const r1 = Lanes.f32(op, v128.load(a + i, 16), v128.load(b + i, 16));
      const r2 = Lanes.f32(op, v128.load(a + i, 32), v128.load(b + i, 32));
      const r3 = Lanes.f32(op, v128.load(a + i, 48), v128.load(b + i, 48));
      v128.store(y + i, r0);
      v128.store(y + i, r1, 16);
      v128.store(y + i, r2, 32);
      v128.store(y + i, r3, 48);
    }
    for (; i < body; i += 16) v128.store(y + i, Lanes.f32(op, v128.load(a + i), v128.load(b + i)));
    const rest = (<usize>n << 2) - body;
    if (rest != 0) {
      // The partial vector runs through the same SIMD body (zero-padded copies of both operands).
      v128.store(TAIL_A, v128.splat<i32>(0));
      v128.store(TAIL_B, v128.splat<i32>(0));
      memory.copy(TAIL_A, a + body, rest);
      memory.copy(TAIL_B, b + body, rest);
      v128.store(TAIL_A, Lanes.f32(op, v128.load(TAIL_A), v128.load(TAIL_B)));
      memory.copy(y + body, TAIL_A, rest);
    }
  }

  @inline static mapF64(op: i32, a: usize, b: usize, y: usize, n: i32): void {
    const body = <usize>(n & ~1) << 3;
    for (let i: usize = 0; i < body; i += 16) v128.store(y + i, Lanes.f64(op, v128.load(a + i), v128.load(b + i)));
    if (n & 1) store<f64>(y + body, f64x2.extract_lane(Lanes.f64(op, v128.load64_zero(a + body), v128.load64_zero(b + body)), 0));
  }
}

/** Scalar bodies for pow, rem and atan2. */
class Scalar {
  @inline static f32(op: i32, a: f32, b: f32): f32 {
    switch (op) {
      case BinaryOp.POW: return cPowF32(a, b);
      case BinaryOp.REM: return a % b;
      default: return Mathf.atan2(a, b);
    }
  }

  @inline static f64(op: i32, a: f64, b: f64): f64 {
    switch (op) {
      case BinaryOp.POW: return cPowF64(a, b);
      case BinaryOp.REM: return a % b;
      default: return Math.atan2(a, b);
    }
  }

  @inline static mapF32(op: i32, a: usize, b: usize, y: usize, n: i32): void {
    for (let i: usize = 0, e = <usize>n << 2; i < e; i += 4) store<f32>(y + i, Scalar.f32(op, load<f32>(a + i), load<f32>(b + i)));
  }

  @inline static mapF64(op: i32, a: usize, b: usize, y: usize, n: i32): void {
    for (let i: usize = 0, e = <usize>n << 3; i < e; i += 8) store<f64>(y + i, Scalar.f64(op, load<f64>(a + i), load<f64>(b + i)));
  }
}

// C's (and XLA's) pow: 1^y = 1 and (−1)^±∞ = 1 even for NaN, which AssemblyScript's pow does not give.
function cPowF32(a: f32, b: f32): f32 {
  if (a == 1 || (a == -1 && Mathf.abs(b) == Infinity)) return 1;
  return Mathf.pow(a, b);
}

function cPowF64(a: f64, b: f64): f64 {
  if (a == 1 || (a == -1 && Math.abs(b) == Infinity)) return 1;
  return Math.pow(a, b);
}

/** y[i] = op(a[i], b[i]) for n f32 elements (y may be a or b). Returns 0 or STATUS_UNSUPPORTED. */
export function binary_f32(op: i32, a: usize, b: usize, y: usize, n: i32): i32 {
  switch (op) {
    case BinaryOp.ADD: Lanes.mapF32(BinaryOp.ADD, a, b, y, n); break;
    case BinaryOp.SUB: Lanes.mapF32(BinaryOp.SUB, a, b, y, n); break;
    case BinaryOp.MUL: Lanes.mapF32(BinaryOp.MUL, a, b, y, n); break;
    case BinaryOp.DIV: Lanes.mapF32(BinaryOp.DIV, a, b, y, n); break;
    case BinaryOp.MAX: Lanes.mapF32(BinaryOp.MAX, a, b, y, n); break;
    case BinaryOp.MIN: Lanes.mapF32(BinaryOp.MIN, a, b, y, n); break;
    case BinaryOp.POW: Scalar.mapF32(BinaryOp.POW, a, b, y, n); break;
    case BinaryOp.REM: Scalar.mapF32(BinaryOp.REM, a, b, y, n); break;
    case BinaryOp.ATAN2: Scalar.mapF32(BinaryOp.ATAN2, a, b, y, n); break;
    default: return STATUS_UNSUPPORTED;
  }
  return 0;
}

/** y[i] = op(a[i], b[i]) for n f64 elements (y may be a or b). Returns 0 or STATUS_UNSUPPORTED. */
export function binary_f64(op: i32, a: usize, b: usize, y: usize, n: i32): i32 {
  switch (op) {
    case BinaryOp.ADD: Lanes.mapF64(BinaryOp.ADD, a, b, y, n); break;
    case BinaryOp.SUB: Lanes.mapF64(BinaryOp.SUB, a, b, y, n); break;
    case BinaryOp.MUL: Lanes.mapF64(BinaryOp.MUL, a, b, y, n); break;
    case BinaryOp.DIV: Lanes.mapF64(BinaryOp.DIV, a, b, y, n); break;
    case BinaryOp.MAX: Lanes.mapF64(BinaryOp.MAX, a, b, y, n); break;
    case BinaryOp.MIN: Lanes.mapF64(BinaryOp.MIN, a, b, y, n); break;
    case BinaryOp.POW: Scalar.mapF64(BinaryOp.POW, a, b, y, n); break;
    case BinaryOp.REM: Scalar.mapF64(BinaryOp.REM, a, b, y, n); break;
    case BinaryOp.ATAN2: Scalar.mapF64(BinaryOp.ATAN2, a, b, y, n); break;
    default: return STATUS_UNSUPPORTED;
  }
  return 0;
}
