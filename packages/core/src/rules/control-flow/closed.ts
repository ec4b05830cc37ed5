/** Jaxprs traced by control-flow rules: closed-over arrays become leading inputs ("consts"). */
import type { NdArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { ShapeError } from "../../errors.js";
import { makeJaxprFlat } from "../../interpreters/jaxpr-trace.js";
import { Jaxpr, Var } from "../../interpreters/jaxpr-types.js";

/** A jaxpr whose leading binders take `consts`, then the arguments it was traced at. */
export type Closed = { jaxpr: Jaxpr; consts: NdArray[] };

/** Trace `f` at `avals`; arrays it closes over become the jaxpr's leading inputs. */
export function traceJaxpr(f: (...xs: NdArray[]) => NdArray[], avals: readonly ShapedArray[]): Closed {
  const { closed } = makeJaxprFlat(f, avals);
  return { jaxpr: closed.jaxpr, consts: closed.consts };
}

/**
 * Give branches one common list of leading consts (every branch's, concatenated), each branch
 * ignoring the others': `cond` passes the same operands to whichever branch runs.
 */
export function joinConsts(closed: readonly Closed[]): { branches: Jaxpr[]; consts: NdArray[] } {
  const consts = closed.flatMap((c) => c.consts);
  let offset = 0;
  const branches = closed.map(({ jaxpr, consts: own }) => {
    const start = offset;
    offset += own.length;
    const binders = consts.map((x, k) => (k >= start && k < start + own.length ? jaxpr.inBinders[k - start]! : new Var(x.aval)));
    return new Jaxpr([...binders, ...jaxpr.inBinders.slice(own.length)], jaxpr.eqns, jaxpr.outs);
  });
  return { branches, consts };
}

/** Trace each of `fs` at the same `avals` into branches sharing their leading consts. */
export function traceBranches(fs: readonly ((...xs: NdArray[]) => NdArray[])[], avals: readonly ShapedArray[]): { branches: Jaxpr[]; consts: NdArray[] } {
  return joinConsts(fs.map((f) => traceJaxpr(f, avals)));
}

const memo = new WeakMap<Jaxpr, Map<string, Closed>>();

/** `make()` cached per (jaxpr, key): a transformed body is traced once however often the loop is transformed. */
export function memoized(jaxpr: Jaxpr, key: string, make: () => Closed): Closed {
  let byKey = memo.get(jaxpr);
  if (!byKey) memo.set(jaxpr, (byKey = new Map()));
  let c = byKey.get(key);
  if (!c) byKey.set(key, (c = make()));
  return c;
}

/** Require `avals` to match the input binders of `jaxpr` one for one. */
export function checkInputs(op: string, what: string, jaxpr: Jaxpr, avals: readonly ShapedArray[], name: (i: number) => string): void {
  if (avals.length !== jaxpr.inBinders.length) {
    throw new ShapeError(`${op}: the ${what} takes ${jaxpr.inBinders.length} inputs, got ${avals.length}`);
  }
  jaxpr.inBinders.forEach((v, i) => {
    if (!avals[i]!.equals(v.aval)) throw new ShapeError(`${op}: ${name(i)} is ${avals[i]!.str()}, the ${what} expects ${v.aval.str()}`);
  });
}

/** `f32[3], i32[]`: avals for messages. */
export const avalsStr = (avals: readonly ShapedArray[]): string => avals.map((a) => a.str()).join(", ");
