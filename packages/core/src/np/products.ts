/** Products: matmul, dot, outer, inner, tensordot and einsum, all via `dot_general`. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { broadcastShapes } from "../shape.js";
import { asArray, axisOf, broadcastTo, resultDtype } from "./convert.js";

function promote2(op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] {
  const dtype = resultDtype(x, y);
  const a = lax.convertElementType(asArray(x, dtype), dtype);
  const b = lax.convertElementType(asArray(y, dtype), dtype);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`${op}: operands must be at least 1-D, got ${a.aval.str()} and ${b.aval.str()}; use multiply for scalars`);
  return [a, b];
}

/** Matrix product with NumPy semantics: 1-D operands are promoted, leading (batch) axes broadcast. */
export function matmul(x: ArrayLike, y: ArrayLike): NdArray {
  const [a0, b0] = promote2("matmul", x, y);
  const a = a0.ndim === 1 ? lax.reshape(a0, [1, a0.shape[0]!]) : a0;
  const b = b0.ndim === 1 ? lax.reshape(b0, [b0.shape[0]!, 1]) : b0;
  const [n, k] = [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
  const [k2, m] = [b.shape[b.ndim - 2]!, b.shape[b.ndim - 1]!];
  if (k !== k2) throw new ShapeError(`matmul: contracting dimensions differ: ${a0.aval.str()} @ ${b0.aval.str()} (${k} vs ${k2}); transpose or reshape an operand`);
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(`matmul: batch dimensions do not broadcast: ${a0.aval.str()} @ ${b0.aval.str()} (batch [${a.shape.slice(0, -2).join(",")}] vs [${b.shape.slice(0, -2).join(",")}])`);
  }
  const nb = batch.length;
  const ab = broadcastTo(a, [...batch, n, k], "matmul");
  const bb = broadcastTo(b, [...batch, k, m], "matmul");
  const bd = Array.from({ length: nb }, (_, i) => i);
  let out = lax.dotGeneral(ab, bb, [[nb + 1], [nb]], [bd, bd]);
  if (a0.ndim === 1) out = lax.reshape(out, [...batch, m]);
  if (b0.ndim === 1) out = lax.reshape(out, a0.ndim === 1 ? batch : [...batch, n]);
  return out;
}

/** NumPy `dot`: inner product of vectors, matrix product of matrices, sum over x's last and y's second-to-last axis otherwise. */
export function dot(x: ArrayLike, y: ArrayLike): NdArray {
  const dtype = resultDtype(x, y);
  const a = lax.convertElementType(asArray(x, dtype), dtype);
  const b = lax.convertElementType(asArray(y, dtype), dtype);
  if (a.ndim === 0 || b.ndim === 0) return lax.mul(...(promoteScalar(a, b)));
  const ca = a.ndim - 1;
  const cb = Math.max(b.ndim - 2, 0);
  if (a.shape[ca] !== b.shape[cb]) throw new ShapeError(`dot: contracting dimensions differ: ${a.aval.str()} · ${b.aval.str()} (${a.shape[ca]} vs ${b.shape[cb]})`);
  return lax.dotGeneral(a, b, [[ca], [cb]]);
}

function promoteScalar(a: NdArray, b: NdArray): [NdArray, NdArray] {
  const shape = broadcastShapes("dot", a.shape, b.shape);
  return [broadcastTo(a, shape), broadcastTo(b, shape)];
}

/** Outer product of the flattened operands. */
export function outer(x: ArrayLike, y: ArrayLike): NdArray {
  const dtype = resultDtype(x, y);
  const a = lax.convertElementType(asArray(x, dtype), dtype);
  const b = lax.convertElementType(asArray(y, dtype), dtype);
  return lax.dotGeneral(lax.reshape(a, [a.size]), lax.reshape(b, [b.size]), [[], []]);
}

/** Inner product over the last axes. */
export function inner(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote2("inner", x, y);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) throw new ShapeError(`inner: last dimensions differ: ${a.aval.str()} and ${b.aval.str()}`);
  return lax.dotGeneral(a, b, [[a.ndim - 1], [b.ndim - 1]]);
}

/** Contract `axes` (a count of trailing/leading axes, or explicit lists) of x and y. */
export function tensordot(x: ArrayLike, y: ArrayLike, axes: number | readonly [readonly number[], readonly number[]] = 2): NdArray {
  const [a, b] = promote2("tensordot", x, y);
  if (typeof axes === "number" && (!Number.isInteger(axes) || axes < 0 || axes > Math.min(a.ndim, b.ndim))) {
    throw new RangeError(`tensordot: axes must be an integer in 0..${Math.min(a.ndim, b.ndim)} for ${a.aval.str()} and ${b.aval.str()}, got ${axes}`);
  }
  if (typeof axes !== "number" && axes[0].length !== axes[1].length) {
    throw new ShapeError(`tensordot: axes lists ${JSON.stringify(axes[0])} and ${JSON.stringify(axes[1])} have different lengths (${a.aval.str()}, ${b.aval.str()})`);
  }
  const [ca, cb] =
    typeof axes === "number"
      ? [Array.from({ length: axes }, (_, i) => a.ndim - axes + i), Array.from({ length: axes }, (_, i) => i)]
      : [axes[0].map((d) => axisOf("tensordot", d, a)), axes[1].map((d) => axisOf("tensordot", d, b))];
  ca.forEach((d, i) => {
    if (a.shape[d] !== b.shape[cb[i]!]) throw new ShapeError(`tensordot: contracted axes differ: ${a.aval.str()} axis ${d} vs ${b.aval.str()} axis ${cb[i]}`);
  });
  return lax.dotGeneral(a, b, [ca, cb]);
}

