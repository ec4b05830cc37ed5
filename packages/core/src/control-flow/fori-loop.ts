/** `foriLoop`: a counted loop, JAX's `lax.fori_loop`. */
import { type NdArray, isTracer } from "../array.js";
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { scan } from "./scan.js";
import { whileLoop } from "./while-loop.js";

/** A bound known while tracing (a JS number or a concrete array), or null when it is traced. */
function staticBound(x: number | NdArray, name: string): number | null {
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new RangeError(`foriLoop: ${name} must be an integer, got ${x}`);
    return x;
  }
  checkBound(x, name);
  return isTracer(x) ? null : Number(x.item());
}

function checkBound(x: NdArray, name: string): void {
  if (x.ndim !== 0) throw new ShapeError(`foriLoop: ${name} must be a scalar, got ${x.aval.str()}`);
  if (isFloat(x.dtype) || x.dtype === "bool") throw new DTypeError(`foriLoop: ${name} must be an integer, got ${x.aval.str()}`);
}

const asInt32 = (x: number | NdArray): NdArray => (typeof x === "number" ? lax.scalar(x, "int32") : lax.convertElementType(x, "int32"));

/**
 * `for (i = lower; i < upper; i++) carry = body(i, carry)` with `i` an int32 scalar. With bounds known
 * while tracing the loop is a `scan` of static length, so it is reverse-differentiable; with traced
 * bounds it is a `whileLoop` (forward mode only), as in JAX.
 */
export function foriLoop<C>(lower: number | NdArray, upper: number | NdArray, body: (i: NdArray, carry: C) => C, init: C): C {
  const lo = staticBound(lower, "lower");
  const hi = staticBound(upper, "upper");
  if (lo !== null && hi !== null) {
    const n = Math.max(0, hi - lo);
    const steps = lax.add(lax.iota("int32", [n], 0), lax.full([n], lo, "int32"));
    return scan((c: C, i: NdArray) => [body(i, c), null] as const, init, steps)[0];
  }
  const stop = asInt32(upper);
  const [, out] = whileLoop(([i]: [NdArray, C]) => lax.lt(i, stop), ([i, c]: [NdArray, C]) => [lax.add(i, lax.scalar(1, "int32")), body(i, c)] as [NdArray, C], [asInt32(lower), init] as [NdArray, C]);
  return out;
}
