/** NumPy-style shape manipulation: reshape, transpose, stacking, splitting, tiling, padding, flipping. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { fmtShape, sizeOf } from "../shape.js";
import { array, asArray, axesOf, axisOf, broadcastTo as broadcastToImpl, resultDtype } from "./convert.js";

/** Reshape (row-major); one dimension may be −1 and is inferred. */
export function reshape(x: ArrayLike, shape: readonly number[]): NdArray {
  const a = asArray(x);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid target shape ${fmtShape(shape)}; use non-negative integers and at most one -1`);
  }
  let target = [...shape];
  if (unknown === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || a.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${a.aval.str()} (${a.size} elements) into ${fmtShape(shape)}`);
    }
    target = shape.map((d) => (d === -1 ? a.size / known : d));
  }
  if (sizeOf(target) !== a.size) throw new ShapeError(`reshape: cannot reshape ${a.aval.str()} (${a.size} elements) into ${fmtShape(shape)} (${sizeOf(target)} elements)`);
  return lax.reshape(a, target);
}

/** Flatten to 1-D. */
export function ravel(x: ArrayLike): NdArray {
  const a = asArray(x);
  return lax.reshape(a, [a.size]);
}

/** Permute axes (reverse them when `axes` is omitted). */
export function transpose(x: ArrayLike, axes?: readonly number[]): NdArray {
  const a = asArray(x);
  const perm = axes === undefined ? a.shape.map((_, i) => a.ndim - 1 - i) : axes.map((ax) => axisOf("transpose", ax, a));
  if (perm.length !== a.ndim || new Set(perm).size !== a.ndim) {
    throw new ShapeError(`transpose: axes ${fmtShape(axes ?? [])} are not a permutation of the ${a.ndim} axes of ${a.aval.str()}`);
  }
  return lax.transpose(a, perm);
}

/** Move axis `source` to position `destination`. */
export function moveaxis(x: ArrayLike, source: number, destination: number): NdArray {
  const a = asArray(x);
  const s = axisOf("moveaxis", source, a);
  const d = axisOf("moveaxis", destination, a);
  const perm = a.shape.map((_, i) => i).filter((i) => i !== s);
  perm.splice(d, 0, s);
  return lax.transpose(a, perm);
}

/** Swap two axes. */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): NdArray {
  const a = asArray(x);
  const i = axisOf("swapaxes", axis1, a);
  const j = axisOf("swapaxes", axis2, a);
  const perm = a.shape.map((_, k) => (k === i ? j : k === j ? i : k));
  return lax.transpose(a, perm);
}

/** Insert a size-1 axis at `axis`. */
export function expandDims(x: ArrayLike, axis: number): NdArray {
  const a = asArray(x);
  const ax = axisOf("expandDims", axis, a, a.ndim + 1);
  const shape = [...a.shape];
  shape.splice(ax, 0, 1);
  return lax.reshape(a, shape);
}

/** Remove size-1 axes (all of them, or those listed). */
export function squeeze(x: ArrayLike, axis?: number | readonly number[]): NdArray {
  const a = asArray(x);
  const axes = axis === undefined ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axesOf("squeeze", axis, a);
  for (const ax of axes) {
    if (a.shape[ax] !== 1) throw new ShapeError(`squeeze: axis ${ax} of ${a.aval.str()} has size ${a.shape[ax]}, not 1`);
  }
  return lax.reshape(a, a.shape.filter((_, i) => !axes.includes(i)));
}

/** Broadcast to `shape` by NumPy rules. */
export function broadcastTo(x: ArrayLike, shape: readonly number[]): NdArray {
  return broadcastToImpl(asArray(x), shape);
}

/** Join arrays along an existing axis (dtypes promoted). */
export function concatenate(xs: readonly ArrayLike[], axis = 0): NdArray {
  if (xs.length === 0) throw new ShapeError("concatenate: need at least one array");
  const dtype = resultDtype(...xs);
  const arrs = xs.map((x) => lax.convertElementType(asArray(x, dtype), dtype));
  const rank = arrs[0]!.ndim;
  if (rank === 0) throw new ShapeError("concatenate: zero-dimensional arrays cannot be concatenated; use stack");
  if (arrs.some((a) => a.ndim !== rank)) throw new ShapeError(`concatenate: all arrays need rank ${rank}, got ${arrs.map((a) => a.aval.str()).join(", ")}`);
  return lax.concatenate(arrs, axisOf("concatenate", axis, arrs[0]!));
}

/** Join arrays along a new axis. */
export function stack(xs: readonly ArrayLike[], axis = 0): NdArray {
  if (xs.length === 0) throw new ShapeError("stack: need at least one array");
  const arrs = xs.map((x) => asArray(x));
  const shape = arrs[0]!.shape;
  if (arrs.some((a) => a.ndim !== shape.length || a.shape.some((d, i) => d !== shape[i]))) {
    throw new ShapeError(`stack: all arrays must have the same shape, got ${arrs.map((a) => a.aval.str()).join(", ")}`);
  }
  const ax = axisOf("stack", axis, arrs[0]!, shape.length + 1);
  return concatenate(arrs.map((a) => expandDims(a, ax)), ax);
}

