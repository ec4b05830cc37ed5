/**
 * Elementwise unary and binary primitives on the module's contiguous f32/f64 kernels. Core's
 * operands are always contiguous and (for binary ops) already broadcast to one shape, so the
 * contiguous kernels cover every float case; integer dtypes and small arrays use the reference.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { BinaryPrim, UnaryPrim } from "../../primitives.js";
import { BinaryOp, UnaryOp, checkStatus } from "@fluxion/kernels-asm";
import { binaryKernel, unaryKernel } from "../reference/elementwise.js";
import { data, wrap } from "../reference/util.js";
import { copyOf } from "../../uninit.js";
import { type WasmContext, isFloat, put, view, withArena } from "./context.js";
import type { WasmThresholds } from "./thresholds.js";

/** Unary primitives with a kernel, and whether they are cheap (memory bound) or math (compute bound). */
export const WASM_UNARY = {
  neg: "cheap", abs: "cheap", sign: "cheap", floor: "cheap", ceil: "cheap", round: "cheap",
  sqrt: "math", rsqrt: "math", exp: "math", expm1: "math", log: "math", log1p: "math", tanh: "math",
  logistic: "math", erf: "math", sin: "math", cos: "math", tan: "math", asin: "math", acos: "math",
  atan: "math", sinh: "math", cosh: "math",
} as const satisfies Partial<Record<UnaryPrim, "cheap" | "math">>;

/** Binary primitives with a kernel (rem has one but measured no faster than JS's `%`). */
export const WASM_BINARY = {
  add: "cheap", sub: "cheap", mul: "cheap", div: "cheap", max: "cheap", min: "cheap",
  pow: "math", atan2: "math",
} as const satisfies Partial<Record<BinaryPrim, "cheap" | "math">>;

export type WasmUnaryPrim = keyof typeof WASM_UNARY;
export type WasmBinaryPrim = keyof typeof WASM_BINARY;

/**
 * f64 operations left to V8's Math: the module's f64 transcendentals are musl's scalar libm, which
 * differs from V8's by an ulp or two and measured at most ~2× faster (tanh not at all; erf has no
 * f64 kernel). Keeping them in JS keeps every f64 elementwise result bit-identical to the reference.
 */
const F64_LIBM: ReadonlySet<string> = new Set([
  "exp", "expm1", "log", "log1p", "tanh", "logistic", "erf", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "pow", "atan2",
]);

const minSize = (t: WasmThresholds, cls: "cheap" | "math") => (cls === "cheap" ? t.elementwiseCheap : t.elementwiseMath);

/** The wasm kernel for unary primitive `prim`. */
export function wasmUnary(ctx: WasmContext, prim: WasmUnaryPrim, t: WasmThresholds) {
  const ref = unaryKernel(prim);
  const code = UnaryOp[prim];
  const min = minSize(t, WASM_UNARY[prim]);
  const name = `${prim} (unary)`;
  return (inputs: readonly ConcreteArray[], p: unknown, out: ShapedArray): ConcreteArray => {
    const n = out.size;
    const f64 = out.dtype === "float64";
    if (n < min || n === 0 || !isFloat(out.dtype) || inputs[0]!.dtype !== out.dtype || (f64 && F64_LIBM.has(prim))) return ref(inputs, p, out);
    const y = withArena(ctx, () => {
      const px = put(ctx, data(inputs[0]!));
      checkStatus(name, (f64 ? ctx.k.unary_f64 : ctx.k.unary_f32)(code, px, px, n));
      return copyOf(out.dtype, view(ctx, f64, px, n));
    });
    return wrap(y, out);
  };
}

/** The wasm kernel for binary primitive `prim` (operands of one shape and float dtype). */
export function wasmBinary(ctx: WasmContext, prim: WasmBinaryPrim, t: WasmThresholds) {
  const ref = binaryKernel(prim);
  const code = BinaryOp[prim];
  const min = minSize(t, WASM_BINARY[prim]);
  const name = `${prim} (binary)`;
  return (inputs: readonly ConcreteArray[], p: unknown, out: ShapedArray): ConcreteArray => {
    const n = out.size;
    const [a, b] = [inputs[0]!, inputs[1]!];
    const f64 = out.dtype === "float64";
    if (n < min || n === 0 || !isFloat(out.dtype) || a.dtype !== out.dtype || b.dtype !== out.dtype || a.size !== n || b.size !== n || (f64 && F64_LIBM.has(prim))) return ref(inputs, p, out);
    const y = withArena(ctx, () => {
      const pa = put(ctx, data(a));
      const pb = a === b ? pa : put(ctx, data(b));
      checkStatus(name, (f64 ? ctx.k.binary_f64 : ctx.k.binary_f32)(code, pa, pb, pa, n));
      return copyOf(out.dtype, view(ctx, f64, pa, n));
    });
    return wrap(y, out);
  };
}
