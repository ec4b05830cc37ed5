/** Rules for `dot_general`, the one contraction primitive behind matmul, dot, outer and einsum. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { PrimParams } from "../primitives.js";
import type { RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { bilinearTangent } from "../interpreters/zeros.js";
import { checkDtypeIn, kernelImpl, moveAxis } from "./util.js";

type Dims = PrimParams["dot_general"];
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const remaining = (n: number, ...used: (readonly number[])[]) => range(0, n).filter((d) => !used.some((u) => u.includes(d)));
const argsort = (xs: readonly number[]) => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);

/** Transpose with respect to the lhs (JAX's `_dot_general_transpose_lhs`). */
function transposeLhs(g: NdArray, xAval: ShapedArray, y: NdArray, dims: Dims, swapAns: boolean): NdArray {
  const [xContract, yContract] = dims.contracting;
  const [xBatch, yBatch] = dims.batch;
  const xKept = remaining(xAval.ndim, xContract, xBatch);
  const yKept = remaining(y.ndim, yContract, yBatch);
  const nb = xBatch.length;
  const ansBatch = range(0, nb);
  const ansY = swapAns ? range(nb, nb + yKept.length) : range(nb + xKept.length, nb + xKept.length + yKept.length);
  const xContractSortedByY = argsort(yContract).map((i) => xContract[i]!);
  const outAxes = argsort([...xBatch, ...xKept, ...xContractSortedByY]);
  // JAX transposes g·y into x's layout and leaves the transpose to XLA. Eagerly it would be a real
  // copy (the weight gradient of every dense layer: xᵀ·g came out as (gᵀ·x)ᵀ), so when y·g already
  // has x's layout the operands are swapped instead: the same products, summed in the same order.
  const swappedAxes = argsort([...xBatch, ...xContractSortedByY, ...xKept]);
  if (!isIdentity(outAxes) && isIdentity(swappedAxes)) return lax.dotGeneral(y, g, [yKept, ansY], [yBatch, ansBatch]);
  const prod = lax.dotGeneral(g, y, [ansY, yKept], [ansBatch, yBatch]);
  return lax.transpose(prod, outAxes);
}

const isIdentity = (p: readonly number[]) => p.every((d, i) => d === i);

/** `dot_general`: bilinear. */
export const dotGeneralRules: RuleSet<"dot_general"> = {
  abstractEval([a, b], { contracting: [lc, rc], batch: [lb, rb] }) {
    const fail = (why: string) =>
      new ShapeError(`dot_general: ${why}: ${a!.str()} · ${b!.str()} (contracting ${JSON.stringify([lc, rc])}, batch ${JSON.stringify([lb, rb])})`);
    if (a!.dtype !== b!.dtype) {
      throw new DTypeError(`dot_general: operands must have the same dtype, got ${a!.str()} · ${b!.str()}; cast one with astype`);
    }
    checkDtypeIn("dot_general", a!, ["float32", "float64", "int32", "uint32"]);
    if (lc.length !== rc.length || lb.length !== rb.length) throw fail("dimension lists differ in length");
    const inRange = (ds: readonly number[], n: number) => ds.every((d) => Number.isInteger(d) && d >= 0 && d < n);
    if (!inRange([...lc, ...lb], a!.ndim) || !inRange([...rc, ...rb], b!.ndim)) throw fail("dimension out of range");
    // Each dimension is contracted, batched or free, once: a repeat would drop it from the output.
    const distinct = (ds: readonly number[]) => new Set(ds).size === ds.length;
    if (!distinct([...lc, ...lb]) || !distinct([...rc, ...rb])) throw fail("a dimension is repeated among contracting and batch dimensions");
    if (lc.some((d, i) => a!.shape[d] !== b!.shape[rc[i]!])) throw fail("contracting dimensions differ");
    if (lb.some((d, i) => a!.shape[d] !== b!.shape[rb[i]!])) throw fail("batch dimensions differ");
    const shape = [
      ...lb.map((d) => a!.shape[d]!),
      ...remaining(a!.ndim, lc, lb).map((d) => a!.shape[d]!),
      ...remaining(b!.ndim, rc, rb).map((d) => b!.shape[d]!),
    ];
    return [new ShapedArray(shape, a!.dtype)];
  },
  impl: kernelImpl("dot_general"),
  jvp([a, b], [ta, tb], { contracting, batch }) {
    const y = lax.dotGeneral(a!, b!, contracting, batch);
    const left = () => lax.dotGeneral(ta!, b!, contracting, batch);
    const right = () => lax.dotGeneral(a!, tb!, contracting, batch);
    return [[y], [bilinearTangent(ta!, tb!, left, right, y)]];
  },
  batch([a, b], [da, db], { contracting: [lc, rc], batch: [lb, rb] }) {
    const shift = (ds: readonly number[]) => ds.map((d) => d + 1);
    if (da !== null && db !== null) {
      const a0 = moveAxis(a!, da!, 0);
      const b0 = moveAxis(b!, db!, 0);
      return [[lax.dotGeneral(a0, b0, [shift(lc), shift(rc)], [[0, ...shift(lb)], [0, ...shift(rb)]])], [0]];
    }
    if (da !== null) {
      const ph = (d: number) => (d < da! ? d : d + 1);
      const lc2 = lc.map(ph);
      const lb2 = lb.map(ph);
      const free = remaining(a!.ndim, lc2, lb2);
      return [[lax.dotGeneral(a!, b!, [lc2, rc], [lb2, rb])], [lb.length + free.indexOf(da!)]];
    }
    const ph = (d: number) => (d < db! ? d : d + 1);
    const rc2 = rc.map(ph);
    const rb2 = rb.map(ph);
    const lFree = remaining(a!.ndim, lc, lb).length;
    const free = remaining(b!.ndim, rc2, rb2);
    return [[lax.dotGeneral(a!, b!, [lc, rc2], [lb, rb2])], [lb.length + lFree + free.indexOf(db!)]];
  },
  transpose([ct], [a, b], dims) {
    if (a instanceof UndefPrimal && b instanceof UndefPrimal) throw new Error("dot_general: transpose of a product of two linear inputs is not linear");
    if (a instanceof UndefPrimal) return [transposeLhs(ct!, a.aval, b as NdArray, dims, false), null];
    const swapped: Dims = { contracting: [dims.contracting[1], dims.contracting[0]], batch: [dims.batch[1], dims.batch[0]] };
    return [null, transposeLhs(ct!, (b as UndefPrimal).aval, a as NdArray, swapped, true)];
  },
};
