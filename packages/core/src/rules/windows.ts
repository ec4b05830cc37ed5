/**
 * Rules for the windowed reductions, following JAX's lax/windowed_reductions.py: `reduce_window`
 * (sum is linear; max/min differentiate through `select_and_gather_add`), and the pair
 * `select_and_gather_add` / `select_and_scatter_add`, each linear in its first operand and each the
 * other's transpose, so max pooling differentiates to any order.
 */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { isFloat } from "../dtype.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { Padding, PrimParams } from "../primitives.js";
import { fmtShape } from "../shape.js";
import type { BDim, RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront, checkDtypeIn, checkFloat, kernelImpl } from "./util.js";

type WindowParams = { windowDimensions: readonly number[]; windowStrides: readonly number[]; padding: Padding };
type SelectParams = PrimParams["select_and_gather_add"];

const isPosInt = (v: number): boolean => Number.isInteger(v) && v >= 1;

/** Shape of the windows of `x` (one output element per window), after validating the window params. */
function windowsShape(op: string, x: ShapedArray, p: WindowParams): number[] {
  const perDim: [string, readonly number[]][] = [["windowDimensions", p.windowDimensions], ["windowStrides", p.windowStrides]];
  for (const [name, v] of perDim) {
    if (v.length !== x.ndim || !v.every(isPosInt)) {
      throw new ShapeError(`${op}: ${name} ${fmtShape(v)} must hold ${x.ndim} positive integers, one per dimension of ${x.str()}`);
    }
  }
  if (p.padding.length !== x.ndim || !p.padding.every((lh) => lh.length === 2 && lh.every(Number.isInteger))) {
    throw new ShapeError(`${op}: padding ${JSON.stringify(p.padding)} must hold ${x.ndim} integer [low, high] pairs, one per dimension of ${x.str()}`);
  }
  return x.shape.map((n, d) => {
    const [lo, hi] = p.padding[d]!;
    if (n + lo + hi < 0) throw new ShapeError(`${op}: padding [${lo}, ${hi}] removes more than dimension ${d} of ${x.str()} has; use smaller negative padding`);
    return Math.max(0, Math.floor((n + lo + hi - p.windowDimensions[d]!) / p.windowStrides[d]!) + 1);
  });
}

/** Params with a size-1, stride-1, unpadded window inserted at axis `d` (where vmap's axis sits). */
function withUnitWindowAt<P extends WindowParams>(p: P, d: number): P {
  const ins = <T>(xs: readonly T[], v: T): T[] => [...xs.slice(0, d), v, ...xs.slice(d)];
  return { ...p, windowDimensions: ins(p.windowDimensions, 1), windowStrides: ins(p.windowStrides, 1), padding: ins(p.padding, [0, 0] as const) };
}

/** Cotangent of a windowed sum: dilate the cotangent by the strides, pad, and sum windows again. */
function reduceWindowSumTranspose(ct: NdArray, inShape: readonly number[], p: WindowParams): NdArray {
  if (ct.size === 0) return lax.full(inShape, 0, ct.dtype);
  const config = inShape.map((n, d) => {
    const w = p.windowDimensions[d]!;
    const s = p.windowStrides[d]!;
    const outDilated = 1 + s * (ct.shape[d]! - 1);
    const before = w - p.padding[d]![0] - 1;
    return [before, n + w - 1 - outDilated - before, s - 1] as const;
  });
  const padded = lax.pad(ct, lax.scalar(0, ct.dtype), config);
  // A window of ones is its own reversal, so the transposed conv is again a windowed sum.
  return lax.reduceWindow(padded, "sum", p.windowDimensions, inShape.map(() => 1), inShape.map(() => [0, 0] as const));
}

