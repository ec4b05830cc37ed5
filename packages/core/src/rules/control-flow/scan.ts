/**
 * `scan`: a loop over the leading axis of `xs` that threads a carry and stacks per-step outputs
 * (JAX's `scan_p`). The body jaxpr maps (consts…, carry…, x slices…) to (new carry…, y slices…).
 */
import type { NdArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { ShapeError } from "../../errors.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import { jvpFlat } from "../../interpreters/jvp.js";
import { bind } from "../../trace.js";
import type { RuleSet } from "../types.js";
import { batchSize, bdimToFront, moveAxis } from "../util.js";
import { batchJaxpr } from "./batch-jaxpr.js";
import { type Closed, memoized, traceJaxpr } from "./closed.js";
import { orMask, sameMask, splitList } from "./lists.js";
import { type ScanParams, indexAxis0, scanGroups, scanOutAvals, stackAxis0, stackedAval } from "./scan-common.js";
import { scanPartialEval, scanPartialEvalJaxpr } from "./scan-partial-eval.js";
import { scanTranspose } from "./scan-transpose.js";

function abstractEval(avals: readonly ShapedArray[], p: ScanParams): ShapedArray[] {
  const { jaxpr, numCarry, length } = p;
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`scan: length must be a non-negative integer, got ${length}`);
  if (avals.length !== jaxpr.inBinders.length) {
    throw new ShapeError(`scan: the body takes ${jaxpr.inBinders.length} inputs (consts, carry, x slices), got ${avals.length} operands`);
  }
  const [consts, carry, xs] = scanGroups(avals, p);
  const [constB, carryB, xB] = scanGroups(jaxpr.inBinders.map((v) => v.aval), p);
  consts.forEach((a, i) => {
    if (!a.equals(constB[i]!)) throw new ShapeError(`scan: constant ${i} is ${a.str()}, the body expects ${constB[i]!.str()}`);
  });
  carry.forEach((a, i) => {
    if (!a.equals(carryB[i]!)) throw new ShapeError(`scan: initial carry ${i} is ${a.str()}, the body expects ${carryB[i]!.str()}`);
  });
  xs.forEach((a, i) => {
    const want = stackedAval(xB[i]!, length);
    if (!a.equals(want)) throw new ShapeError(`scan: xs ${i} is ${a.str()}; a body taking slices ${xB[i]!.str()} over length ${length} needs ${want.str()}`);
  });
  if (jaxpr.outs.length < numCarry) throw new ShapeError(`scan: the body returns ${jaxpr.outs.length} values, fewer than its ${numCarry} carries`);
  jaxpr.outs.slice(0, numCarry).forEach((o, i) => {
    if (!o.aval.equals(carryB[i]!)) {
      throw new ShapeError(`scan: the body's carry output ${i} is ${o.aval.str()} but its carry input is ${carryB[i]!.str()}; the carry must keep its shape and dtype across iterations`);
    }
  });
  return scanOutAvals(p);
}

function impl(args: readonly NdArray[], p: ScanParams): NdArray[] {
  const { jaxpr, numCarry, length, reverse } = p;
  const [consts, init, xs] = scanGroups(args, p);
  const yAvals = jaxpr.outs.slice(numCarry).map((o) => o.aval);
  const ys: NdArray[][] = yAvals.map(() => new Array<NdArray>(length));
  let carry = init;
  for (let step = 0; step < length; step++) {
    const i = reverse ? length - 1 - step : step;
    const outs = evalJaxpr(jaxpr, [...consts, ...carry, ...xs.map((x) => indexAxis0(x, i))]);
    carry = outs.slice(0, numCarry);
    outs.slice(numCarry).forEach((y, j) => (ys[j]![i] = y));
  }
  return [...carry, ...ys.map((rows, j) => stackAxis0(rows, yAvals[j]!))];
}

