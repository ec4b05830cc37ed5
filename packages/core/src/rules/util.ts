/** Helpers shared by rule files: kernel-backed impls, dtype/shape checks, batch-axis movement. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { type KernelPrim, kernelFor } from "../backend/backend.js";
import { type DType, isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { PrimParams } from "../primitives.js";
import type { BDim, RuleSet } from "./types.js";

/** An impl that runs the active backend's kernel for `prim`. */
export function kernelImpl<K extends KernelPrim>(prim: K): RuleSet<K>["impl"] {
  return (args, params, outAvals) => [kernelFor(prim)(args, params as PrimParams[K], outAvals[0]!)];
}

/** Require every aval to have the same shape and dtype (lax operands; np broadcasts beforehand). */
export function checkSameShapeDtype(op: string, avals: readonly ShapedArray[]): void {
  const a = avals[0]!;
  for (const b of avals.slice(1)) {
    if (b.dtype !== a.dtype) {
      throw new DTypeError(`${op}: operands must have the same dtype, got ${avals.map((v) => v.str()).join(", ")}; cast one with astype`);
    }
    if (b.shape.length !== a.shape.length || b.shape.some((d, i) => d !== a.shape[i])) {
      throw new ShapeError(`${op}: operands must have equal shapes, got ${avals.map((v) => v.str()).join(", ")}; broadcast them first (np.${op} does)`);
    }
  }
}

/** Require a floating-point dtype. */
export function checkFloat(op: string, aval: ShapedArray): void {
  if (!isFloat(aval.dtype)) {
    throw new DTypeError(`${op}: requires a floating-point array, got ${aval.str()}; cast it with astype("float32")`);
  }
}

/** Require one of the listed dtypes. */
export function checkDtypeIn(op: string, aval: ShapedArray, allowed: readonly DType[]): void {
  if (!allowed.includes(aval.dtype)) throw new DTypeError(`${op}: dtype ${aval.dtype} is not supported (${aval.str()}); expected one of ${allowed.join(", ")}`);
}

/** Require `axis` to be an integer axis of a rank-`ndim` array (lax takes no negative axes). */
export function checkAxis(op: string, axis: number, aval: ShapedArray): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= aval.ndim) throw new ShapeError(`${op}: axis ${axis} out of range for ${aval.str()}`);
}

/** Require distinct in-range integer axes of `aval`. */
export function checkAxes(op: string, axes: readonly number[], aval: ShapedArray): void {
  for (const a of axes) checkAxis(op, a, aval);
  if (new Set(axes).size !== axes.length) throw new ShapeError(`${op}: repeated axes ${JSON.stringify(axes)} for ${aval.str()}`);
}

/** Require a shape of non-negative integers (params that create arrays, e.g. iota and broadcast targets). */
export function checkShape(op: string, shape: readonly number[]): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`${op}: shape [${shape.join(",")}] must be non-negative integers`);
}

/** Same aval with another dtype. */
export function withDtype(aval: ShapedArray, dtype: DType): ShapedArray {
  return new ShapedArray(aval.shape, dtype);
}

/** Move axis `from` of `x` to position `to`. */
export function moveAxis(x: NdArray, from: number, to: number): NdArray {
  if (from === to) return x;
  const perm = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return lax.transpose(x, perm);
}

/** The batch size shared by the batched arguments. */
export function batchSize(args: readonly NdArray[], dims: readonly BDim[]): number {
  for (let i = 0; i < args.length; i++) {
    const d = dims[i];
    if (d !== null && d !== undefined) return args[i]!.shape[d]!;
  }
  throw new Error("batch rule called with no batched argument");
}

/** Bring the batch axis of `x` to the front, broadcasting an unbatched `x` to `size`. */
export function bdimToFront(x: NdArray, d: BDim, size: number): NdArray {
  if (d === null) return lax.broadcastInDim(x, [size, ...x.shape], x.shape.map((_, i) => i + 1));
  return moveAxis(x, d, 0);
}

/** vmap rule for primitives that act elementwise on equal-shaped operands. */
export function broadcastBatcher<K extends keyof PrimParams>(prim: K): RuleSet<K>["batch"] {
  return (args, dims, params) => {
    const first = dims.find((d) => d !== null)!;
    const same = dims.every((d) => d === first) && args.every((a) => a.ndim === args[0]!.ndim);
    if (same) return [lax.bind(prim, args, params), [first]];
    const size = batchSize(args, dims);
    const moved = args.map((a, i) => bdimToFront(a, dims[i]!, size));
    return [lax.bind(prim, moved, params), [0]];
  };
}

/** Zeros shaped like each output: the tangent of a piecewise-constant function. */
export function zeroTangents(outs: readonly NdArray[]): NdArray[] {
  return outs.map((o) => lax.zerosLike(o));
}
