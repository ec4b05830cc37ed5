/** Reference kernels for reductions, argmax/argmin and cumsum. */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams, ReducePrim } from "../../primitives.js";
import { alloc, data, permuted, wrap } from "./util.js";

type Reducer = { init: number; step: (acc: number, x: number) => number };

const REDUCERS: Record<ReducePrim, Reducer> = {
  reduce_sum: { init: 0, step: (a, x) => a + x },
  reduce_prod: { init: 1, step: (a, x) => a * x },
  // IEEE 754-2019 maximum/minimum (NaN-propagating, −0 below +0), as the wasm kernels: Math.max/min are exactly that.
  reduce_max: { init: -Infinity, step: Math.max },
  reduce_min: { init: Infinity, step: Math.min },
};

// Integer sums and products wrap exactly like int32 arithmetic: a float accumulator would lose the
// low bits once a product passes 2^53 (the result must be the product mod 2^32).
const INT_STEPS: Partial<Record<ReducePrim, (a: number, x: number) => number>> = {
  reduce_sum: (a, x) => (a + x) | 0,
  reduce_prod: (a, x) => Math.imul(a, x),
};

const isFloatDtype = (d: string): boolean => d === "float32" || d === "float64";

/** Move `axes` to the end so each output element reduces one contiguous run. */
function axesLast(x: ConcreteArray, axes: readonly number[]): { buf: ArrayLike<number>; inner: number } {
  const rank = x.ndim;
  const keep = Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...keep, ...axes];
  const inner = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const identity = perm.every((p, i) => p === i);
  return { buf: identity ? data(x) : permuted(data(x), x.shape, perm), inner };
}

/** Kernel for reduction `prim` over `params.axes`. */
/** The float identity a reduction starts from (0, 1, −∞, +∞): what an empty float reduction returns. */
export function reduceIdentity(prim: ReducePrim): number {
  return REDUCERS[prim].init;
}

export function reduceKernel(prim: ReducePrim) {
  const { init, step: floatStep } = REDUCERS[prim];
  return (inputs: readonly ConcreteArray[], params: PrimParams["reduce_sum"], out: ShapedArray): ConcreteArray => {
    const x = inputs[0]!;
    const { buf, inner } = axesLast(x, params.axes);
    const y = alloc(out);
    // int32 wrapping is also right for uint32: storing into a Uint32Array reinterprets the low 32 bits.
    const step = isFloatDtype(out.dtype) ? floatStep : (INT_STEPS[prim] ?? floatStep);
    const isIntMax = (prim === "reduce_max" || prim === "reduce_min") && !isFloatDtype(out.dtype);
    // Integer max/min of an empty axis has no infinity to start from; use the dtype's bounds.
    const start = isIntMax ? intBound(out.dtype, prim === "reduce_max") : init;
    for (let o = 0; o < y.length; o++) {
      let acc = start;
      const base = o * inner;
      for (let j = 0; j < inner; j++) acc = step(acc, buf[base + j]!);
      y[o] = acc;
    }
    return wrap(y, out);
  };
}

function intBound(dtype: string, forMax: boolean): number {
  if (dtype === "bool") return forMax ? 0 : 1;
  if (dtype === "uint32") return forMax ? 0 : 0xffffffff;
  return forMax ? -2147483648 : 2147483647;
}

/** Kernel for argmax/argmin along `params.axis` (first occurrence; NaN counts as the extreme, as JAX). */
export function argKernel(isMax: boolean) {
  return (inputs: readonly ConcreteArray[], params: PrimParams["argmax"], out: ShapedArray): ConcreteArray => {
    const x = inputs[0]!;
    const { buf, inner } = axesLast(x, [params.axis]);
    const y = alloc(out);
    for (let o = 0; o < y.length; o++) {
      const base = o * inner;
      let best = 0;
      let bestVal = buf[base]!;
      if (!Number.isNaN(bestVal)) {
        for (let j = 1; j < inner; j++) {
          const v = buf[base + j]!;
          if (Number.isNaN(v)) {
            best = j;
            break;
          }
          if (isMax ? v > bestVal : v < bestVal) {
            best = j;
            bestVal = v;
          }
        }
      }
      y[o] = best;
    }
    return wrap(y, out);
  };
}

/** Inclusive cumulative sum along `params.axis`, optionally from the end. */
export function cumsumKernel(inputs: readonly ConcreteArray[], params: PrimParams["cumsum"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const src = data(x);
  const y = alloc(out);
  const n = x.shape[params.axis]!;
  const inner = x.shape.slice(params.axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, params.axis).reduce((a, b) => a * b, 1);
  const wrapInt = !isFloatDtype(out.dtype); // keep the running sum exact in int32 arithmetic
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let acc = 0;
      for (let jj = 0; jj < n; jj++) {
        const j = params.reverse ? n - 1 - jj : jj;
        const idx = (o * n + j) * inner + k;
        acc = wrapInt ? (acc + src[idx]!) | 0 : acc + src[idx]!;
        y[idx] = acc;
      }
    }
  }
  return wrap(y, out);
}