/** Sum an operand over labels it alone has, take diagonals of repeated labels; returns the remaining labels. */
function reduceOperand(x: NdArray, labels: string[], keep: Set<string>): [NdArray, string[]] {
  let a = x;
  let ls = [...labels];
  // Repeated label (e.g. "ii"): keep the diagonal by masking and summing one copy away.
  for (let i = 0; i < ls.length; i++) {
    const j = ls.indexOf(ls[i]!, i + 1);
    if (j < 0) continue;
    if (a.shape[i] !== a.shape[j]) throw new ShapeError(`einsum: repeated label ${ls[i]} has sizes ${a.shape[i]} and ${a.shape[j]}`);
    const mask = lax.eq(lax.iota("int32", a.shape, i), lax.iota("int32", a.shape, j));
    a = lax.reduceSum(lax.selectN(mask, lax.zerosLike(a), a), [j]);
    ls.splice(j, 1);
    i--;
  }
  const drop = ls.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (drop.length) {
    a = lax.reduceSum(a, drop);
    ls = ls.filter((l) => keep.has(l));
  }
  return [a, ls];
}

/** Einstein summation over explicit subscripts, e.g. `einsum("bij,bjk->bik", a, b)`. */
export function einsum(subscripts: string, ...operands: ArrayLike[]): NdArray {
  const spec = subscripts.replace(/\s+/g, "");
  if (spec.includes("...")) throw new ShapeError(`einsum: ellipsis ("...") is not supported in ${JSON.stringify(subscripts)}; name every axis with a letter`);
  if (!/^[a-zA-Z,]*(->[a-zA-Z]*)?$/.test(spec)) throw new TypeError(`einsum: cannot parse subscripts ${JSON.stringify(subscripts)}; use letters, commas and one "->", e.g. "ij,jk->ik"`);
  const [lhs, rhsSpec] = spec.includes("->") ? spec.split("->") as [string, string] : [spec, undefined];
  const inputs = lhs.split(",").map((s) => s.split(""));
  if (inputs.length !== operands.length) throw new ShapeError(`einsum: ${inputs.length} operand subscripts in ${JSON.stringify(subscripts)} for ${operands.length} operands`);
  if (rhsSpec !== undefined && new Set(rhsSpec).size !== rhsSpec.length) throw new ShapeError(`einsum: output subscripts "${rhsSpec}" repeat a label`);
  const counts = new Map<string, number>();
  inputs.flat().forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1));
  const out = rhsSpec !== undefined ? rhsSpec.split("") : [...counts.keys()].filter((l) => counts.get(l) === 1).sort();
  const dtype = resultDtype(...operands);
  const arrs = operands.map((o) => lax.convertElementType(asArray(o, dtype), dtype));
  arrs.forEach((a, i) => {
    if (a.ndim !== inputs[i]!.length) throw new ShapeError(`einsum: operand ${i} ${a.aval.str()} needs ${inputs[i]!.length} axes for "${inputs[i]!.join("")}"`);
  });
  // Contract left to right; a label survives a step if the output or a later operand needs it.
  const needed = (from: number) => new Set([...out, ...inputs.slice(from).flat()]);
  let [acc, accLabels] = reduceOperand(arrs[0]!, inputs[0]!, needed(1));
  for (let k = 1; k < arrs.length; k++) {
    const keepAfter = needed(k + 1);
    const [b, bLabels] = reduceOperand(arrs[k]!, inputs[k]!, new Set([...keepAfter, ...accLabels]));
    const [a, aLabels] = reduceOperand(acc, accLabels, new Set([...keepAfter, ...bLabels]));
    const shared = aLabels.filter((l) => bLabels.includes(l));
    const batchL = shared.filter((l) => keepAfter.has(l));
    const contractL = shared.filter((l) => !keepAfter.has(l));
    shared.forEach((l) => {
      if (a.shape[aLabels.indexOf(l)] !== b.shape[bLabels.indexOf(l)]) throw new ShapeError(`einsum: label ${l} has sizes ${a.shape[aLabels.indexOf(l)]} and ${b.shape[bLabels.indexOf(l)]}`);
    });
    const idx = (ls: string[], sel: string[]) => sel.map((l) => ls.indexOf(l));
    acc = lax.dotGeneral(a, b, [idx(aLabels, contractL), idx(bLabels, contractL)], [idx(aLabels, batchL), idx(bLabels, batchL)]);
    accLabels = [...batchL, ...aLabels.filter((l) => !shared.includes(l)), ...bLabels.filter((l) => !shared.includes(l))];
  }
  const [final, finalLabels] = reduceOperand(acc, accLabels, new Set(out));
  const missing = out.filter((l) => !finalLabels.includes(l));
  if (missing.length) throw new ShapeError(`einsum: output labels ${missing.join("")} do not appear in the inputs`);
  return lax.transpose(final, out.map((l) => finalLabels.indexOf(l)));
}
