/**
 * `jit`: trace once per (argument structure, shapes, dtypes, static arguments) into a jaxpr and call
 * it through the `pjit` primitive, whose rules make jit compose with grad, vmap and itself.
 */
import { type NdArray, isTracer } from "../array.js";
import { makeJaxprFlat } from "../interpreters/jaxpr-trace.js";
import type { Jaxpr } from "../interpreters/jaxpr-types.js";
import { describePlan, planFor } from "../jit/plan.js";
import { bind } from "../trace.js";
import { type TreeDef, treedefToString, unflatten } from "../tree.js";
import { flattenArgs, flattenFun } from "./flat.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** Options of `jit`. */
export type JitOptions = {
  /** Positional arguments treated as compile-time constants (part of the cache key, not traced). */
  staticArgnums?: readonly number[];
  /** Name shown in jaxprs and errors (defaults to the function's name). */
  name?: string;
};

/** Cache statistics of a jitted function. */
export type JitCacheInfo = { hits: number; misses: number; size: number };

/** What `lower` shows of a jitted function for given arguments. */
export type Lowered = { readonly jaxpr: string; readonly plan: string };

/** A jitted function: same call signature, plus cache inspection and the compiled program. */
export type Jitted<F extends Fn> = F & {
  cacheInfo(): JitCacheInfo;
  /** The simplified jaxpr and the execution plan (steps, buffer sizes, peak bytes) for these arguments. */
  lower(...args: Parameters<F>): Lowered;
};

type Entry = { jaxpr: Jaxpr; consts: NdArray[]; outTree: TreeDef };

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function staticKey(v: unknown): string {
  if (v === null || v === undefined || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return JSON.stringify(v) ?? "undefined";
  if (typeof v === "object" || typeof v === "function") {
    let id = objectIds.get(v as object);
    if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
    return `#${id}`;
  }
  return String(v);
}

/** Compile-once wrapper of `f`: traced per signature, evaluated through the `pjit` primitive. */
export function jit<F extends Fn>(f: F, opts: JitOptions = {}): Jitted<F> {
  const statics = new Set(opts.staticArgnums ?? []);
  const name = opts.name ?? (f.name || "fn");
  const cache = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0 };
  const entryFor = (args: unknown[]): [Entry, NdArray[]] => {
    const dynamic = args.filter((_, i) => !statics.has(i));
    const [leaves, inTree] = flattenArgs(dynamic);
    const key = [
      treedefToString(inTree),
      leaves.map((l) => l.aval.str()).join(","),
      args.map((a, i) => (statics.has(i) ? staticKey(a) : "")).join("|"),
    ].join(";");
    let entry = cache.get(key);
    if (entry) stats.hits++;
    else {
      stats.misses++;
      const partial = (...dyn: unknown[]) => {
        let k = 0;
        return f(...args.map((a, i) => (statics.has(i) ? a : dyn[k++])));
      };
      const { flat, outTree } = flattenFun(partial, inTree);
      const { closed } = makeJaxprFlat(flat, leaves.map((l) => l.aval));
      entry = { jaxpr: closed.jaxpr, consts: closed.consts, outTree: outTree() };
      // A program that closed over a tracer of an enclosing transformation is only valid for this call.
      if (!closed.consts.some(isTracer)) cache.set(key, entry);
    }
    return [entry, leaves];
  };
  const jitted = (...args: unknown[]) => {
    const [entry, leaves] = entryFor(args);
    const outs = bind("pjit", [...entry.consts, ...leaves], { jaxpr: entry.jaxpr, numConsts: entry.consts.length, name });
    return unflatten(entry.outTree, outs);
  };
  const lower = (...args: unknown[]): Lowered => {
    const plan = planFor(entryFor(args)[0].jaxpr);
    return { jaxpr: plan.jaxpr.toString(entryFor(args)[0].consts.length), plan: describePlan(plan) };
  };
  return Object.assign(jitted, { cacheInfo: () => ({ ...stats, size: cache.size }), lower }) as unknown as Jitted<F>;
}

