/**
 * The trace stack and `bind`, Autodidax's spine: every primitive application goes through `bind`,
 * which finds the innermost transformation among its arguments and lets that trace interpret it.
 */
import { type ConcreteArray, type NdArray, Tracer } from "./array.js";
import type { ShapedArray } from "./aval.js";
import { checkNans, nanChecksEnabled } from "./debug.js";
import { EscapedTracerError } from "./errors.js";
import { type MainTrace, Trace, type TraceConstructor } from "./trace-base.js";

export { type MainTrace, Trace, type TraceConstructor };
import type { PrimName, PrimParams } from "./primitives.js";
import { rulesFor } from "./rules/table.js";

/** The bottom of the stack: evaluates primitives on concrete arrays through the active backend. */
export class EvalTrace extends Trace<never> {
  override pure(x: NdArray): NdArray {
    return x;
  }
  override processPrimitive<K extends PrimName>(prim: K, args: NdArray[], params: PrimParams[K]): NdArray[] {
    const rules = rulesFor(prim);
    const outAvals = rules.abstractEval(args.map((a) => a.aval), params);
    const outs = rules.impl(args as ConcreteArray[], params, outAvals);
    // pjit is checked equation by equation (its impl evaluates the jaxpr when checks are on).
    if (nanChecksEnabled() && prim !== "pjit") checkNans(prim, args, outs);
    return outs;
  }
  override avalOf(): ShapedArray {
    throw new Error("EvalTrace has no tracers");
  }
  override describe(): string {
    return "eager evaluation";
  }
}

const traceStack: MainTrace[] = [{ level: 0, traceType: EvalTrace, globalData: null }];
let dynamicTrace: MainTrace | null = null;

/** Run `fn` with a new main trace of `traceType` pushed on the stack; pops it however `fn` exits. */
export function withMainTrace<T>(traceType: TraceConstructor, globalData: unknown, fn: (main: MainTrace) => T): T {
  const main: MainTrace = { level: traceStack.length, traceType, globalData };
  traceStack.push(main);
  try {
    return fn(main);
  } finally {
    traceStack.pop();
  }
}

/** Run `fn` with `main` as the dynamic trace (used by jaxpr tracing so closed-over constants are staged too). */
export function withDynamicTrace<T>(main: MainTrace, fn: () => T): T {
  const prev = dynamicTrace;
  dynamicTrace = main;
  try {
    return fn();
  } finally {
    dynamicTrace = prev;
  }
}

/** The main trace at the top of the stack. */
export function currentMainLevel(): number {
  return traceStack.length - 1;
}

function checkAlive(t: Tracer, prim: string): void {
  const main = t.trace.main;
  if (traceStack[main.level] !== main && dynamicTrace !== main) {
    throw new EscapedTracerError(
      `${prim}: a tracer ${t.aval.str()} from ${t.trace.describe()} was used after that transformation finished ` +
        `(it escaped, e.g. through a closure, a global or a returned object). Return it from the transformed function instead.`,
    );
  }
}

function findTopTrace(prim: string, args: readonly NdArray[]): Trace {
  let top = traceStack[0]!;
  for (const x of args) {
    if (x instanceof Tracer) {
      checkAlive(x, prim);
      if (x.trace.main.level > top.level) top = x.trace.main;
    }
  }
  if (dynamicTrace && dynamicTrace.level > top.level) top = dynamicTrace;
  return new top.traceType(top);
}

/** Box `x` into `trace`, lifting tracers of lower levels. */
export function fullRaise(trace: Trace, x: NdArray): NdArray {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const level = trace.main.level;
  if (x.trace.main === trace.main) return x;
  if (x.trace.main.level < level) return trace.lift(x);
  throw new EscapedTracerError(
    `A tracer ${x.aval.str()} from ${x.trace.describe()} reached ${trace.describe()}, which is below it; it escaped its transformation.`,
  );
}

/** Remove tracer boxes that are no longer needed. */
export function fullLower(x: NdArray): NdArray {
  return x instanceof Tracer ? x.trace.fullLower(x) : x;
}

/** Apply primitive `prim` to `args` with `params` under the innermost active transformation. */
export function bind<K extends PrimName>(prim: K, args: readonly NdArray[], params: PrimParams[K]): NdArray[] {
  const trace = findTopTrace(prim, args);
  const tracers = args.map((a) => fullRaise(trace, a));
  const outs = trace.processPrimitive(prim, tracers, params);
  return outs.map(fullLower);
}

/** `bind` for single-output primitives. */
export function bind1<K extends PrimName>(prim: K, args: readonly NdArray[], params: PrimParams[K]): NdArray {
  return bind(prim, args, params)[0]!;
}

/** Create a fresh `Trace` object for `main` (used by interpreters to box values). */
export function traceFor(main: MainTrace): Trace {
  return new main.traceType(main);
}
