/** What every scan rule needs: the operand groups, the avals of per-step slices and stacked outputs. */
import type { NdArray } from "../../array.js";
import { ShapedArray } from "../../aval.js";
import * as lax from "../../lax/index.js";
import type { PrimParams } from "../../primitives.js";
import { splitList } from "./lists.js";

/** Params of the `scan` primitive. */
export type ScanParams = PrimParams["scan"];

/** Split a scan's operands (or its body's inputs) into [consts, carry, xs]. */
export function scanGroups<T>(xs: readonly T[], p: Pick<ScanParams, "numConsts" | "numCarry">): [T[], T[], T[]] {
  const [consts, carry, rest] = splitList(xs, [p.numConsts, p.numCarry]);
  return [consts!, carry!, rest!];
}

/** The aval of `length` values of `aval` stacked along a new leading axis. */
export const stackedAval = (aval: ShapedArray, length: number): ShapedArray => new ShapedArray([length, ...aval.shape], aval.dtype);

/** The scan's output avals: the carry, then each per-step output stacked `length` times. */
export function scanOutAvals(p: ScanParams): ShapedArray[] {
  const carry = p.jaxpr.inBinders.slice(p.numConsts, p.numConsts + p.numCarry).map((v) => v.aval);
  const ys = p.jaxpr.outs.slice(p.numCarry).map((o) => stackedAval(o.aval, p.length));
  return [...carry, ...ys];
}

/** Row `i` of `x` along axis 0, without that axis. */
export function indexAxis0(x: NdArray, i: number): NdArray {
  const rest = x.shape.slice(1);
  return lax.reshape(lax.slice(x, [i, ...rest.map(() => 0)], [i + 1, ...rest]), rest);
}

/** Stack `rows` (all of aval `aval`) along a new axis 0; an empty list gives a length-0 array. */
export function stackAxis0(rows: readonly NdArray[], aval: ShapedArray): NdArray {
  if (rows.length === 0) return lax.full([0, ...aval.shape], 0, aval.dtype);
  return lax.concatenate(rows.map((r) => lax.reshape(r, [1, ...r.shape])), 0);
}
