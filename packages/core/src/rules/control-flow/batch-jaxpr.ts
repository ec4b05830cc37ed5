/** vmap of a jaxpr that reports which outputs came out batched (the loops' fixed points need to know). */
import { type NdArray, Tracer } from "../../array.js";
import { ShapedArray } from "../../aval.js";
import { BatchTrace, moveBatchAxis } from "../../interpreters/batching.js";
import { evalJaxpr } from "../../interpreters/eval-jaxpr.js";
import type { Jaxpr } from "../../interpreters/jaxpr-types.js";
import { fullRaise, traceFor, withMainTrace } from "../../trace.js";
import type { BDim } from "../types.js";
import { type Closed, traceJaxpr } from "./closed.js";

/** The payload of a batching tracer (value and batch axis), as the batching interpreter stores it. */
type BatchPayload = { val: NdArray; bdim: BDim };

/** A batched jaxpr: batched inputs and outputs carry the batch at axis 0. */
export type BatchedJaxpr = Closed & { outBatched: boolean[] };

/**
 * Trace vmap of `jaxpr` over inputs batched (at axis 0) where `inBatched`; an output is batched when
 * it depends on a batched input or `forceOut` asks for it (an unbatched value is then broadcast).
 */
export function batchJaxpr(jaxpr: Jaxpr, size: number, inBatched: readonly boolean[], forceOut: readonly boolean[]): BatchedJaxpr {
  let outBatched: boolean[] = [];
  const avals = jaxpr.inBinders.map((v, i) => (inBatched[i] ? new ShapedArray([size, ...v.aval.shape], v.aval.dtype) : v.aval));
  const closed = traceJaxpr(
    (...xs) =>
      withMainTrace(BatchTrace, size, (main) => {
        const trace = traceFor(main) as BatchTrace;
        const ins = xs.map((x, i) => (inBatched[i] ? new Tracer<BatchPayload>(trace, { val: x, bdim: 0 }) : x));
        const outs = evalJaxpr(jaxpr, ins).map((o) => (fullRaise(trace, o) as Tracer<BatchPayload>).payload);
        outBatched = outs.map((o, i) => o.bdim !== null || (forceOut[i] ?? false));
        return outs.map((o, i) => (outBatched[i] ? moveBatchAxis(size, o.bdim, 0, o.val) : o.val));
      }),
    avals,
  );
  return { ...closed, outBatched };
}
