/**
 * vmap of `while` (JAX's `_while_loop_batching_rule`). A carry is batched if its init is or the body
 * makes it so (a fixed point). If the predicate is then unbatched, the loop runs on batched values
 * unchanged; if it is batched, every example loops until all predicates are false, and each step
 * keeps the old carry of the examples whose predicate already is false.
 */
import type { NdArray } from "../../array.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import * as lax from "../../lax/index.js";
import { bind } from "../../trace.js";
import type { BDim } from "../types.js";
import { batchSize, bdimToFront, moveAxis } from "../util.js";
import { type BatchedJaxpr, batchJaxpr } from "./batch-jaxpr.js";
import { traceJaxpr } from "./closed.js";
import { orMask, sameMask, splitList } from "./lists.js";
import { type WhileParams, whileGroups } from "./while-common.js";

/** Whether any element of the bool vector `pred` is true, as a bool scalar. */
function anyTrue(pred: NdArray): NdArray {
  return lax.gt(lax.reduceMax(lax.convertElementType(pred, "int32"), [0]), lax.scalar(0, "int32"));
}

/** vmap rule of `while`. */
export function whileBatch(args: NdArray[], dims: BDim[], p: WhileParams): [NdArray[], BDim[]] {
  const size = batchSize(args, dims);
  const [ccBat, bcBat, initBat] = whileGroups(dims.map((d) => d !== null), p);
  const batchBody = (carryBat: boolean[]) => batchJaxpr(p.bodyJaxpr, size, [...bcBat, ...carryBat], carryBat);
  let carryBat = initBat;
  let body = batchBody(carryBat);
  while (!sameMask(body.outBatched, carryBat)) {
    carryBat = orMask(carryBat, body.outBatched);
    body = batchBody(carryBat);
  }
  let cond = batchJaxpr(p.condJaxpr, size, [...ccBat, ...carryBat], [false]);
  const predBatched = cond.outBatched[0]!;
  if (predBatched && !carryBat.every((b) => b)) {
    // Finished examples are frozen with a select against the new carry, so every carry is batched.
    carryBat = carryBat.map(() => true);
    body = batchBody(carryBat);
    cond = batchJaxpr(p.condJaxpr, size, [...ccBat, ...carryBat], [false]);
  }
  const [ccD, bcD, kD] = whileGroups(dims, p);
  const [cc0, bc0, k0] = whileGroups(args, p);
  const toFront = (xs: NdArray[], ds: BDim[]) => xs.map((x, i) => (ds[i] === null ? x : moveAxis(x, ds[i]!, 0)));
  const cc = toFront(cc0, ccD);
  const bc = toFront(bc0, bcD);
  const k = k0.map((x, i) => (carryBat[i] ? bdimToFront(x, kD[i]!, size) : x));
  const outs = predBatched ? loopUntilAllDone(cond, body, cc, bc, k) : loop(cond, body, cc, bc, k);
  return [outs, carryBat.map((b) => (b ? 0 : null))];
}

function loop(cond: BatchedJaxpr, body: BatchedJaxpr, cc: NdArray[], bc: NdArray[], k: NdArray[]): NdArray[] {
  return bind("while", [...cond.consts, ...cc, ...body.consts, ...bc, ...k], {
    condJaxpr: cond.jaxpr,
    condNumConsts: cond.consts.length + cc.length,
    bodyJaxpr: body.jaxpr,
    bodyNumConsts: body.consts.length + bc.length,
  });
}

function loopUntilAllDone(cond: BatchedJaxpr, body: BatchedJaxpr, cc: NdArray[], bc: NdArray[], k: NdArray[]): NdArray[] {
  const predOf = (ccs: NdArray[], ks: NdArray[]) => evalJaxpr(cond.jaxpr, [...cond.consts, ...ccs, ...ks])[0]!;
  const anyCond = traceJaxpr((...a) => {
    const [ccs, ks] = splitList(a, [cc.length]);
    return [anyTrue(predOf(ccs!, ks!))];
  }, [...cc, ...k].map((x) => x.aval));
  const frozenBody = traceJaxpr((...a) => {
    const [ccs, bcs, ks] = splitList(a, [cc.length, bc.length]);
    const pred = predOf(ccs!, ks!);
    const next = evalJaxpr(body.jaxpr, [...body.consts, ...bcs!, ...ks!]);
    return next.map((n, i) => lax.selectN(lax.broadcastInDim(pred, n.shape, [0]), ks![i]!, n));
  }, [...cc, ...bc, ...k].map((x) => x.aval));
  return bind("while", [...anyCond.consts, ...cc, ...frozenBody.consts, ...cc, ...bc, ...k], {
    condJaxpr: anyCond.jaxpr,
    condNumConsts: anyCond.consts.length + cc.length,
    bodyJaxpr: frozenBody.jaxpr,
    bodyNumConsts: frozenBody.consts.length + cc.length + bc.length,
  });
}
