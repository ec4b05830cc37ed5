/** Forward mode: the JVP trace carries (primal, tangent) pairs through every primitive's jvp rule. */
import { type NdArray, Tracer } from "../array.js";
import type { ShapedArray } from "../aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import type { PrimName, PrimParams } from "../primitives.js";
import { rulesFor } from "../rules/table.js";
import { Trace } from "../trace-base.js";
import { bind, fullLower, fullRaise, traceFor, withMainTrace } from "../trace.js";
import { isKnownZero, zeroTangent } from "./zeros.js";

type JvpPayload = { primal: NdArray; tangent: NdArray };

/** The JVP interpreter. */
export class JVPTrace extends Trace<JvpPayload> {
  override pure(x: NdArray): Tracer<JvpPayload> {
    return new Tracer(this, { primal: x, tangent: zeroTangent(x) });
  }
  override processPrimitive<K extends PrimName>(prim: K, tracers: NdArray[], params: PrimParams[K]): NdArray[] {
    const ps = tracers as Tracer<JvpPayload>[];
    if (ps.every((t) => isKnownZero(t.payload.tangent)) && !prim.startsWith("custom")) {
      // Nothing here is being differentiated: evaluate the primal and pass zeros on.
      const outs = bind(prim, ps.map((t) => t.payload.primal), params);
      return outs.map((p) => new Tracer(this, { primal: p, tangent: zeroTangent(p) }));
    }
    const [primals, tangents] = rulesFor(prim).jvp(
      ps.map((t) => t.payload.primal),
      ps.map((t) => t.payload.tangent),
      params,
    );
    return primals.map((p, i) => new Tracer(this, { primal: p, tangent: tangents[i]! }));
  }
  override avalOf(p: JvpPayload): ShapedArray {
    return p.primal.aval;
  }
  override describe(): string {
    return typeof this.main.globalData === "string" ? this.main.globalData : "jvp";
  }
}

/** Check a tangent matches its primal's shape and dtype. */
export function checkTangent(op: string, primal: NdArray, tangent: NdArray): void {
  if (primal.ndim !== tangent.ndim || primal.shape.some((d, i) => d !== tangent.shape[i])) {
    throw new ShapeError(`${op}: tangent ${tangent.aval.str()} must have its primal's shape ${primal.aval.str()}`);
  }
  if (primal.dtype !== tangent.dtype) {
    throw new DTypeError(`${op}: tangent ${tangent.aval.str()} must have its primal's dtype ${primal.aval.str()}`);
  }
}

/** JVP of a function on flat lists of arrays. */
/** `label` names the user-facing transformation in error messages (e.g. "grad"). */
export function jvpFlat(f: (...xs: NdArray[]) => NdArray[], primals: NdArray[], tangents: NdArray[], label = "jvp"): [NdArray[], NdArray[]] {
  return withMainTrace(JVPTrace, label, (main) => {
    const trace = traceFor(main);
    primals.forEach((p, i) => checkTangent("jvp", p, tangents[i]!));
    const tracersIn = primals.map((p, i) => new Tracer(trace as JVPTrace, { primal: p, tangent: tangents[i]! }));
    const outs = f(...tracersIn).map((o) => fullRaise(trace, o) as Tracer<JvpPayload>);
    return [outs.map((o) => fullLower(o.payload.primal)), outs.map((o) => fullLower(o.payload.tangent))];
  });
}
