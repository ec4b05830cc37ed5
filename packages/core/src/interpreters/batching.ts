/** vmap: the batching trace carries (value, batch axis) pairs through every primitive's batch rule. */
import { type NdArray, Tracer } from "../array.js";
import { ShapedArray } from "../aval.js";
import * as lax from "../lax/index.js";
import type { PrimName, PrimParams } from "../primitives.js";
import { rulesFor } from "../rules/table.js";
import type { BDim } from "../rules/types.js";
import { moveAxis } from "../rules/util.js";
import { Trace } from "../trace-base.js";
import { bind, fullRaise, traceFor, withMainTrace } from "../trace.js";

type BatchPayload = { val: NdArray; bdim: BDim };

/** The batching interpreter; its main trace's globalData is the axis size. */
export class BatchTrace extends Trace<BatchPayload> {
  override pure(x: NdArray): Tracer<BatchPayload> {
    return new Tracer(this, { val: x, bdim: null });
  }
  override processPrimitive<K extends PrimName>(prim: K, tracers: NdArray[], params: PrimParams[K]): NdArray[] {
    const ps = tracers as Tracer<BatchPayload>[];
    const vals = ps.map((t) => t.payload.val);
    const dims = ps.map((t) => t.payload.bdim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params).map((v) => new Tracer(this, { val: v, bdim: null }));
    const [outs, outDims] = rulesFor(prim).batch(vals, dims, params);
    return outs.map((v, i) => new Tracer(this, { val: v, bdim: outDims[i]! }));
  }
  override avalOf({ val, bdim }: BatchPayload): ShapedArray {
    if (bdim === null) return val.aval;
    return new ShapedArray(val.shape.filter((_, i) => i !== bdim), val.dtype);
  }
  override fullLower(t: Tracer<BatchPayload>): NdArray {
    return t.payload.bdim === null ? t.payload.val : t;
  }
  override describe(): string {
    return "vmap";
  }
}

/** Move batch axis `from` of `x` to `to`, broadcasting an unbatched `x` to `size` there. */
export function moveBatchAxis(size: number, from: BDim, to: BDim, x: NdArray): NdArray {
  if (to === null) {
    if (from !== null) throw new Error("vmap: an output with outAxes null must not depend on the batched inputs");
    return x;
  }
  if (from === null) {
    const shape = [...x.shape];
    shape.splice(to, 0, size);
    return lax.broadcastInDim(x, shape, x.shape.map((_, i) => (i < to ? i : i + 1)));
  }
  return moveAxis(x, from, to);
}

/** vmap of a function on flat lists of arrays with per-argument and per-output batch axes. */
export function vmapFlat(f: (...xs: NdArray[]) => NdArray[], inAxes: BDim[], outAxes: (outCount: number) => BDim[], args: NdArray[], axisSize: number): NdArray[] {
  return withMainTrace(BatchTrace, axisSize, (main) => {
    const trace = traceFor(main);
    const tracersIn = args.map((x, i) => (inAxes[i] === null ? x : new Tracer(trace as BatchTrace, { val: x, bdim: inAxes[i]! })));
    const outs = f(...tracersIn).map((o) => fullRaise(trace, o) as Tracer<BatchPayload>);
    const axes = outAxes(outs.length);
    return outs.map((o, i) => moveBatchAxis(axisSize, o.payload.bdim, axes[i]!, o.payload.val));
  });
}
