/**
 * Pytrees: nested plain objects, arrays/tuples and `null` with `NdArray` (or JS number) leaves.
 * Object keys are visited in sorted order, as JAX sorts dict keys, so two records built in a different
 * key order flatten the same way.
 */
import { match } from "ts-pattern";
import { NdArray } from "./array.js";

/** A pytree leaf. */
export type Leaf = NdArray | number | boolean;
/** A nested structure of leaves. */
export type PyTree = Leaf | null | undefined | readonly PyTree[] | { readonly [key: string]: PyTree };

/** The structure of a pytree without its leaves. */
export type TreeDef =
  | { readonly kind: "leaf" }
  | { readonly kind: "none"; readonly value: null | undefined }
  | { readonly kind: "array"; readonly children: readonly TreeDef[] }
  | { readonly kind: "object"; readonly keys: readonly string[]; readonly children: readonly TreeDef[] };

const LEAF: TreeDef = { kind: "leaf" };

function isLeaf(x: unknown): x is Leaf {
  return x instanceof NdArray || typeof x === "number" || typeof x === "boolean";
}

function isPlainObject(x: unknown): x is Record<string, PyTree> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Split `tree` into its leaves (depth-first, sorted keys) and its structure. */
export function flatten(tree: PyTree): [Leaf[], TreeDef] {
  const leaves: Leaf[] = [];
  const rec = (t: unknown): TreeDef => {
    if (isLeaf(t)) {
      leaves.push(t);
      return LEAF;
    }
    if (t === null || t === undefined) return { kind: "none", value: t };
    if (Array.isArray(t)) return { kind: "array", children: t.map(rec) };
    if (isPlainObject(t)) {
      const keys = Object.keys(t).sort();
      return { kind: "object", keys, children: keys.map((k) => rec(t[k])) };
    }
    throw new TypeError(`tree.flatten: ${describe(t)} is not a pytree node; use NdArray or number leaves inside plain objects, arrays and null`);
  };
  const def = rec(tree);
  return [leaves, def];
}

function describe(x: unknown): string {
  if (typeof x === "object" && x !== null) return `an object of class ${x.constructor?.name ?? "?"}`;
  return `a ${typeof x} (${String(x)})`;
}

/** Rebuild a pytree of structure `def` from `leaves`. */
export function unflatten<T = PyTree>(def: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const rec = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        if (i >= leaves.length) throw new RangeError(`tree.unflatten: too few leaves (${leaves.length}) for ${treedefToString(def)}`);
        return leaves[i++];
      case "none":
        return d.value;
      case "array":
        return d.children.map(rec);
      case "object": {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, j) => (out[k] = rec(d.children[j]!)));
        return out;
      }
    }
  };
  const out = rec(def);
  if (i !== leaves.length) throw new RangeError(`tree.unflatten: ${leaves.length} leaves for a structure with ${i}`);
  return out as T;
}

/** The leaves of `tree`. */
export function leaves(tree: PyTree): Leaf[] {
  return flatten(tree)[0];
}

/** The structure of `tree`. */
export function structure(tree: PyTree): TreeDef {
  return flatten(tree)[1];
}

/** Number of leaves a structure holds. */
export function numLeaves(def: TreeDef): number {
  return match(def)
    .with({ kind: "leaf" }, () => 1)
    .with({ kind: "none" }, () => 0)
    .with({ kind: "array" }, { kind: "object" }, (d) => d.children.reduce((n, c) => n + numLeaves(c), 0))
    .exhaustive();
}

/** Whether two structures are the same. */
export function treedefEquals(a: TreeDef, b: TreeDef): boolean {
  return treedefToString(a) === treedefToString(b);
}

/** A readable form of a structure, e.g. `{b: *, w: [*, *]}`. */
export function treedefToString(def: TreeDef): string {
  return match(def)
    .with({ kind: "leaf" }, () => "*")
    .with({ kind: "none" }, (d) => String(d.value))
    .with({ kind: "array" }, (d) => `[${d.children.map(treedefToString).join(", ")}]`)
    .with({ kind: "object" }, (d) => `{${d.keys.map((k, i) => `${k}: ${treedefToString(d.children[i]!)}`).join(", ")}}`)
    .exhaustive();
}

/** Apply `f` to corresponding leaves of `tree` and `rest` (which must have the same structure). */
export function map<T = PyTree>(f: (leaf: Leaf, ...rest: Leaf[]) => unknown, tree: PyTree, ...rest: PyTree[]): T {
  const [ls, def] = flatten(tree);
  const others = rest.map((r) => {
    const [rl, rd] = flatten(r);
    if (!treedefEquals(def, rd)) {
      throw new TypeError(`tree.map: structures differ: ${treedefToString(def)} vs ${treedefToString(rd)}`);
    }
    return rl;
  });
  return unflatten<T>(def, ls.map((l, i) => f(l, ...others.map((o) => o[i]!))));
}

/** Expand a prefix tree (e.g. vmap's inAxes) to one value per leaf of `full`. */
export function broadcastPrefix<T>(prefix: unknown, full: PyTree, isPrefixLeaf: (x: unknown) => boolean, what: string): T[] {
  const out: T[] = [];
  const rec = (p: unknown, t: unknown): void => {
    if (isPrefixLeaf(p)) {
      const n = flatten(t as PyTree)[0].length;
      for (let i = 0; i < n; i++) out.push(p as T);
      return;
    }
    if (Array.isArray(p) && Array.isArray(t) && p.length === t.length) return p.forEach((pi, i) => rec(pi, t[i]));
    if (isPlainObject(p) && isPlainObject(t)) {
      const keys = Object.keys(t).sort();
      for (const k of keys) rec(k in p ? (p as Record<string, unknown>)[k] : undefined, t[k]);
      return;
    }
    throw new TypeError(`${what}: ${JSON.stringify(p)} does not match the structure ${treedefToString(structure(t as PyTree))}`);
  };
  rec(prefix, full);
  return out;
}
