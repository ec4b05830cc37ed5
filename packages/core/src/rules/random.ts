/**
 * Rules for the bit-level primitives behind `random`: `shift_left`, `shift_right_logical`,
 * `bitcast_convert_type` and `threefry2x32`. None is differentiable (their tangents are zeros, as
 * JAX's) and none is linear, so none has a transpose rule.
 */
import { ConcreteArray, type NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { threefry2x32Words } from "../backend/reference/random.js";
import { type DType, checkDType } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";
import { bind, bind1 } from "../trace.js";
import type { BDim, RuleSet } from "./types.js";
import { batchSize, broadcastBatcher, kernelImpl, moveAxis, zeroTangents } from "./util.js";

type ShiftPrim = "shift_left" | "shift_right_logical";

const avalList = (avals: readonly ShapedArray[]) => avals.map((a) => a.str()).join(", ");

/** Rules of a shift: int32/uint32 operands of one dtype and shape; the amount is read as unsigned. */
function shiftRules<K extends ShiftPrim>(prim: K): RuleSet<K> {
  return {
    abstractEval(avals) {
      const [x, s] = avals as [ShapedArray, ShapedArray];
      if ((x.dtype !== "int32" && x.dtype !== "uint32") || s.dtype !== x.dtype) {
        throw new DTypeError(`${prim}: operands must both be int32 or both uint32, got ${avalList(avals)}; cast with astype`);
      }
      if (!x.equals(s)) throw new ShapeError(`${prim}: operands must have equal shapes, got ${avalList(avals)}; broadcast the shift amount first`);
      return [x];
    },
    impl: kernelImpl(prim as ShiftPrim) as RuleSet<K>["impl"],
    jvp(primals, _t, params) {
      const outs = bind(prim, primals, params);
      return [outs, zeroTangents(outs)];
    },
    batch: broadcastBatcher(prim),
  };
}

/** `shift_left` */
export const shiftLeftRules: RuleSet<"shift_left"> = shiftRules("shift_left");
/** `shift_right_logical` */
export const shiftRightLogicalRules: RuleSet<"shift_right_logical"> = shiftRules("shift_right_logical");

const BIT_WIDTH: Record<DType, number> = { float32: 32, int32: 32, uint32: 32, float64: 64, bool: 8 };

/** `bitcast_convert_type`: reinterpret the bits of each element as another dtype of the same width. */
export const bitcastConvertTypeRules: RuleSet<"bitcast_convert_type"> = {
  abstractEval([x], { newDtype }) {
    const to = checkDType("bitcast_convert_type", newDtype);
    if (BIT_WIDTH[to] !== BIT_WIDTH[x!.dtype]) {
      throw new DTypeError(
        `bitcast_convert_type: cannot reinterpret ${x!.str()} as ${to}: element widths differ (${BIT_WIDTH[x!.dtype]} vs ${BIT_WIDTH[to]} bits); only same-width bitcasts (float32/int32/uint32) are supported`,
      );
    }
    return [new ShapedArray(x!.shape, to)];
  },
  impl: kernelImpl("bitcast_convert_type"),
  jvp([x], _t, params) {
    const y = bind1("bitcast_convert_type", [x!], params);
    return [[y], [lax.zerosLike(y)]];
  },
  batch([x], [d], params) {
    return [[bind1("bitcast_convert_type", [x!], params)], [d!]];
  },
};

/**
 * `threefry2x32(key0, key1, x0, x1)`: the Threefry-2x32 hash of the counter pairs (x0, x1) under the
 * key (key0, key1), elementwise. All four are uint32 and broadcast together by NumPy rules, so 0-d keys
 * hash a whole array of counters (as JAX's primitive does).
 */
export const threefry2x32Rules: RuleSet<"threefry2x32"> = {
  abstractEval(avals) {
    if (avals.length !== 4) throw new TypeError(`threefry2x32: expects 4 operands (key0, key1, x0, x1), got ${avals.length}`);
    if (avals.some((a) => a.dtype !== "uint32")) {
      throw new DTypeError(`threefry2x32: operands (key0, key1, x0, x1) must be uint32, got ${avalList(avals)}`);
    }
    let shape: number[];
    try {
      shape = broadcastShapes("threefry2x32", ...avals.map((a) => a.shape));
    } catch {
      throw new ShapeError(`threefry2x32: operands (key0, key1, x0, x1) ${avalList(avals)} cannot be broadcast together; keys are usually 0-d and x0, x1 of one shape`);
    }
    const out = new ShapedArray(shape, "uint32");
    return [out, out];
  },
  impl(args, _p, outAvals) {
    const out = outAvals[0]!;
    const [y0, y1] = threefry2x32Words(args, out);
    return [new ConcreteArray(y0, out.shape, "uint32"), new ConcreteArray(y1, out.shape, "uint32")];
  },
  jvp(primals) {
    const outs = bind("threefry2x32", primals, {});
    return [outs, zeroTangents(outs)];
  },
  batch(args, dims) {
    return [bind("threefry2x32", alignBatched(args, dims), {}), [0, 0]];
  },
};

/**
 * Put each batched operand's batch axis first and pad its remaining rank with 1s up to the widest
 * unbatched rank, so right-aligned broadcasting lines the batch axes up; unbatched operands broadcast
 * against them unchanged.
 */
function alignBatched(args: readonly NdArray[], dims: readonly BDim[]): NdArray[] {
  const size = batchSize(args, dims);
  const rank = Math.max(...args.map((a, i) => a.ndim - (dims[i] === null ? 0 : 1)));
  return args.map((a, i) => {
    const d = dims[i];
    if (d === null || d === undefined) return a;
    const front = moveAxis(a, d, 0);
    const rest = front.shape.slice(1);
    return lax.reshape(front, [size, ...new Array<number>(rank - rest.length).fill(1), ...rest]);
  });
}
