/** Element types, their storage, and JAX's type-promotion lattice. */
import { DTypeError } from "./errors.js";

/** The dtypes an `NdArray` may have. */
export type DType = "float32" | "float64" | "int32" | "uint32" | "bool";

/** Every dtype, in promotion order (lowest first). */
export const DTYPES: readonly DType[] = ["bool", "uint32", "int32", "float32", "float64"];

/** The typed array that stores each dtype. */
export type TypedArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "int32"
      ? Int32Array
      : D extends "uint32"
        ? Uint32Array
        : Uint8Array;

/** Any storage buffer. */
export type DataArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/** Allocate a zero-filled buffer of `n` elements for `dtype`. */
export function allocate(dtype: DType, n: number): DataArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int32":
      return new Int32Array(n);
    case "uint32":
      return new Uint32Array(n);
    case "bool":
      return new Uint8Array(n);
  }
}

/** Whether `dtype` is a floating-point type (differentiable). */
export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** Whether `dtype` is an integer type (not bool). */
export function isInteger(dtype: DType): boolean {
  return dtype === "int32" || dtype === "uint32";
}

/** Bytes per element of each dtype's storage. */
export const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, uint32: 4, bool: 1 };

/** Short names used when printing avals and jaxprs, as JAX does (`f32[3,4]`). */
export const SHORT_NAME: Record<DType, string> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  uint32: "u32",
  bool: "bool",
};

/**
 * The result dtype of combining `a` and `b` (JAX's lattice with x64 disabled for ints:
 * bool < uint32, int32 < float32 < float64; int32 ⊔ uint32 = int32 as JAX does without x64).
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const rank = (d: DType): number => DTYPES.indexOf(d);
  if ((a === "int32" && b === "uint32") || (a === "uint32" && b === "int32")) return "int32";
  return rank(a) > rank(b) ? a : b;
}

/** Infer the dtype of a JS scalar: booleans are bool, numbers are float32 (Fluxion's default). */
export function dtypeOfScalar(x: number | boolean): DType {
  return typeof x === "boolean" ? "bool" : "float32";
}

/** The dtype of a typed array. */
export function dtypeOfTypedArray(data: DataArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Uint8Array) return "bool";
  throw new DTypeError(`array: unsupported typed array ${String(data)}; use Float32Array, Float64Array, Int32Array, Uint32Array or Uint8Array`);
}

/** Check `dtype` is a valid dtype name, for arguments that come from users. */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(", ")}`);
}

/** Round a JS number to how it would be stored in `dtype` (so scalars compare equal to stored values). */
export function castScalar(x: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(x);
    case "float64":
      return x;
    case "int32":
      return x | 0;
    case "uint32":
      return x >>> 0;
    case "bool":
      return x ? 1 : 0;
  }
}
