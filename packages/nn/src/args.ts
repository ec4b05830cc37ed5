/** Argument normalisation shared by the layers: per-dimension tuples, padding specs, optional batch axes. */
import { type NdArray, ShapeError, np } from "@fluxion/core";
import type { Shape } from "./types.js";

/** Padding of conv/pool layers: "VALID", "SAME", one symmetric amount for all dims, one per dim, or `[low, high]` per dim. */
export type PaddingOption = "VALID" | "SAME" | number | readonly number[] | readonly (readonly [number, number])[];

/** `v` as `n` positive integers (a number is repeated), or a RangeError naming the layer and the option. */
export function tuple(op: string, what: string, v: number | readonly number[], n: number, min = 1): number[] {
  const out = typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
  if (out.length !== n) throw new RangeError(`${op}: ${what} needs ${n} value(s), got ${JSON.stringify(v)}`);
  for (const x of out) {
    if (!Number.isInteger(x) || x < min) throw new RangeError(`${op}: ${what} must be integer(s) ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return out;
}

/** A user padding option as core's `PaddingSpec` for `n` spatial dims. */
export function paddingSpec(op: string, p: PaddingOption, n: number): np.PaddingSpec {
  if (p === "VALID" || p === "SAME") return p;
  if (typeof p === "number") return tuple(op, "padding", p, n, 0).map((k) => [k, k] as const);
  if (p.length !== n) throw new RangeError(`${op}: padding needs ${n} entries (one per spatial dim), got ${JSON.stringify(p)}`);
  return p.map((e) => {
    const [lo, hi] = typeof e === "number" ? [e, e] : e;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) throw new RangeError(`${op}: padding must be non-negative integers, got ${JSON.stringify(p)}`);
    return [lo, hi] as const;
  });
}

/** Positive number check for hyper-parameters such as eps. */
export function positive(op: string, what: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${op}: ${what} must be a positive finite number, got ${v}`);
  return v;
}

/**
 * Run `f` on `x` with a leading batch axis: inputs of rank `rank − 1` (one example, as under `vmap`)
 * get a batch of one added and removed, so spatial layers accept single examples.
 */
export function withBatch(op: string, x: NdArray, rank: number, what: string, f: (xb: NdArray) => NdArray): NdArray {
  if (x.ndim === rank) return f(x);
  if (x.ndim === rank - 1) return np.squeeze(f(np.expandDims(x, 0)), 0);
  throw new ShapeError(`${op}: expected input of rank ${rank} (${what}) or ${rank - 1} (one example), got ${x.aval.str()}`);
}

/** The same check on a shape, returning whether the batch axis is present. */
export function checkRank(op: string, shape: Shape, rank: number, what: string): boolean {
  if (shape.length === rank) return true;
  if (shape.length === rank - 1) return false;
  throw new ShapeError(`${op}: expected input of rank ${rank} (${what}) or ${rank - 1} (one example), got shape [${shape.join(",")}]`);
}

/** Output size of a window of `k` (already dilated) sliding with stride `s` over `n` padded by `lo + hi`. */
export function windowOutSize(n: number, k: number, s: number, lo: number, hi: number): number {
  return Math.max(0, Math.floor((n + lo + hi - k) / s) + 1);
}

/** Features of the last axis of `inputShape`, or the configured count, checked against each other. */
export function inferFeatures(op: string, configured: number | undefined, inputShape: Shape | undefined, axisFromEnd = 1, what = "inFeatures"): number {
  const fromShape = inputShape && inputShape.length >= axisFromEnd ? inputShape[inputShape.length - axisFromEnd] : undefined;
  if (configured !== undefined && fromShape !== undefined && configured !== fromShape) {
    throw new ShapeError(`${op}: ${what} is ${configured} but the input shape [${inputShape!.join(",")}] has ${fromShape}`);
  }
  const n = configured ?? fromShape;
  if (n === undefined) throw new ShapeError(`${op}: cannot infer ${what}; pass it in the options or give init an inputShape`);
  return n;
}