/** `reduce_window(x)`: windowed sum (linear), max or min (pooling). */
export const reduceWindowRules: RuleSet<"reduce_window"> = {
  abstractEval([x], params) {
    checkDtypeIn("reduceWindow", x!, ["float32", "float64", "int32", "uint32"]);
    return [new ShapedArray(windowsShape("reduceWindow", x!, params), x!.dtype)];
  },
  impl: kernelImpl("reduce_window"),
  jvp([x], [t], { op, windowDimensions, windowStrides, padding }) {
    const y = lax.reduceWindow(x!, op, windowDimensions, windowStrides, padding);
    if (op === "sum") return [[y], [lax.reduceWindow(t!, "sum", windowDimensions, windowStrides, padding)]];
    if (!isFloat(x!.dtype)) return [[y], [lax.zerosLike(y)]];
    // The tangent of a window's max is the tangent at the element that attained it.
    return [[y], [lax.selectAndGatherAdd(t!, x!, { op, windowDimensions, windowStrides, padding })]];
  },
  batch([x], [d], params) {
    const p = withUnitWindowAt(params, d!);
    return [[lax.reduceWindow(x!, p.op, p.windowDimensions, p.windowStrides, p.padding)], [d!]];
  },
  transpose([ct], [x], params) {
    if (params.op !== "sum") throw new Error(`reduceWindow: a windowed ${params.op} is not linear and has no transpose`);
    return [reduceWindowSumTranspose(ct!, (x as UndefPrimal).aval.shape, params)];
  },
};

/** Batch rule shared by the select pair: both operands get the mapped axis at the same place. */
function selectBatch(prim: "select_and_gather_add" | "select_and_scatter_add"): (args: NdArray[], dims: BDim[], p: SelectParams) => [NdArray[], BDim[]] {
  return ([a, x], [da, dx], p) => {
    if (da === dx) return [lax.bind(prim, [a!, x!], withUnitWindowAt(p, da!)), [da!]];
    const size = batchSize([a!, x!], [da!, dx!]);
    const moved = [bdimToFront(a!, da!, size), bdimToFront(x!, dx!, size)];
    return [lax.bind(prim, moved, withUnitWindowAt(p, 0)), [0]];
  };
}

/** The operand of a select primitive: it chooses positions, so it must be known when transposing. */
function knownOperand(op: string, x: NdArray | UndefPrimal): NdArray {
  if (x instanceof UndefPrimal) throw new Error(`${op}: not linear in the operand (it only selects positions); cannot transpose with respect to it`);
  return x;
}

/** `select_and_gather_add(tangent, operand)`: linear in the tangent; transposes to select_and_scatter_add. */
export const selectAndGatherAddRules: RuleSet<"select_and_gather_add"> = {
  abstractEval([t, x], params) {
    checkFloat("selectAndGatherAdd", t!);
    checkDtypeIn("selectAndGatherAdd", x!, ["float32", "float64", "int32", "uint32"]);
    if (!t!.shape.every((n, i) => n === x!.shape[i]) || t!.ndim !== x!.ndim) {
      throw new ShapeError(`selectAndGatherAdd: tangent ${t!.str()} and operand ${x!.str()} must have the same shape`);
    }
    return [new ShapedArray(windowsShape("selectAndGatherAdd", x!, params), t!.dtype)];
  },
  impl: kernelImpl("select_and_gather_add"),
  jvp([t, x], [tt], params) {
    // The operand only picks positions (piecewise constant), so its tangent contributes nothing.
    return [[lax.selectAndGatherAdd(t!, x!, params)], [lax.selectAndGatherAdd(tt!, x!, params)]];
  },
  batch: selectBatch("select_and_gather_add"),
  transpose([ct], [, x], params) {
    return [lax.selectAndScatterAdd(ct!, knownOperand("selectAndGatherAdd", x!), params), null];
  },
};

/** `select_and_scatter_add(source, operand)`: linear in the source; transposes to select_and_gather_add. */
export const selectAndScatterAddRules: RuleSet<"select_and_scatter_add"> = {
  abstractEval([s, x], params) {
    checkFloat("selectAndScatterAdd", s!);
    checkDtypeIn("selectAndScatterAdd", x!, ["float32", "float64", "int32", "uint32"]);
    const windows = windowsShape("selectAndScatterAdd", x!, params);
    if (s!.ndim !== windows.length || !s!.shape.every((n, i) => n === windows[i])) {
      throw new ShapeError(`selectAndScatterAdd: source ${s!.str()} must have the windows' shape ${fmtShape(windows)} of operand ${x!.str()}`);
    }
    return [new ShapedArray(x!.shape, s!.dtype)];
  },
  impl: kernelImpl("select_and_scatter_add"),
  jvp([s, x], [ts], params) {
    return [[lax.selectAndScatterAdd(s!, x!, params)], [lax.selectAndScatterAdd(ts!, x!, params)]];
  },
  batch: selectBatch("select_and_scatter_add"),
  transpose([ct], [, x], params) {
    return [lax.selectAndGatherAdd(ct!, knownOperand("selectAndScatterAdd", x!), params), null];
  },
};
