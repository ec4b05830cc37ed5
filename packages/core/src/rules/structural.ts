/** Rules for movement primitives: iota, broadcast_in_dim, reshape, transpose, rev, pad, concatenate, slice. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { checkDType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { fmtShape, sizeOf } from "../shape.js";
import type { RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront, checkAxes, checkAxis, checkSameShapeDtype, checkShape, kernelImpl, moveAxis } from "./util.js";

const avalOf = (x: NdArray | UndefPrimal): ShapedArray => x.aval;

/** `iota`: no operands, so no derivative and nothing to batch. */
export const iotaRules: RuleSet<"iota"> = {
  abstractEval(_a, { dtype, shape, dimension }) {
    checkShape("iota", shape);
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= shape.length) throw new ShapeError(`iota: dimension ${dimension} out of range for shape ${fmtShape(shape)}`);
    return [new ShapedArray(shape, checkDType("iota", dtype))];
  },
  impl: kernelImpl("iota"),
  jvp(_p, _t, params) {
    const y = lax.iota(params.dtype, params.shape, params.dimension);
    return [[y], [lax.zerosLike(y)]];
  },
  batch(_a, _d, params) {
    return [[lax.iota(params.dtype, params.shape, params.dimension)], [null]];
  },
};

/** `broadcast_in_dim`: linear; its transpose sums over the broadcast dimensions. */
export const broadcastInDimRules: RuleSet<"broadcast_in_dim"> = {
  abstractEval([x], { shape, broadcastDimensions: bd }) {
    const bad = () =>
      new ShapeError(`broadcast_in_dim: cannot broadcast ${x!.str()} to ${fmtShape(shape)} with broadcastDimensions ${fmtShape(bd)}; each operand dim must be 1 or equal its target dim, targets increasing`);
    checkShape("broadcast_in_dim", shape);
    if (bd.length !== x!.ndim) throw bad();
    for (let i = 0; i < bd.length; i++) {
      const od = bd[i]!;
      if (od < 0 || od >= shape.length || (i > 0 && od <= bd[i - 1]!)) throw bad();
      if (x!.shape[i] !== 1 && x!.shape[i] !== shape[od]) throw bad();
    }
    return [new ShapedArray(shape, x!.dtype)];
  },
  impl: kernelImpl("broadcast_in_dim"),
  jvp([x], [t], { shape, broadcastDimensions }) {
    return [[lax.broadcastInDim(x!, shape, broadcastDimensions)], [lax.broadcastInDim(t!, shape, broadcastDimensions)]];
  },
  batch([x], [d], { shape, broadcastDimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [[lax.broadcastInDim(xf, [xf.shape[0]!, ...shape], [0, ...broadcastDimensions.map((b) => b + 1)])], [0]];
  },
  transpose([ct], [x], { shape, broadcastDimensions: bd }) {
    const inShape = avalOf(x!).shape;
    const summed = shape.map((_, i) => i).filter((i) => !bd.includes(i));
    const expanded = bd.filter((od, i) => inShape[i] === 1 && shape[od] !== 1);
    const s = lax.reduceSum(ct!, [...summed, ...expanded].sort((a, b) => a - b));
    return [lax.reshape(s, inShape)];
  },
};

/** `reshape` (row-major): linear. */
export const reshapeRules: RuleSet<"reshape"> = {
  abstractEval([x], { newSizes }) {
    if (sizeOf(newSizes) !== x!.size || newSizes.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ShapeError(`reshape: cannot reshape ${x!.str()} (${x!.size} elements) into ${fmtShape(newSizes)} (${sizeOf(newSizes)} elements)`);
    }
    return [new ShapedArray(newSizes, x!.dtype)];
  },
  impl: kernelImpl("reshape"),
  jvp([x], [t], { newSizes }) {
    return [[lax.reshape(x!, newSizes)], [lax.reshape(t!, newSizes)]];
  },
  batch([x], [d], { newSizes }) {
    const xf = moveAxis(x!, d!, 0);
    return [[lax.reshape(xf, [xf.shape[0]!, ...newSizes])], [0]];
  },
  transpose([ct], [x]) {
    return [lax.reshape(ct!, avalOf(x!).shape)];
  },
};

/** `transpose`: linear; transposed by the inverse permutation. */
export const transposeRules: RuleSet<"transpose"> = {
  abstractEval([x], { permutation }) {
    const ok = permutation.length === x!.ndim && [...permutation].sort((a, b) => a - b).every((p, i) => p === i);
    if (!ok) throw new ShapeError(`transpose: ${fmtShape(permutation)} is not a permutation of the axes of ${x!.str()}`);
    return [new ShapedArray(permutation.map((p) => x!.shape[p]!), x!.dtype)];
  },
  impl: kernelImpl("transpose"),
  jvp([x], [t], { permutation }) {
    return [[lax.transpose(x!, permutation)], [lax.transpose(t!, permutation)]];
  },
  batch([x], [d], { permutation }) {
    const xf = moveAxis(x!, d!, 0);
    return [[lax.transpose(xf, [0, ...permutation.map((p) => p + 1)])], [0]];
  },
  transpose([ct], _x, { permutation }) {
    const inv = new Array<number>(permutation.length);
    permutation.forEach((p, i) => (inv[p] = i));
    return [lax.transpose(ct!, inv)];
  },
};

/** `rev`: linear and its own transpose. */
export const revRules: RuleSet<"rev"> = {
  abstractEval([x], { dimensions }) {
    checkAxes("rev", dimensions, x!);
    return [x!];
  },
  impl: kernelImpl("rev"),
  jvp([x], [t], { dimensions }) {
    return [[lax.rev(x!, dimensions)], [lax.rev(t!, dimensions)]];
  },
  batch([x], [d], { dimensions }) {
    return [[lax.rev(x!, dimensions.map((a) => (a < d! ? a : a + 1)))], [d!]];
  },
  transpose([ct], _x, { dimensions }) {
    return [lax.rev(ct!, dimensions)];
  },
};

/** `pad(operand, padValue)`: linear in both operands. */
export const padRules: RuleSet<"pad"> = {
  abstractEval([x, v], { config }) {
    checkSameShapeDtype("pad", [new ShapedArray([], x!.dtype), v!]);
    if (config.length !== x!.ndim) throw new ShapeError(`pad: need one [low, high, interior] per dimension of ${x!.str()}, got ${config.length}`);
    const shape = x!.shape.map((n, i) => {
      const [lo, hi, interior] = config[i]!;
      if (![lo, hi, interior].every(Number.isInteger)) throw new ShapeError(`pad: padding ${JSON.stringify(config[i])} must be integers`);
      if (interior < 0) throw new ShapeError(`pad: interior padding must be non-negative, got ${interior}`);
      const out = lo + hi + n + Math.max(0, n - 1) * interior;
      if (out < 0) throw new ShapeError(`pad: negative padding ${JSON.stringify(config[i])} removes more than dimension ${i} of ${x!.str()} has`);
      return out;
    });
    return [new ShapedArray(shape, x!.dtype)];
  },
  impl: kernelImpl("pad"),
  jvp([x, v], [tx, tv], { config }) {
    return [[lax.pad(x!, v!, config)], [lax.pad(tx!, tv!, config)]];
  },
  batch([x, v], [dx, dv], { config }) {
    const size = batchSize([x!, v!], [dx!, dv!]);
    const xf = bdimToFront(x!, dx!, size);
    const cfg = [[0, 0, 0] as const, ...config];
    if (dv === null) return [[lax.pad(xf, v!, cfg)], [0]];
    // A batched pad value: pad with zeros, then select the value where the mask says "padding".
    const padded = lax.pad(xf, lax.scalar(0, x!.dtype), cfg);
    const mask = lax.pad(lax.full(xf.shape, false, "bool"), lax.scalar(true, "bool"), cfg);
    const vb = lax.broadcastInDim(v!, padded.shape, [0]);
    return [[lax.selectN(mask, padded, vb)], [0]];
  },
  transpose([ct], [x, v], { config }) {
    const inShape = avalOf(x!).shape;
    // Undo low/high padding (by negating it), then take every (interior+1)-th element.
    const unpadded = lax.pad(ct!, lax.scalar(0, ct!.dtype), config.map(([lo, hi]) => [-lo, -hi, 0] as const));
    const inner = lax.slice(unpadded, inShape.map(() => 0), unpadded.shape, config.map(([, , i]) => i + 1));
    const total = (a: NdArray) => lax.reduceSum(a, a.shape.map((_, i) => i));
    return [x instanceof UndefPrimal ? inner : null, v instanceof UndefPrimal ? lax.sub(total(ct!), total(inner)) : null];
  },
};

/** `concatenate`: linear in every operand. */
export const concatenateRules: RuleSet<"concatenate"> = {
  abstractEval(avals, { dimension }) {
    const a = avals[0]!;
    checkAxis("concatenate", dimension, a);
    for (const b of avals) {
      if (b.dtype !== a.dtype || b.ndim !== a.ndim || b.shape.some((d, i) => i !== dimension && d !== a.shape[i])) {
        throw new ShapeError(`concatenate: arrays must match except along axis ${dimension}, got ${avals.map((v) => v.str()).join(", ")}`);
      }
    }
    const shape = [...a.shape];
    shape[dimension] = avals.reduce((n, v) => n + v.shape[dimension]!, 0);
    return [new ShapedArray(shape, a.dtype)];
  },
  impl: kernelImpl("concatenate"),
  jvp(xs, ts, { dimension }) {
    return [[lax.concatenate(xs, dimension)], [lax.concatenate(ts, dimension)]];
  },
  batch(xs, dims, { dimension }) {
    const size = batchSize(xs, dims);
    return [[lax.concatenate(xs.map((x, i) => bdimToFront(x, dims[i]!, size)), dimension + 1)], [0]];
  },
  transpose([ct], xs, { dimension }) {
    let offset = 0;
    return xs.map((x) => {
      const shape = avalOf(x).shape;
      const start = shape.map((_, i) => (i === dimension ? offset : 0));
      const limit = shape.map((d, i) => (i === dimension ? offset + d : ct!.shape[i]!));
      offset += shape[dimension]!;
      return x instanceof UndefPrimal ? lax.slice(ct!, start, limit) : null;
    });
  },
};

/** `slice` with strides: linear; transposed by zero padding. */
export const sliceRules: RuleSet<"slice"> = {
  abstractEval([x], { start, limit, strides }) {
    const ok =
      start.length === x!.ndim && limit.length === x!.ndim && strides.length === x!.ndim &&
      start.every((s, i) => Number.isInteger(s) && Number.isInteger(limit[i]) && Number.isInteger(strides[i]) && s >= 0 && s <= limit[i]! && limit[i]! <= x!.shape[i]! && strides[i]! >= 1);
    if (!ok) throw new ShapeError(`slice: start ${fmtShape(start)}, limit ${fmtShape(limit)}, strides ${fmtShape(strides)} do not fit ${x!.str()}`);
    return [new ShapedArray(start.map((s, i) => Math.ceil((limit[i]! - s) / strides[i]!)), x!.dtype)];
  },
  impl: kernelImpl("slice"),
  jvp([x], [t], { start, limit, strides }) {
    return [[lax.slice(x!, start, limit, strides)], [lax.slice(t!, start, limit, strides)]];
  },
  batch([x], [d], { start, limit, strides }) {
    const ins = <T>(a: readonly T[], v: T) => [...a.slice(0, d!), v, ...a.slice(d!)];
    return [[lax.slice(x!, ins(start, 0), ins(limit, x!.shape[d!]!), ins(strides, 1))], [d!]];
  },
  transpose([ct], [x], { start, strides }) {
    const inShape = avalOf(x!).shape;
    if (ct!.size === 0) return [lax.full(inShape, 0, ct!.dtype)];
    const config = inShape.map((n, i) => {
      const outN = ct!.shape[i]!;
      const lo = start[i]!;
      const used = lo + (outN - 1) * strides[i]! + 1;
      return [lo, n - used, strides[i]! - 1] as const;
    });
    return [lax.pad(ct!, lax.scalar(0, ct!.dtype), config)];
  },
};
