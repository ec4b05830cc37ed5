/** Rules for reductions (sum/max/min/prod), argmax/argmin and cumsum. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { isFloat } from "../dtype.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { ReducePrim } from "../primitives.js";
import type { RuleSet } from "./types.js";
import { checkAxis, checkDtypeIn, kernelImpl, zeroTangents } from "./util.js";

/** Physical axis of logical axis `a` when the batch axis `d` is inserted. */
const phys = (a: number, d: number): number => (a < d ? a : a + 1);

function reducedAval(op: string, x: ShapedArray, axes: readonly number[]): ShapedArray {
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= x.ndim) throw new ShapeError(`${op}: axis ${a} out of range for ${x.str()}`);
  }
  if (new Set(axes).size !== axes.length) throw new ShapeError(`${op}: repeated axes ${JSON.stringify(axes)}`);
  return new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), x.dtype);
}

function reduceBatch<K extends ReducePrim>(prim: K): RuleSet<K>["batch"] {
  return ([x], [d], params) => {
    const axes = params.axes.map((a) => phys(a, d!));
    const outDim = d! - axes.filter((a) => a < d!).length;
    return [lax.bind(prim, [x!], { axes } as never), [outDim]];
  };
}

/** Broadcast a reduced value back over the reduced axes of `shape`. */
function unreduce(y: NdArray, shape: readonly number[], axes: readonly number[]): NdArray {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return lax.broadcastInDim(y, shape, kept);
}

/** `reduce_sum`: linear; its transpose broadcasts. */
export const reduceSumRules: RuleSet<"reduce_sum"> = {
  abstractEval([x], { axes }) {
    checkDtypeIn("sum", x!, ["float32", "float64", "int32", "uint32"]);
    return [reducedAval("sum", x!, axes)];
  },
  impl: kernelImpl("reduce_sum"),
  jvp([x], [t], { axes }) {
    return [[lax.reduceSum(x!, axes)], [lax.reduceSum(t!, axes)]];
  },
  batch: reduceBatch("reduce_sum"),
  transpose([ct], [x], { axes }) {
    return [unreduce(ct!, (x as { aval: ShapedArray }).aval.shape, axes)];
  },
};

/** Rules of `reduce_max`/`reduce_min`: the tangent averages over the tied extreme locations (as JAX). */
export function chooserRules<K extends "reduce_max" | "reduce_min">(prim: K): RuleSet<K> {
  const name = prim === "reduce_max" ? "max" : "min";
  return {
    abstractEval([x], { axes }) {
      return [reducedAval(name, x!, axes)];
    },
    impl: kernelImpl(prim as ReducePrim) as RuleSet<K>["impl"],
    jvp([x], [t], params) {
      const y = lax.bind(prim, [x!], params)[0]!;
      if (!isFloat(y.dtype)) return [[y], [lax.zerosLike(y)]];
      const at = lax.convertElementType(lax.eq(x!, unreduce(y, x!.shape, params.axes)), x!.dtype);
      const counts = lax.reduceSum(at, params.axes);
      return [[y], [lax.div(lax.reduceSum(lax.mul(t!, at), params.axes), counts)]];
    },
    batch: reduceBatch(prim),
  };
}

/** Product and its tangent over the last axis by a balanced tree of multiplications (JAX's route). */
function prodTree(x: NdArray, t: NdArray): [NdArray, NdArray] {
  const last = x.ndim - 1;
  const n = x.shape[last]!;
  if (n === 1) return [lax.reshape(x, x.shape.slice(0, last)), lax.reshape(t, t.shape.slice(0, last))];
  if (n % 2 === 1) {
    const cfg = x.shape.map((_, i) => (i === last ? ([0, 1, 0] as const) : ([0, 0, 0] as const)));
    return prodTree(lax.pad(x, lax.scalar(1, x.dtype), cfg), lax.pad(t, lax.scalar(0, t.dtype), cfg));
  }
  const half = (v: NdArray, k: number) =>
    lax.slice(v, v.shape.map((_, i) => (i === last ? k : 0)), v.shape.map((d, i) => (i === last ? k + n / 2 : d)));
  const [a, b, ta, tb] = [half(x, 0), half(x, n / 2), half(t, 0), half(t, n / 2)];
  return prodTree(lax.mul(a, b), lax.add(lax.mul(ta, b), lax.mul(a, tb)));
}

/** `reduce_prod`: differentiated through a multiplication tree so zeros in the input are handled. */
export const reduceProdRules: RuleSet<"reduce_prod"> = {
  abstractEval([x], { axes }) {
    checkDtypeIn("prod", x!, ["float32", "float64", "int32", "uint32"]);
    return [reducedAval("prod", x!, axes)];
  },
  impl: kernelImpl("reduce_prod"),
  jvp([x], [t], { axes }) {
    const y = lax.reduceProd(x!, axes);
    if (!isFloat(y.dtype)) return [[y], [lax.zerosLike(y)]];
    const kept = x!.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const flat = (v: NdArray) => lax.reshape(lax.transpose(v, [...kept, ...axes]), [...kept.map((k) => v.shape[k]!), axes.reduce((n, a) => n * v.shape[a]!, 1)]);
    if (axes.reduce((n, a) => n * x!.shape[a]!, 1) === 0) return [[y], [lax.zerosLike(y)]];
    const [, ty] = prodTree(flat(x!), flat(t!));
    return [[y], [ty]];
  },
  batch: reduceBatch("reduce_prod"),
};

/** Rules of argmax/argmin (integer output, zero derivative). */
export function argRules<K extends "argmax" | "argmin">(prim: K): RuleSet<K> {
  return {
    abstractEval([x], { axis, indexDtype }) {
      if (x!.shape[axis] === 0) throw new ShapeError(`${prim}: cannot take ${prim} of an empty axis ${axis} of ${x!.str()}`);
      return [new ShapedArray(reducedAval(prim, x!, [axis]).shape, indexDtype)];
    },
    impl: kernelImpl(prim as "argmax") as RuleSet<K>["impl"],
    jvp(primals, _t, params) {
      const outs = lax.bind(prim, primals, params);
      return [outs, zeroTangents(outs)];
    },
    batch([x], [d], params) {
      const axis = phys(params.axis, d!);
      return [lax.bind(prim, [x!], { ...params, axis }), [axis < d! ? d! - 1 : d!]];
    },
  };
}

/** `cumsum`: linear; its transpose is the cumsum in the other direction. */
export const cumsumRules: RuleSet<"cumsum"> = {
  abstractEval([x], { axis }) {
    checkAxis("cumsum", axis, x!);
    checkDtypeIn("cumsum", x!, ["float32", "float64", "int32", "uint32"]);
    return [x!];
  },
  impl: kernelImpl("cumsum"),
  jvp([x], [t], { axis, reverse }) {
    return [[lax.cumsum(x!, axis, reverse)], [lax.cumsum(t!, axis, reverse)]];
  },
  batch([x], [d], { axis, reverse }) {
    return [[lax.cumsum(x!, phys(axis, d!), reverse)], [d!]];
  },
  transpose([ct], _args, { axis, reverse }) {
    return [lax.cumsum(ct!, axis, !reverse)];
  },
};

