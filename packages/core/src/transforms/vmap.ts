/** Public `vmap`: vectorise a function over a batch axis of its arguments. */
import type { NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import { vmapFlat } from "../interpreters/batching.js";
import type { BDim } from "../rules/types.js";
import { normalizeAxis } from "../shape.js";
import { type PyTree, broadcastPrefix, unflatten } from "../tree.js";
import { flattenArgs, flattenFun } from "./flat.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** Batch axes: one for everything, or a per-argument list whose entries may be pytree prefixes. */
export type AxisSpec = number | null | readonly unknown[] | { readonly [k: string]: unknown };

/** Options of `vmap`. */
export type VmapOptions = {
  /** Batch axis of each argument (default 0 for all; null: not batched). */
  inAxes?: AxisSpec;
  /** Where the batch axis goes in each output (default 0). */
  outAxes?: AxisSpec;
  /** Batch size when no argument is batched. */
  axisSize?: number;
};

const isAxisLeaf = (x: unknown) => x === null || typeof x === "number";

/** `vmap(f)(...args)`: f applied to slices along `inAxes`, results stacked along `outAxes`. */
export function vmap<F extends Fn>(f: F, opts: VmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  return (...args: Parameters<F>) => {
    const [leaves, inTree] = flattenArgs(args);
    const inSpec = opts.inAxes === undefined ? 0 : opts.inAxes;
    const rawAxes = isAxisLeaf(inSpec) ? leaves.map(() => inSpec as BDim) : broadcastPrefix<BDim>(inSpec, args as PyTree, isAxisLeaf, "vmap inAxes");
    const axes = rawAxes.map((a, i) => {
      if (a === null) return null;
      const n = leaves[i]!.ndim;
      if (!Number.isInteger(a) || a < -n || a >= n) {
        throw new RangeError(`vmap: inAxes ${a} is out of bounds for argument leaf ${i} ${leaves[i]!.aval.str()} (rank ${n})`);
      }
      return a < 0 ? a + n : a;
    });
    const sizes = new Set(axes.flatMap((a, i) => (a === null ? [] : [leaves[i]!.shape[a]!])));
    if (sizes.size > 1) {
      const detail = axes.flatMap((a, i) => (a === null ? [] : [`arg leaf ${i} ${leaves[i]!.aval.str()} axis ${a}`])).join(", ");
      throw new ShapeError(`vmap: batched axes have different sizes (${[...sizes].join(" vs ")}): ${detail}`);
    }
    const size = sizes.size ? [...sizes][0]! : opts.axisSize;
    if (size === undefined) throw new ShapeError("vmap: no argument is batched (all inAxes are null); pass axisSize");
    const { flat, outTree } = flattenFun(f, inTree);
    const outSpec = opts.outAxes === undefined ? 0 : opts.outAxes;
    // vmapFlat puts every batched output at axis 0 (null: asserts it is unbatched); other positions are moved after.
    const outs = vmapFlat(flat, axes, (n) => new Array<BDim>(n).fill(outSpec === null ? null : 0), leaves, size);
    const tree = outTree();
    const specs = isAxisLeaf(outSpec)
      ? outs.map(() => outSpec as BDim)
      : broadcastPrefix<BDim>(outSpec, unflatten<PyTree>(tree, outs), isAxisLeaf, "vmap outAxes");
    return unflatten(tree, outs.map((o, i) => (outSpec === null ? o : moveFromFront(o, specs[i]!))));
  };
}

function moveFromFront(x: NdArray, axis: BDim): NdArray {
  if (axis === null) throw new ShapeError("vmap: outAxes null inside a per-output spec is not supported; pass outAxes: null for all outputs");
  const to = normalizeAxis("vmap outAxes", axis, x.ndim);
  const perm = x.shape.map((_, i) => i).filter((i) => i !== 0);
  perm.splice(to, 0, 0);
  return perm.every((p, i) => p === i) ? x : (x as NdArray).transpose(perm);
}
