/**
 * Unary elementwise kernels over contiguous arrays. The SIMD operations share one loop shape; scalar
 * ones (the rarer trigonometric family) call AssemblyScript's ports of musl's libm.
 */
import { Exp } from "../math/exp";
import { Log } from "../math/log";
import { Tanh } from "../math/tanh";
import { Erf } from "../math/erf";
import { UnaryOp } from "./ops";
import { STATUS_UNSUPPORTED } from "../status";

// 16 bytes for the last partial vector: tails go through the same SIMD code as the body, so an
// element's result never depends on its position in the array.
const TAIL: usize = memory.data(16, 16);

/** Lane-wise bodies, inlined at call sites where `op` is a constant so each loop holds one operation. */
class Lanes {
  @inline static f32(op: i32, v: v128): v128 {
    switch (op) {
      case UnaryOp.NEG: return f32x4.neg(v);
      case UnaryOp.ABS: return f32x4.abs(v);
      case UnaryOp.SIGN: return signF32x4(v);
      case UnaryOp.FLOOR: return f32x4.floor(v);
      case UnaryOp.CEIL: return f32x4.ceil(v);
      case UnaryOp.ROUND: return f32x4.nearest(v);
      case UnaryOp.SQRT: return f32x4.sqrt(v);
      case UnaryOp.RSQRT: return rsqrtF32x4(v);
      case UnaryOp.EXP: return Exp.exp(v);
      case UnaryOp.EXPM1: return Exp.expm1(v);
      case UnaryOp.LOG: return Log.log(v);
      case UnaryOp.LOG1P: return Log.log1p(v);
      case UnaryOp.TANH: return Tanh.tanh(v);
      case UnaryOp.LOGISTIC: return Tanh.logistic(v);
      default: return Erf.erf(v);
    }
  }

  @inline static f64(op: i32, v: v128): v128 {
    switch (op) {
      case UnaryOp.NEG: return f64x2.neg(v);
      case UnaryOp.ABS: return f64x2.abs(v);
      case UnaryOp.SIGN: return signF64x2(v);
      case UnaryOp.FLOOR: return f64x2.floor(v);
      case UnaryOp.CEIL: return f64x2.ceil(v);
      case UnaryOp.ROUND: return f64x2.nearest(v);
      case UnaryOp.SQRT: return f64x2.sqrt(v);
      default: return f64x2.div(f64x2.splat(1), f64x2.sqrt(v));
    }
  }

  @inline static mapF32(op: i32, x: usize, y: usize, n: i32): void {
    const end = x + (<usize>n << 2);
    const body = x + (<usize>(n & ~3) << 2);
    // Two independent vectors per trip: the transcendental bodies are long dependency chains (a Horner
    // polynomial), and interleaving two of them lets the core overlap their latencies.
    const pairs = x + (<usize>(n & ~15) << 2);
    for (; x < pairs; x += 64, y += 64) {
      const v0 = v128.load(x), v1 = v128.load(x, 16), v2 = v128.load(x, 32), v3 = v128.load(x, 48);
      // exp tests its range once per four vectors, leaving four branch-free chains (10^6 elements:
      // 0.73 ms, against 0.77 when each Exp.exp tests its own vector and 0.55 with no test at all).
      if (op == UnaryOp.EXP && Exp.inRange4(v0, v1, v2, v3)) {
        v128.store(y, Exp.expInRange(v0));
        v128.store(y, Exp.expInRange(v1), 16);
        v128.store(y, Exp.expInRange(v2), 32);
        v128.store(y, Exp.expInRange(v3), 48);
        continue;
      }
      const a = Lanes.f32(op, v0);
      const b = Lanes.f32(op, v1);
      const c = Lanes.f32(op, v2);
      const d = Lanes.f32(op, v3);
      v128.store(y, a);
      v128.store(y, b, 16);
      v128.store(y, c, 32);
      v128.store(y, d, 48);
    }
    for (; x < body; x += 16, y += 16) v128.store(y, Lanes.f32(op, v128.load(x)));
    if (x < end) {
      const rest = end - x;
      v128.store(TAIL, v128.splat<i32>(0));
      memory.copy(TAIL, x, rest);
      v128.store(TAIL, Lanes.f32(op, v128.load(TAIL)));
      memory.copy(y, TAIL, rest);
    }
  }

  @inline static mapF64(op: i32, x: usize, y: usize, n: i32): void {
    const body = x + (<usize>(n & ~1) << 3);
    for (; x < body; x += 16, y += 16) v128.store(y, Lanes.f64(op, v128.load(x)));
    if (n & 1) store<f64>(y, f64x2.extract_lane(Lanes.f64(op, v128.load64_zero(x)), 0));
  }
}

