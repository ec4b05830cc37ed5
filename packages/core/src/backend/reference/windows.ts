/**
 * Reference kernels for the windowed reductions: reduce_window (sum/max/min, i.e. pooling) and the
 * select-and-{gather,scatter}-add pair that differentiates max/min pooling. The two select kernels
 * share one selection routine, so each is exactly the other's transpose.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { DType } from "../../dtype.js";
import type { Padding, PrimParams } from "../../primitives.js";
import type { Shape } from "../../shape.js";
import { type WindowDim, WindowWalker } from "./conv.js";
import { alloc, contiguousStrides, data, wrap } from "./util.js";

type WindowParams = { windowDimensions: readonly number[]; windowStrides: readonly number[]; padding: Padding };

/** A walker over the windows of an operand of `inShape` producing `outShape` (one window per output element). */
function walkerFor(inShape: Shape, outShape: Shape, p: WindowParams): WindowWalker {
  const str = contiguousStrides(inShape);
  const dims: WindowDim[] = inShape.map((n, d) => ({
    inSize: n,
    window: p.windowDimensions[d]!,
    outSize: outShape[d]!,
    stride: p.windowStrides[d]!,
    padLo: p.padding[d]![0],
    lhsDilation: 1,
    rhsDilation: 1,
    inStride: str[d]!,
  }));
  return new WindowWalker(dims);
}

/** Called once per window `w` (row-major over the output): element k is at `base + offs[start + k]`, or padding if that offset is −1. */
type WindowVisitor = (w: number, offs: Int32Array, start: number, base: number) => void;

/** Largest offset table worth caching (entries): beyond it the walker recomputes offsets per slice. */
const MAX_TABLE = 1 << 22;

/** Visit every window of an operand of `inShape` whose windows have `outShape`, with its element offsets. */
function visitWindows(inShape: Shape, outShape: Shape, p: WindowParams, visit: WindowVisitor): void {
  if (outShape.some((n) => n === 0)) return;
  // Leading dims with a unit, unpadded, unit-stride window (the batch and channel axes of pooling)
  // are independent slices: walk the other dims once and reuse their offsets for every slice.
  let lead = 0;
  while (lead < inShape.length && p.windowDimensions[lead] === 1 && p.windowStrides[lead] === 1 && p.padding[lead]![0] === 0 && p.padding[lead]![1] === 0) lead++;
  const prod = (xs: Shape) => xs.reduce((a, b) => a * b, 1);
  const outer = prod(inShape.slice(0, lead));
  const innerIn = prod(inShape.slice(lead));
  const innerOut = prod(outShape.slice(lead));
  const inner = { windowDimensions: p.windowDimensions.slice(lead), windowStrides: p.windowStrides.slice(lead), padding: p.padding.slice(lead) };
  const walker = walkerFor(inShape.slice(lead), outShape.slice(lead), inner);
  const K = walker.windowSize;
  const table = innerOut * K <= MAX_TABLE ? new Int32Array(innerOut * K) : null;
  if (table) {
    walker.seek(0);
    for (let j = 0; j < innerOut; j++) {
      if (j > 0) walker.next();
      table.set(walker.offs.subarray(0, K), j * K);
    }
  }
  for (let o = 0, w = 0; o < outer; o++) {
    const base = o * innerIn;
    for (let j = 0; j < innerOut; j++, w++) {
      if (table) {
        visit(w, table, j * K, base);
      } else {
        if (j === 0) walker.seek(0);
        else walker.next();
        visit(w, walker.offs, 0, base);
      }
    }
  }
}

/** Number of elements in each window. */
const windowSizeOf = (p: WindowParams): number => p.windowDimensions.reduce((a, b) => a * b, 1);

/** The identity of a reduction in `dtype`: what padding contributes. */
function identityOf(op: "sum" | "max" | "min", dtype: DType): number {
  if (op === "sum") return 0;
  const lowest = dtype === "int32" ? -2147483648 : dtype === "uint32" ? 0 : -Infinity;
  const highest = dtype === "int32" ? 2147483647 : dtype === "uint32" ? 4294967295 : Infinity;
  return op === "max" ? lowest : highest;
}

/** `reduce_window(x)`: sum/max/min over each (padded, strided) window; max/min propagate NaN. */
export function reduceWindowKernel(inputs: readonly ConcreteArray[], params: PrimParams["reduce_window"], out: ShapedArray): ConcreteArray {
  const x = inputs[0]!;
  const y = alloc(out);
  if (out.size === 0) return wrap(y, out);
  const xs = data(x);
  const K = windowSizeOf(params);
  const init = identityOf(params.op, x.dtype);
  const op = params.op;
  visitWindows(x.shape, out.shape, params, (w, offs, start, base) => {
    let acc = init;
    for (let k = start; k < start + K; k++) {
      const off = offs[k]!;
      if (off < 0) continue;
      const v = xs[base + off]!;
      if (op === "sum") acc += v;
      else if (v !== v || (op === "max" ? v > acc : v < acc)) acc = v;
    }
    y[w] = acc;
  });
  return wrap(y, out);
}

/**
 * For each window, the flat operand index of its selected element (−1 when the window is all padding):
 * the first maximum (minimum), except that a NaN wins and stays, matching reduce_window's value.
 */
function selectedIndices(operand: ConcreteArray, windowsShape: Shape, p: PrimParams["select_and_gather_add"]): Int32Array {
  const nWindows = windowsShape.reduce((a, b) => a * b, 1);
  const sel = new Int32Array(nWindows).fill(-1);
  if (nWindows === 0) return sel;
  const xs = data(operand);
  const K = windowSizeOf(p);
  const isMax = p.op === "max";
  visitWindows(operand.shape, windowsShape, p, (w, offs, start, base) => {
    let best = -1;
    let bv = 0;
    for (let k = start; k < start + K; k++) {
      if (offs[k]! < 0) continue;
      const at = base + offs[k]!;
      const v = xs[at]!;
      if (best < 0 || (bv === bv && (v !== v || (isMax ? v > bv : v < bv)))) {
        best = at;
        bv = v;
      }
    }
    sel[w] = best;
  });
  return sel;
}

/** `select_and_gather_add(tangent, operand)`: per window, the tangent at the operand's selected element. */
export function selectAndGatherAddKernel(inputs: readonly ConcreteArray[], params: PrimParams["select_and_gather_add"], out: ShapedArray): ConcreteArray {
  const [tangent, operand] = [inputs[0]!, inputs[1]!];
  const sel = selectedIndices(operand, out.shape, params);
  const t = data(tangent);
  const y = alloc(out);
  for (let w = 0; w < sel.length; w++) y[w] = sel[w]! < 0 ? 0 : t[sel[w]!]!;
  return wrap(y, out);
}

/** `select_and_scatter_add(source, operand)`: each window's source value added at its selected element. */
export function selectAndScatterAddKernel(inputs: readonly ConcreteArray[], params: PrimParams["select_and_scatter_add"], out: ShapedArray): ConcreteArray {
  const [source, operand] = [inputs[0]!, inputs[1]!];
  const sel = selectedIndices(operand, source.shape, params);
  const s = data(source);
  // Accumulate in float64 so overlapping windows sum without float32 round-off between additions.
  const acc = new Float64Array(out.size);
  for (let w = 0; w < sel.length; w++) {
    const j = sel[w]!;
    if (j >= 0) acc[j] = acc[j]! + s[w]!;
  }
  const y = alloc(out);
  for (let i = 0; i < acc.length; i++) y[i] = acc[i]!;
  return wrap(y, out);
}