/** Split into `sections` equal parts, or at the listed indices, along `axis`. */
export function split(x: ArrayLike, sections: number | readonly number[], axis = 0): NdArray[] {
  const a = asArray(x);
  const ax = axisOf("split", axis, a);
  const n = a.shape[ax]!;
  let bounds: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new ShapeError(`split: axis ${ax} of ${a.aval.str()} (size ${n}) cannot be split into ${sections} equal sections`);
    }
    bounds = Array.from({ length: sections + 1 }, (_, i) => (i * n) / sections);
  } else {
    // Python slice semantics for each piece x[b_i : b_{i+1}]: negative indices count from the end.
    const bad = sections.find((s) => !Number.isInteger(s));
    if (bad !== undefined) throw new TypeError(`split: indices must be integers, got ${bad}`);
    bounds = [0, ...sections.map((s) => Math.min(Math.max(s < 0 ? s + n : s, 0), n)), n];
  }
  return bounds.slice(0, -1).map((lo, i) => {
    const hi = Math.max(lo, bounds[i + 1]!);
    return lax.slice(a, a.shape.map((_, d) => (d === ax ? lo : 0)), a.shape.map((s, d) => (d === ax ? hi : s)));
  });
}

/** Repeat the whole array `reps` times along each axis. */
export function tile(x: ArrayLike, reps: number | readonly number[]): NdArray {
  let a = asArray(x);
  const r = typeof reps === "number" ? [reps] : [...reps];
  if (r.some((k) => !Number.isInteger(k) || k < 0)) throw new RangeError(`tile: reps must be non-negative integers, got ${JSON.stringify(reps)} for ${a.aval.str()}`);
  while (a.ndim < r.length) a = expandDims(a, 0);
  while (r.length < a.ndim) r.unshift(1);
  // Broadcast into [r0, d0, r1, d1, …] then merge each pair.
  const big = r.flatMap((k, i) => [k, a.shape[i]!]);
  const b = lax.broadcastInDim(a, big, a.shape.map((_, i) => 2 * i + 1));
  return lax.reshape(b, a.shape.map((d, i) => d * r[i]!));
}

/** Repeat each element `repeats` times along `axis` (flattened when omitted): nearest-neighbour upsampling. */
export function repeat(x: ArrayLike, repeats: number, axis?: number): NdArray {
  let a = asArray(x);
  if (!Number.isInteger(repeats) || repeats < 0) throw new RangeError(`repeat: repeats must be a non-negative integer, got ${repeats}`);
  if (axis === undefined) a = ravel(a);
  const ax = axisOf("repeat", axis ?? 0, a);
  const big = [...a.shape.slice(0, ax + 1), repeats, ...a.shape.slice(ax + 1)];
  const b = lax.broadcastInDim(a, big, a.shape.map((_, i) => (i <= ax ? i : i + 1)));
  return lax.reshape(b, a.shape.map((d, i) => (i === ax ? d * repeats : d)));
}

/** Padding widths: one number for all sides, `[before, after]`, or one pair per axis. */
export type PadWidth = number | readonly [number, number] | readonly (readonly [number, number])[];
/** Options of `pad`. */
export type PadOptions = { mode?: "constant" | "reflect" | "wrap" | "edge"; constantValue?: number };

/** Pad with a constant (default 0), or by reflecting, wrapping or repeating the edge. */
export function pad(x: ArrayLike, width: PadWidth, opts: PadOptions = {}): NdArray {
  const a = asArray(x);
  const widths: readonly (readonly [number, number])[] =
    typeof width === "number" ? a.shape.map(() => [width, width] as const)
    : typeof width[0] === "number" ? a.shape.map(() => width as readonly [number, number])
    : (width as readonly (readonly [number, number])[]);
  if (widths.length !== a.ndim || widths.some(([l, h]) => !Number.isInteger(l) || !Number.isInteger(h) || l < 0 || h < 0)) {
    throw new ShapeError(`pad: need non-negative integer [before, after] widths for each of the ${a.ndim} axes of ${a.aval.str()}, got ${JSON.stringify(width)}`);
  }
  const mode = opts.mode ?? "constant";
  if (mode === "constant") return lax.pad(a, lax.scalar(opts.constantValue ?? 0, a.dtype), widths.map(([l, h]) => [l, h, 0] as const));
  let y = a;
  widths.forEach(([lo, hi], axis) => {
    if (lo === 0 && hi === 0) return;
    const n = y.shape[axis]!;
    const idx: number[] = [];
    for (let i = -lo; i < n + hi; i++) idx.push(sourceIndex(mode, i, n, a.aval.str()));
    y = lax.gather(y, array(Int32Array.from(idx)), axis);
  });
  return y;
}

function sourceIndex(mode: "reflect" | "wrap" | "edge", i: number, n: number, what: string): number {
  if (n === 0) throw new ShapeError(`pad: cannot ${mode}-pad an empty axis of ${what}`);
  if (mode === "edge") return Math.min(Math.max(i, 0), n - 1);
  if (mode === "wrap") return ((i % n) + n) % n;
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const j = ((i % period) + period) % period;
  return j < n ? j : period - j;
}

/** Reverse the order of elements along `axis` (all axes when omitted). */
export function flip(x: ArrayLike, axis?: number | readonly number[]): NdArray {
  const a = asArray(x);
  return lax.rev(a, axesOf("flip", axis, a));
}