/** Scalar bodies for the operations without a SIMD form. */
class Scalar {
  @inline static f32(op: i32, x: f32): f32 {
    switch (op) {
      case UnaryOp.SIN: return Mathf.sin(x);
      case UnaryOp.COS: return Mathf.cos(x);
      case UnaryOp.TAN: return Mathf.tan(x);
      case UnaryOp.ASIN: return Mathf.asin(x);
      case UnaryOp.ACOS: return Mathf.acos(x);
      case UnaryOp.ATAN: return Mathf.atan(x);
      case UnaryOp.SINH: return Mathf.sinh(x);
      default: return Mathf.cosh(x);
    }
  }

  @inline static f64(op: i32, x: f64): f64 {
    switch (op) {
      case UnaryOp.EXP: return Math.exp(x);
      case UnaryOp.EXPM1: return Math.expm1(x);
      case UnaryOp.LOG: return Math.log(x);
      case UnaryOp.LOG1P: return Math.log1p(x);
      case UnaryOp.TANH: return Math.tanh(x);
      case UnaryOp.LOGISTIC: return logisticF64(x);
      case UnaryOp.SIN: return Math.sin(x);
      case UnaryOp.COS: return Math.cos(x);
      case UnaryOp.TAN: return Math.tan(x);
      case UnaryOp.ASIN: return Math.asin(x);
      case UnaryOp.ACOS: return Math.acos(x);
      case UnaryOp.ATAN: return Math.atan(x);
      case UnaryOp.SINH: return Math.sinh(x);
      default: return Math.cosh(x);
    }
  }

  @inline static mapF32(op: i32, x: usize, y: usize, n: i32): void {
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), Scalar.f32(op, load<f32>(x + (<usize>i << 2))));
  }

  @inline static mapF64(op: i32, x: usize, y: usize, n: i32): void {
    for (let i = 0; i < n; i++) store<f64>(y + (<usize>i << 3), Scalar.f64(op, load<f64>(x + (<usize>i << 3))));
  }
}

