/** Transposition of linear jaxprs: the backward pass that turns a linearized function into its VJP. */
import type { NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { rulesFor } from "../rules/table.js";
import { UndefPrimal } from "../rules/types.js";
import { type Atom, type Jaxpr, Lit, type Var } from "./jaxpr-types.js";

/** Run `jaxpr` backwards: given cotangents of its outputs, return cotangents of its `UndefPrimal` inputs. */
export function backwardPass(jaxpr: Jaxpr, args: (NdArray | UndefPrimal)[], cts: NdArray[]): NdArray[] {
  const primalEnv = new Map<Var, NdArray>();
  const ctEnv = new Map<Var, NdArray>();
  jaxpr.inBinders.forEach((v, i) => {
    const a = args[i]!;
    if (!(a instanceof UndefPrimal)) primalEnv.set(v, a);
  });
  const readPrimal = (a: Atom): NdArray | UndefPrimal => (a instanceof Lit ? a.val : (primalEnv.get(a) ?? new UndefPrimal(a.aval)));
  const writeCt = (a: Atom, ct: NdArray | null) => {
    if (ct === null || a instanceof Lit || primalEnv.has(a)) return;
    const prev = ctEnv.get(a);
    ctEnv.set(a, prev ? lax.add(prev, ct) : ct);
  };
  const readCt = (v: Var): NdArray => {
    const ct = ctEnv.get(v);
    ctEnv.delete(v);
    return ct ?? lax.full(v.aval.shape, 0, v.aval.dtype);
  };
  jaxpr.outs.forEach((o, i) => writeCt(o, cts[i]!));
  for (let e = jaxpr.eqns.length - 1; e >= 0; e--) {
    const eqn = jaxpr.eqns[e]!;
    const rule = rulesFor(eqn.prim).transpose;
    if (!rule) throw new Error(`transpose: primitive ${eqn.prim} is not linear and has no transpose rule (it was applied to a tangent)`);
    const ctsIn = eqn.outBinders.map(readCt);
    const ctsOut = (rule as (c: NdArray[], a: (NdArray | UndefPrimal)[], p: unknown) => (NdArray | null)[])(ctsIn, eqn.inputs.map(readPrimal), eqn.params);
    eqn.inputs.forEach((a, i) => writeCt(a, ctsOut[i] ?? null));
  }
  return jaxpr.inBinders.flatMap((v, i) => (args[i] instanceof UndefPrimal ? [readCt(v)] : []));
}

/** Check cotangents against the avals the function produced. */
export function checkCotangents(op: string, expected: { aval: { str(): string; shape: readonly number[]; dtype: string } }[], cts: NdArray[]): void {
  if (cts.length !== expected.length) throw new ShapeError(`${op}: expected ${expected.length} cotangents, got ${cts.length}`);
  cts.forEach((c, i) => {
    const e = expected[i]!.aval;
    if (c.dtype !== e.dtype || c.ndim !== e.shape.length || c.shape.some((d, j) => d !== e.shape[j])) {
      throw new ShapeError(`${op}: cotangent ${i} must match the output ${e.str()}, got ${c.aval.str()}`);
    }
  });
}
