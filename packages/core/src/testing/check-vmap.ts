/** `checkVmap`: vmap(f) must equal a loop over the batch followed by `stack`, for every batch-axis position. */
import type { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import * as lax from "../lax/index.js";
import { stack } from "../np/movement.js";
import { vmap } from "../transforms/vmap.js";
import { type PyTree, flatten } from "../tree.js";
import { type Tolerance, assertAllclose } from "./allclose.js";

/** Options of `checkVmap`. */
export type CheckVmapOptions = Tolerance & {
  /** Batch size (default 3). */
  batchSize?: number;
  /** Arguments that must not be batched (e.g. indices that must stay in range are fine to batch; shapes are not). */
  unbatched?: readonly number[];
};

type ArrayFn = (...args: NdArray[]) => unknown;
const leavesOf = (y: unknown): NdArray[] => flatten(y as PyTree)[0] as NdArray[];

/**
 * The k-th example of a batch: floats perturbed so examples differ; integer and bool arrays rolled
 * (their flattened values rotated by k), so they differ per example yet keep valid values (indices stay in range).
 */
function example(x: NdArray, k: number): NdArray {
  if (k === 0 || x.size <= 1) return x;
  if (isFloat(x.dtype)) return lax.add(lax.mul(x, lax.fullLike(x, 1 + 0.25 * k)), lax.fullLike(x, 0.125 * k));
  const flat = lax.reshape(x, [x.size]);
  const s = k % x.size;
  const rolled = lax.concatenate([lax.slice(flat, [s], [x.size]), lax.slice(flat, [0], [s])], 0);
  return lax.reshape(rolled, x.shape);
}

function moveFront(x: NdArray, axis: number): NdArray {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== 0);
  perm.splice(axis, 0, 0);
  return lax.transpose(x, perm);
}

/**
 * Check `vmap(f)` against a loop: all arguments batched at axis 0, all at their last axis, and each
 * argument alone batched at every axis position with the others unbatched.
 */
export function checkVmap(f: ArrayFn, args: NdArray[], opts: CheckVmapOptions = {}): void {
  const B = opts.batchSize ?? 3;
  const unbatched = new Set(opts.unbatched ?? []);
  const examples = Array.from({ length: B }, (_, k) => args.map((a) => example(a, k)));
  const configs: (number | null)[][] = [];
  const batchable = args.map((_, i) => !unbatched.has(i));
  configs.push(args.map((_, i) => (batchable[i] ? 0 : null)));
  configs.push(args.map((a, i) => (batchable[i] ? a.ndim : null)));
  args.forEach((a, i) => {
    if (!batchable[i]) return;
    for (let ax = 0; ax <= a.ndim; ax++) configs.push(args.map((_, j) => (j === i ? ax : null)));
  });
  for (const axes of configs) {
    if (axes.every((a) => a === null)) continue;
    const batched = args.map((a, i) => (axes[i] === null ? a : moveFront(stack(examples.map((e) => e[i]!)), axes[i]!)));
    const got = leavesOf(vmap((...xs: NdArray[]) => f(...xs), { inAxes: axes })(...batched));
    const perExample = examples.map((e) => leavesOf(f(...e.map((x, i) => (axes[i] === null ? args[i]! : x)))));
    const want = perExample[0]!.map((_, o) => stack(perExample.map((p) => p[o]!)));
    got.forEach((g, o) => assertAllclose(g, want[o]!, { rtol: opts.rtol ?? 1e-6, atol: opts.atol ?? 1e-6 }, `checkVmap (inAxes ${JSON.stringify(axes)}) output ${o}`));
  }
}
