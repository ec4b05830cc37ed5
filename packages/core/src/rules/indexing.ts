/** Rules for `gather` (take along an axis) and its transpose `scatter_add`. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront, kernelImpl, moveAxis } from "./util.js";

const INDEX_DTYPES = ["int32", "uint32"];

function gatherShape(x: readonly number[], idx: readonly number[], axis: number): number[] {
  return [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
}

/**
 * Fold a leading batch axis of `x` (size B, gathered along logical `axis`) into that axis, and offset
 * batched `idx` (leading B) so each example indexes its own block: a batched gather becomes a plain one.
 */
function foldBatch(x: NdArray, idx: NdArray, axis: number): { x: NdArray; idx: NdArray } {
  const B = x.shape[0]!;
  const N = x.shape[axis + 1]!;
  const xt = moveAxis(x, 0, axis); // [..pre, B, N, ..post]
  const merged = lax.reshape(xt, [...xt.shape.slice(0, axis), B * N, ...xt.shape.slice(axis + 2)]);
  const offsets = lax.mul(lax.iota(idx.dtype, idx.shape, 0), lax.full(idx.shape, N, idx.dtype));
  return { x: merged, idx: lax.add(idx, offsets) };
}

/** `gather(x, indices)` along `axis`: linear in x. */
export const gatherRules: RuleSet<"gather"> = {
  abstractEval([x, idx], { axis }) {
    if (!INDEX_DTYPES.includes(idx!.dtype)) throw new DTypeError(`take: indices must be int32, got ${idx!.str()}; cast with astype("int32")`);
    if (axis < 0 || axis >= x!.ndim) throw new ShapeError(`take: axis ${axis} out of range for ${x!.str()}`);
    return [new ShapedArray(gatherShape(x!.shape, idx!.shape, axis), x!.dtype)];
  },
  impl: kernelImpl("gather"),
  jvp([x, idx], [t], { axis }) {
    return [[lax.gather(x!, idx!, axis)], [lax.gather(t!, idx!, axis)]];
  },
  batch([x, idx], [dx, di], { axis }) {
    if (di === null) return [[lax.gather(moveAxis(x!, dx!, 0), idx!, axis + 1)], [0]];
    if (dx === null) return [[lax.gather(x!, idx!, axis)], [axis + di!]];
    const folded = foldBatch(moveAxis(x!, dx!, 0), moveAxis(idx!, di!, 0), axis);
    return [[lax.gather(folded.x, folded.idx, axis)], [axis]];
  },
  transpose([ct], [x, idx], { axis }) {
    if (idx instanceof UndefPrimal) throw new Error("take: indices cannot be linear");
    const z = lax.full((x as UndefPrimal).aval.shape, 0, ct!.dtype);
    return [lax.scatterAdd(z, idx!, ct!, axis), null];
  },
};

/** `scatter_add(operand, indices, updates)` along `axis`: linear in operand and updates. */
export const scatterAddRules: RuleSet<"scatter_add"> = {
  abstractEval([op, idx, upd], { axis }) {
    if (!INDEX_DTYPES.includes(idx!.dtype)) throw new DTypeError(`scatterAdd: indices must be int32, got ${idx!.str()}`);
    if (axis < 0 || axis >= op!.ndim) throw new ShapeError(`scatterAdd: axis ${axis} out of range for ${op!.str()}`);
    const want = gatherShape(op!.shape, idx!.shape, axis);
    if (upd!.dtype !== op!.dtype || upd!.ndim !== want.length || upd!.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`scatterAdd: updates must be ${new ShapedArray(want, op!.dtype).str()} for operand ${op!.str()} and indices ${idx!.str()}, got ${upd!.str()}`);
    }
    return [op!];
  },
  impl: kernelImpl("scatter_add"),
  jvp([op, idx, upd], [top, , tupd], { axis }) {
    return [[lax.scatterAdd(op!, idx!, upd!, axis)], [lax.scatterAdd(top!, idx!, tupd!, axis)]];
  },
  batch([op, idx, upd], [dop, di, du], { axis }) {
    const B = batchSize([op!, idx!, upd!], [dop!, di!, du!]);
    const opf = bdimToFront(op!, dop!, B);
    if (di === null) return [[lax.scatterAdd(opf, idx!, bdimToFront(upd!, du!, B), axis + 1)], [0]];
    const idxf = moveAxis(idx!, di!, 0);
    const updf = bdimToFront(upd!, du!, B); // [B, ..pre, ..I, ..post]
    const { x: merged, idx: flatIdx } = foldBatch(opf, idxf, axis);
    const nI = idxf.size / B;
    const pre = opf.shape.slice(1, axis + 1);
    const post = opf.shape.slice(axis + 2);
    const updt = lax.reshape(moveAxis(lax.reshape(updf, [B, ...pre, nI, ...post]), 0, axis), [...pre, B * nI, ...post]);
    const out = lax.scatterAdd(merged, lax.reshape(flatIdx, [B * nI]), updt, axis);
    const N = opf.shape[axis + 1]!;
    return [[lax.reshape(out, [...pre, B, N, ...post])], [axis]];
  },
  transpose([ct], [op, idx, upd], { axis }) {
    if (idx instanceof UndefPrimal) throw new Error("scatterAdd: indices cannot be linear");
    return [op instanceof UndefPrimal ? ct! : null, null, upd instanceof UndefPrimal ? lax.gather(ct!, idx!, axis) : null];
  },
};
