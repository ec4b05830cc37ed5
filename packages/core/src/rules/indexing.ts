/** Rules for `gather` (take along an axis) and its transpose `scatter_add`. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { batchSize, bdimToFront, checkAxis, kernelImpl, moveAxis } from "./util.js";

const INDEX_DTYPES = ["int32", "uint32"];

function gatherShape(x: readonly number[], idx: readonly number[], axis: number): number[] {
  return [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
}

/** Indices clamped into [0, n): what the gather kernel reads for out-of-range indices. */
function clampIndices(idx: NdArray, n: number): NdArray {
  const hi = lax.min(idx, lax.full(idx.shape, Math.max(n - 1, 0), idx.dtype));
  return idx.dtype === "uint32" ? hi : lax.max(hi, lax.full(idx.shape, 0, idx.dtype));
}

/** Whether each index is in [0, n): the updates scatter_add keeps. */
function indicesInRange(idx: NdArray, n: number): NdArray {
  return lax.and(lax.ge(idx, lax.full(idx.shape, 0, idx.dtype)), lax.lt(idx, lax.full(idx.shape, n, idx.dtype)));
}

/**
 * Fold a leading batch axis of `x` (size B, gathered along logical `axis`) into that axis, and offset
 * batched `idx` (leading B) so each example indexes its own block: a batched gather becomes a plain one.
 * Out-of-range indices must keep their unbatched meaning instead of reaching a neighbouring example's
 * block: for gather they are clamped first; for scatter_add they are sent past the end (dropped).
 */
function foldBatch(x: NdArray, idx: NdArray, axis: number, mode: "clamp" | "drop"): { x: NdArray; idx: NdArray } {
  const B = x.shape[0]!;
  const N = x.shape[axis + 1]!;
  const xt = moveAxis(x, 0, axis); // [..pre, B, N, ..post]
  const merged = lax.reshape(xt, [...xt.shape.slice(0, axis), B * N, ...xt.shape.slice(axis + 2)]);
  const offsets = lax.mul(lax.iota(idx.dtype, idx.shape, 0), lax.full(idx.shape, N, idx.dtype));
  if (mode === "clamp") return { x: merged, idx: lax.add(clampIndices(idx, N), offsets) };
  const shifted = lax.selectN(indicesInRange(idx, N), lax.full(idx.shape, B * N, idx.dtype), lax.add(idx, offsets));
  return { x: merged, idx: shifted };
}

/** `gather(x, indices)` along `axis`: linear in x. */
export const gatherRules: RuleSet<"gather"> = {
  abstractEval([x, idx], { axis }) {
    if (!INDEX_DTYPES.includes(idx!.dtype)) throw new DTypeError(`take: indices must be int32, got ${idx!.str()}; cast with astype("int32")`);
    checkAxis("take", axis, x!);
    if (x!.shape[axis] === 0 && idx!.size > 0) throw new ShapeError(`take: cannot take indices ${idx!.str()} from the empty axis ${axis} of ${x!.str()}`);
    return [new ShapedArray(gatherShape(x!.shape, idx!.shape, axis), x!.dtype)];
  },
  impl: kernelImpl("gather"),
  jvp([x, idx], [t], { axis }) {
    return [[lax.gather(x!, idx!, axis)], [lax.gather(t!, idx!, axis)]];
  },
  batch([x, idx], [dx, di], { axis }) {
    if (di === null) return [[lax.gather(moveAxis(x!, dx!, 0), idx!, axis + 1)], [0]];
    if (dx === null) return [[lax.gather(x!, idx!, axis)], [axis + di!]];
    const folded = foldBatch(moveAxis(x!, dx!, 0), moveAxis(idx!, di!, 0), axis, "clamp");
    return [[lax.gather(folded.x, folded.idx, axis)], [axis]];
  },
  transpose([ct], [x, idx], { axis }) {
    if (idx instanceof UndefPrimal) throw new Error("take: indices cannot be linear");
    const shape = (x as UndefPrimal).aval.shape;
    const z = lax.full(shape, 0, ct!.dtype);
    // Clamped like the forward gather, so an out-of-range index sends its cotangent where it read from.
    return [lax.scatterAdd(z, clampIndices(idx!, shape[axis]!), ct!, axis), null];
  },
};

/** `scatter_add(operand, indices, updates)` along `axis`: linear in operand and updates. */
export const scatterAddRules: RuleSet<"scatter_add"> = {
  abstractEval([op, idx, upd], { axis }) {
    if (!INDEX_DTYPES.includes(idx!.dtype)) throw new DTypeError(`scatterAdd: indices must be int32, got ${idx!.str()}`);
    checkAxis("scatterAdd", axis, op!);
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
    const { x: merged, idx: flatIdx } = foldBatch(opf, idxf, axis, "drop");
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
    if (!(upd instanceof UndefPrimal)) return [op instanceof UndefPrimal ? ct! : null, null, null];
    // Dropped (out-of-range) updates get a zero cotangent, not the clamped gather's value.
    const g = lax.gather(ct!, idx!, axis);
    const keep = lax.broadcastInDim(indicesInRange(idx!, ct!.shape[axis]!), g.shape, idx!.shape.map((_, i) => axis + i));
    return [op instanceof UndefPrimal ? ct! : null, null, lax.selectN(keep, lax.zerosLike(g), g)];
  },
};