/** The body's jvp with inputs (consts, const tangents, carry, carry tangents, xs, x tangents). */
function jvpBody(p: ScanParams): Closed {
  return memoized(p.jaxpr, `jvp:${p.numConsts}:${p.numCarry}`, () => {
    const [cA, kA, xA] = scanGroups(p.jaxpr.inBinders.map((v) => v.aval), p);
    return traceJaxpr((...a) => {
      const [c, cd, k, kd, x, xd] = splitList(a, [cA.length, cA.length, kA.length, kA.length, xA.length]);
      const [outs, touts] = jvpFlat((...ys) => evalJaxpr(p.jaxpr, ys), [...c!, ...k!, ...x!], [...cd!, ...kd!, ...xd!]);
      return [...outs.slice(0, kA.length), ...touts.slice(0, kA.length), ...outs.slice(kA.length), ...touts.slice(kA.length)];
    }, [...cA, ...cA, ...kA, ...kA, ...xA, ...xA]);
  });
}

// Without symbolic zeros every input has a tangent, so the jvp scan carries all tangents (JAX first
// finds, by a fixed point, which carry tangents are nonzero).
function jvp(primals: NdArray[], tangents: NdArray[], p: ScanParams): [NdArray[], NdArray[]] {
  const body = jvpBody(p);
  const [c, k, x] = scanGroups(primals, p);
  const [cd, kd, xd] = scanGroups(tangents, p);
  const outs = bind("scan", [...body.consts, ...c, ...cd, ...k, ...kd, ...x, ...xd], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length + 2 * c.length,
    numCarry: 2 * k.length,
    length: p.length,
    reverse: p.reverse,
  });
  const [carry, carryDot, rest] = splitList(outs, [k.length, k.length]);
  const nY = rest!.length / 2;
  return [[...carry!, ...rest!.slice(0, nY)], [...carryDot!, ...rest!.slice(nY)]];
}

// JAX's `_scan_batching_rule`: a carry is batched if its init is or if the body makes it so, iterated
// to a fixed point; xs carry their batch at axis 1 (axis 0 is the scanned one).
function batch(args: NdArray[], dims: (number | null)[], p: ScanParams): [NdArray[], (number | null)[]] {
  const size = batchSize(args, dims);
  const bat = dims.map((d) => d !== null);
  const [constBat, initBat, xsBat] = scanGroups(bat, p);
  const nY = p.jaxpr.outs.length - p.numCarry;
  let carryBat = initBat;
  let body = batchJaxpr(p.jaxpr, size, [...constBat, ...carryBat, ...xsBat], [...carryBat, ...new Array<boolean>(nY).fill(false)]);
  while (!sameMask(body.outBatched.slice(0, p.numCarry), carryBat)) {
    carryBat = orMask(carryBat, body.outBatched);
    body = batchJaxpr(p.jaxpr, size, [...constBat, ...carryBat, ...xsBat], [...carryBat, ...new Array<boolean>(nY).fill(false)]);
  }
  const [cDims, kDims, xDims] = scanGroups(dims, p);
  const [c, k, x] = scanGroups(args, p);
  const consts = c.map((a, i) => (cDims[i] === null ? a : moveAxis(a, cDims[i]!, 0)));
  const carry = k.map((a, i) => (carryBat[i] ? bdimToFront(a, kDims[i]!, size) : a));
  const xs = x.map((a, i) => (xDims[i] === null ? a : moveAxis(a, xDims[i]!, 1)));
  const outs = bind("scan", [...body.consts, ...consts, ...carry, ...xs], {
    ...p,
    jaxpr: body.jaxpr,
    numConsts: body.consts.length + c.length,
  });
  const yBat = body.outBatched.slice(p.numCarry);
  return [outs, [...carryBat.map((b) => (b ? 0 : null)), ...yBat.map((b) => (b ? 1 : null))]];
}

/** `scan`: impl loops in JS; jvp, vmap, partial evaluation and transposition transform the body. */
export const scanRules: RuleSet<"scan"> = {
  abstractEval,
  impl,
  jvp,
  batch,
  partialEval: scanPartialEval,
  partialEvalJaxpr: scanPartialEvalJaxpr,
  transpose: scanTranspose,
};
