/** Argument checks shared by the samplers: shapes, dtypes, integers and concrete probabilities. */
import { NdArray, isTracer } from "../array.js";
import { type DType, isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import { broadcastShapes, fmtShape } from "../shape.js";

/** Describe any argument for an error message (its aval when it is an array). */
export function describe(x: unknown): string {
  if (x instanceof NdArray) return x.aval.str();
  if (x === null) return "null";
  if (Array.isArray(x)) return `[${x.map(describe).join(", ")}]`;
  return typeof x === "number" || typeof x === "boolean" ? String(x) : typeof x;
}

/** A `shape` argument: a list of non-negative integers (TypeError if not a list, RangeError for bad entries). */
export function checkShapeArg(fn: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: shape must be a list of non-negative integers such as [3, 4], got ${describe(shape)}`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${fn}: shape must be a list of non-negative integers, got ${describe(shape)}`);
  }
  return [...(shape as number[])];
}

/** Require the parameter shapes to broadcast into `shape` exactly (JAX's `_check_shape`). */
export function checkParamShapes(fn: string, shape: readonly number[], ...params: (readonly number[])[]): void {
  let out: number[] | null;
  try {
    out = broadcastShapes(fn, shape, ...params);
  } catch {
    out = null;
  }
  if (out === null || out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `${fn}: parameter shapes ${params.map(fmtShape).join(", ")} must broadcast to the requested shape ${fmtShape(shape)}; pass a shape they broadcast into, or leave it out`,
    );
  }
}

/** A float dtype option (float32 by default, JAX's default without x64). */
export function floatDtype(fn: string, dtype: unknown): "float32" | "float64" {
  if (dtype === undefined) return "float32";
  if (dtype === "float32" || dtype === "float64") return dtype;
  throw new DTypeError(`${fn}: dtype must be a float dtype ("float32" or "float64"), got ${JSON.stringify(dtype)}`);
}

/** An integer dtype option (int32 by default, JAX's default without x64). */
export function intDtype(fn: string, dtype: unknown): "int32" | "uint32" {
  if (dtype === undefined) return "int32";
  if (dtype === "int32" || dtype === "uint32") return dtype;
  throw new DTypeError(`${fn}: dtype must be an integer dtype ("int32" or "uint32"), got ${JSON.stringify(dtype)}`);
}

/** A JS integer argument (TypeError when not a number, RangeError when not an integer in [lo, hi]). */
export function checkInt(fn: string, name: string, x: unknown, lo = -Infinity, hi = Infinity): number {
  if (typeof x !== "number") throw new TypeError(`${fn}: ${name} must be an integer, got ${describe(x)}`);
  if (!Number.isInteger(x) || x < lo || x > hi) {
    const range = lo === -Infinity && hi === Infinity ? "an integer" : `an integer in [${lo}, ${hi}]`;
    throw new RangeError(`${fn}: ${name} must be ${range}, got ${x}`);
  }
  return x;
}

/** A real parameter: a number or a numeric NdArray (integers are accepted and cast, as JAX does). */
export function checkReal(fn: string, name: string, x: unknown): number | NdArray {
  if (typeof x === "number") return x;
  if (x instanceof NdArray) {
    if (x.dtype === "bool") throw new DTypeError(`${fn}: ${name} must be a number or a numeric array, got ${x.aval.str()}`);
    return x;
  }
  throw new TypeError(`${fn}: ${name} must be a number or an NdArray, got ${describe(x)}`);
}

/**
 * Check that the values of `x` lie in [lo, hi] where they can be read: JS numbers and concrete arrays.
 * Traced values (under jit/vmap/grad) cannot be inspected and pass unchecked, as in JAX.
 */
export function checkConcreteRange(fn: string, name: string, x: number | NdArray, lo: number, hi: number): void {
  if (x instanceof NdArray && (isTracer(x) || !isFloat(x.dtype as DType))) return;
  const values = typeof x === "number" ? [x] : Array.from(x.toTypedArray());
  const bad = values.find((v) => !(v >= lo && v <= hi));
  if (bad !== undefined) throw new RangeError(`${fn}: ${name} must lie in [${lo}, ${hi}], got ${bad}`);
}
