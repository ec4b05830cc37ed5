/** Reference kernels for gather (take along an axis) and its transpose scatter_add. */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { alloc, data, wrap } from "./util.js";

/** `gather(x, indices)` along `axis`; out-of-range indices are clamped (validated eagerly by `np.take`). */
export function gatherKernel(inputs: readonly ConcreteArray[], params: PrimParams["gather"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const src = data(x);
  const idx = data(inputs[1]!);
  const axis = params.axis;
  const n = x.shape[axis]!;
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const m = idx.length;
  const y = alloc(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const k = Math.min(Math.max(idx[j]!, 0), n - 1);
      const s = (o * n + k) * inner;
      const d = (o * m + j) * inner;
      for (let t = 0; t < inner; t++) y[d + t] = src[s + t]!;
    }
  }
  return wrap(y, out);
}

/** `scatter_add(operand, indices, updates)` along `axis`; out-of-range updates are dropped. */
export function scatterAddKernel(inputs: readonly ConcreteArray[], params: PrimParams["scatter_add"], out: ShapedArray): ConcreteArray {
  const operand = inputs[0]!;
  const idx = data(inputs[1]!);
  const upd = data(inputs[2]!);
  const axis = params.axis;
  const n = operand.shape[axis]!;
  const outer = operand.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = operand.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const m = idx.length;
  const y = alloc(out);
  y.set(data(operand));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const k = idx[j]!;
      if (k < 0 || k >= n) continue;
      const d = (o * n + k) * inner;
      const s = (o * m + j) * inner;
      for (let t = 0; t < inner; t++) y[d + t] = y[d + t]! + upd[s + t]!;
    }
  }
  return wrap(y, out);
}