// 1/√x in f64, rounded once: in f32 the two roundings reach 1.5 ulp.
function rsqrtF32x4(v: v128): v128 {
  const one = f64x2.splat(1);
  const lo = f64x2.div(one, f64x2.sqrt(f64x2.promote_low_f32x4(v)));
  const hi = f64x2.div(one, f64x2.sqrt(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// sign(x): ±1, 0 for ±0 (as +0), NaN for NaN.
function signF32x4(v: v128): v128 {
  const one = f32x4.splat(1);
  const s = f32x4.sub(v128.and(f32x4.gt(v, f32x4.splat(0)), one), v128.and(f32x4.lt(v, f32x4.splat(0)), one));
  return v128.bitselect(v, s, f32x4.ne(v, v));
}

function signF64x2(v: v128): v128 {
  const one = f64x2.splat(1);
  const s = f64x2.sub(v128.and(f64x2.gt(v, f64x2.splat(0)), one), v128.and(f64x2.lt(v, f64x2.splat(0)), one));
  return v128.bitselect(v, s, f64x2.ne(v, v));
}

// The logistic function without overflow: e^−|x| / (1 + e^−|x|) for negative x.
function logisticF64(x: f64): f64 {
  const e = Math.exp(-Math.abs(x));
  return (x < 0 ? e : 1) / (1 + e);
}

/** y[i] = op(x[i]) for n f32 elements (y may be x). Returns 0, or STATUS_UNSUPPORTED for an unknown op. */
export function unary_f32(op: i32, x: usize, y: usize, n: i32): i32 {
  switch (op) {
    case UnaryOp.NEG: Lanes.mapF32(UnaryOp.NEG, x, y, n); break;
    case UnaryOp.ABS: Lanes.mapF32(UnaryOp.ABS, x, y, n); break;
    case UnaryOp.SIGN: Lanes.mapF32(UnaryOp.SIGN, x, y, n); break;
    case UnaryOp.FLOOR: Lanes.mapF32(UnaryOp.FLOOR, x, y, n); break;
    case UnaryOp.CEIL: Lanes.mapF32(UnaryOp.CEIL, x, y, n); break;
    case UnaryOp.ROUND: Lanes.mapF32(UnaryOp.ROUND, x, y, n); break;
    case UnaryOp.SQRT: Lanes.mapF32(UnaryOp.SQRT, x, y, n); break;
    case UnaryOp.RSQRT: Lanes.mapF32(UnaryOp.RSQRT, x, y, n); break;
    case UnaryOp.EXP: Lanes.mapF32(UnaryOp.EXP, x, y, n); break;
    case UnaryOp.EXPM1: Lanes.mapF32(UnaryOp.EXPM1, x, y, n); break;
    case UnaryOp.LOG: Lanes.mapF32(UnaryOp.LOG, x, y, n); break;
    case UnaryOp.LOG1P: Lanes.mapF32(UnaryOp.LOG1P, x, y, n); break;
    case UnaryOp.TANH: Lanes.mapF32(UnaryOp.TANH, x, y, n); break;
    case UnaryOp.LOGISTIC: Lanes.mapF32(UnaryOp.LOGISTIC, x, y, n); break;
    case UnaryOp.ERF: Lanes.mapF32(UnaryOp.ERF, x, y, n); break;
    case UnaryOp.SIN: Scalar.mapF32(UnaryOp.SIN, x, y, n); break;
    case UnaryOp.COS: Scalar.mapF32(UnaryOp.COS, x, y, n); break;
    case UnaryOp.TAN: Scalar.mapF32(UnaryOp.TAN, x, y, n); break;
    case UnaryOp.ASIN: Scalar.mapF32(UnaryOp.ASIN, x, y, n); break;
    case UnaryOp.ACOS: Scalar.mapF32(UnaryOp.ACOS, x, y, n); break;
    case UnaryOp.ATAN: Scalar.mapF32(UnaryOp.ATAN, x, y, n); break;
    case UnaryOp.SINH: Scalar.mapF32(UnaryOp.SINH, x, y, n); break;
    case UnaryOp.COSH: Scalar.mapF32(UnaryOp.COSH, x, y, n); break;
    default: return STATUS_UNSUPPORTED;
  }
  return 0;
}

/** y[i] = op(x[i]) for n f64 elements (y may be x); ERF has no f64 kernel and returns STATUS_UNSUPPORTED. */
export function unary_f64(op: i32, x: usize, y: usize, n: i32): i32 {
  switch (op) {
    case UnaryOp.NEG: Lanes.mapF64(UnaryOp.NEG, x, y, n); break;
    case UnaryOp.ABS: Lanes.mapF64(UnaryOp.ABS, x, y, n); break;
    case UnaryOp.SIGN: Lanes.mapF64(UnaryOp.SIGN, x, y, n); break;
    case UnaryOp.FLOOR: Lanes.mapF64(UnaryOp.FLOOR, x, y, n); break;
    case UnaryOp.CEIL: Lanes.mapF64(UnaryOp.CEIL, x, y, n); break;
    case UnaryOp.ROUND: Lanes.mapF64(UnaryOp.ROUND, x, y, n); break;
    case UnaryOp.SQRT: Lanes.mapF64(UnaryOp.SQRT, x, y, n); break;
    case UnaryOp.RSQRT: Lanes.mapF64(UnaryOp.RSQRT, x, y, n); break;
    case UnaryOp.EXP: Scalar.mapF64(UnaryOp.EXP, x, y, n); break;
    case UnaryOp.EXPM1: Scalar.mapF64(UnaryOp.EXPM1, x, y, n); break;
    case UnaryOp.LOG: Scalar.mapF64(UnaryOp.LOG, x, y, n); break;
    case UnaryOp.LOG1P: Scalar.mapF64(UnaryOp.LOG1P, x, y, n); break;
    case UnaryOp.TANH: Scalar.mapF64(UnaryOp.TANH, x, y, n); break;
    case UnaryOp.LOGISTIC: Scalar.mapF64(UnaryOp.LOGISTIC, x, y, n); break;
    case UnaryOp.SIN: Scalar.mapF64(UnaryOp.SIN, x, y, n); break;
    case UnaryOp.COS: Scalar.mapF64(UnaryOp.COS, x, y, n); break;
    case UnaryOp.TAN: Scalar.mapF64(UnaryOp.TAN, x, y, n); break;
    case UnaryOp.ASIN: Scalar.mapF64(UnaryOp.ASIN, x, y, n); break;
    case UnaryOp.ACOS: Scalar.mapF64(UnaryOp.ACOS, x, y, n); break;
    case UnaryOp.ATAN: Scalar.mapF64(UnaryOp.ATAN, x, y, n); break;
    case UnaryOp.SINH: Scalar.mapF64(UnaryOp.SINH, x, y, n); break;
    case UnaryOp.COSH: Scalar.mapF64(UnaryOp.COSH, x, y, n); break;
    default: return STATUS_UNSUPPORTED;
  }
  return 0;
}
