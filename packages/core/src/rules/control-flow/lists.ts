/** List plumbing for control-flow rules: operands arrive as one flat list made of consecutive groups. */

/** Split `xs` into consecutive groups of the given sizes; whatever remains forms one last group. */
export function splitList<T>(xs: readonly T[], sizes: readonly number[]): T[][] {
  const groups: T[][] = [];
  let start = 0;
  for (const n of sizes) {
    groups.push(xs.slice(start, start + n));
    start += n;
  }
  groups.push(xs.slice(start));
  return groups;
}

/** The elements of `xs` whose `mask` entry equals `keep`. */
export function pick<T>(xs: readonly T[], mask: readonly boolean[], keep = true): T[] {
  return xs.filter((_, i) => (mask[i] ?? false) === keep);
}

/** Rebuild a list from its masked-out (`false`) and masked-in (`true`) parts, each consumed in order. */
export function merge<T>(mask: readonly boolean[], whenFalse: readonly T[], whenTrue: readonly T[]): T[] {
  let f = 0;
  let t = 0;
  return mask.map((m) => (m ? whenTrue[t++]! : whenFalse[f++]!));
}

/** Elementwise `a || b`. */
export const orMask = (a: readonly boolean[], b: readonly boolean[]): boolean[] => a.map((x, i) => x || (b[i] ?? false));

/** Whether two masks are equal. */
export const sameMask = (a: readonly boolean[], b: readonly boolean[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
