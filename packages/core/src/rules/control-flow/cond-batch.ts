/**
 * vmap of `cond` (JAX's `_cond_batching_rule`). With an unbatched index each branch is batched, all
 * producing the same outputs batched; with a batched index every branch runs on the whole batch and
 * each example's result is selected by its own index.
 */
import type { NdArray } from "../../array.js";
import { vmapFlat } from "../../interpreters/batching.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import type { Jaxpr } from "../../interpreters/jaxpr-types.js";
import * as lax from "../../lax/index.js";
import { bind } from "../../trace.js";
import type { BDim } from "../types.js";
import { batchSize, moveAxis } from "../util.js";
import { batchJaxpr } from "./batch-jaxpr.js";
import { joinConsts } from "./closed.js";

/** vmap rule of `cond`. */
export function condBatch(args: NdArray[], dims: BDim[], { branches }: { branches: readonly Jaxpr[] }): [NdArray[], BDim[]] {
  const size = batchSize(args, dims);
  const opDims = dims.slice(1);
  const ops = args.slice(1).map((x, i) => (opDims[i] === null ? x : moveAxis(x, opDims[i]!, 0)));
  const opBat = opDims.map((d) => d !== null);
  if (dims[0] === null) {
    const nOut = branches[0]!.outs.length;
    const first = branches.map((b) => batchJaxpr(b, size, opBat, new Array<boolean>(nOut).fill(false)));
    const outBat = first.reduce((acc, r) => acc.map((x, i) => x || r.outBatched[i]!), new Array<boolean>(nOut).fill(false));
    const batched = first.map((r, i) => (r.outBatched.every((x, k) => x === outBat[k]) ? r : batchJaxpr(branches[i]!, size, opBat, outBat)));
    const joined = joinConsts(batched);
    const outs = bind("cond", [args[0]!, ...joined.consts, ...ops], { branches: joined.branches });
    return [outs, outBat.map((b) => (b ? 0 : null))];
  }
  // Batched index: evaluate every branch, then pick per example (clamped like the unbatched impl).
  const n = branches.length;
  const index = lax.max(lax.min(moveAxis(args[0]!, dims[0]!, 0), lax.full([size], n - 1, "int32")), lax.full([size], 0, "int32"));
  const inAxes: BDim[] = opBat.map((b) => (b ? 0 : null));
  const results = branches.map((b) => vmapFlat((...xs) => evalJaxpr(b, xs), inAxes, (k) => new Array<BDim>(k).fill(0), ops, size));
  const outs = results[0]!.map((_, o) =>
    results.slice(1).reduce((acc, r, j) => {
      const y = r[o]!;
      const chosen = lax.broadcastInDim(lax.eq(index, lax.full([size], j + 1, "int32")), y.shape, [0]);
      return lax.selectN(chosen, acc, y);
    }, results[0]![o]!),
  );
  return [outs, outs.map(() => 0)];
}
