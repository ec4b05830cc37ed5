/** The base class of every interpreter (kept free of runtime imports so interpreters can extend it safely). */
import type { NdArray, Tracer } from "./array.js";
import type { ShapedArray } from "./aval.js";
import type { PrimName, PrimParams } from "./primitives.js";

/** One active transformation on the trace stack. */
export type MainTrace = {
  readonly level: number;
  readonly traceType: TraceConstructor;
  readonly globalData: unknown;
};

/** A trace class constructor. */
export type TraceConstructor = new (main: MainTrace) => Trace;

/** An interpreter of primitives over its own kind of tracer (payload `P`). */
export abstract class Trace<P = unknown> {
  constructor(readonly main: MainTrace) {}

  /** Box a value from outside any trace. */
  abstract pure(x: NdArray): Tracer<P> | NdArray;
  /** Box a tracer of a lower-level trace; by default the same as `pure`. */
  lift(x: NdArray): Tracer<P> | NdArray {
    return this.pure(x);
  }
  /** Apply primitive `prim` to tracers of this trace. */
  abstract processPrimitive<K extends PrimName>(prim: K, tracers: NdArray[], params: PrimParams[K]): NdArray[];
  /** The abstract value of a tracer's payload. */
  abstract avalOf(payload: P): ShapedArray;
  /** Drop the box when the payload needs no tracer (e.g. an unbatched value under vmap). */
  fullLower(t: Tracer<P>): NdArray {
    return t;
  }
  /** How the trace is named in error messages. */
  abstract describe(): string;
}

