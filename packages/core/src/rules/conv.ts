/**
 * Rules for `conv_general_dilated`, following JAX's lax/convolution.py: the conv is bilinear, its
 * transposes are themselves convolutions (with strides and lhs dilation swapped, and feature groups
 * traded for batch groups on the rhs side), and vmap folds the mapped axis into batch or features.
 */
import { bilinearTangent } from "../interpreters/zeros.js";
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { ConvDimensionNumbers, PrimParams } from "../primitives.js";
import type { RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { checkDtypeIn, kernelImpl } from "./util.js";

type ConvParams = PrimParams["conv_general_dilated"];

/** Apply the primitive with `p`, overriding some params. */
function conv(lhs: NdArray, rhs: NdArray, p: ConvParams, over: Partial<ConvParams> = {}): NdArray {
  const q = { ...p, ...over };
  return lax.convGeneralDilated(lhs, rhs, q.windowStrides, q.padding, q);
}

/** Size of a dimension of `n` elements with `d − 1` holes between neighbours (0 stays 0). */
const dilateDim = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1));
const isPosInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
const fmt = (xs: readonly unknown[]): string => JSON.stringify(xs);

/** Require each dimension-number spec to be a permutation of the operand's axes. */
function checkSpecs(lhs: ShapedArray, rhs: ShapedArray, dn: ConvDimensionNumbers): void {
  const isPerm = (s: readonly number[], n: number) => s.length === n && [...s].sort((a, b) => a - b).every((v, i) => v === i);
  const named: [string, readonly number[]][] = [["lhs", dn.lhs], ["rhs", dn.rhs], ["out", dn.out]];
  for (const [name, spec] of named) {
    if (!isPerm(spec, lhs.ndim)) {
      throw new ShapeError(`conv: dimensionNumbers.${name} ${fmt(spec)} must be a permutation of the ${lhs.ndim} axes of ${lhs.str()} / ${rhs.str()} ([batch, feature, ...spatial] axis indices)`);
    }
  }
}

/** Require strides, dilations and padding to have one valid entry per spatial dimension. */
function checkWindowParams(lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): void {
  const nSpatial = lhs.ndim - 2;
  const perDim: [string, readonly number[]][] = [["windowStrides", p.windowStrides], ["lhsDilation", p.lhsDilation], ["rhsDilation", p.rhsDilation]];
  for (const [name, v] of perDim) {
    if (v.length !== nSpatial || !v.every(isPosInt)) {
      throw new ShapeError(`conv: ${name} ${fmt(v)} must hold ${nSpatial} positive integers, one per spatial dimension of ${lhs.str()} * ${rhs.str()}`);
    }
  }
  if (p.padding.length !== nSpatial || !p.padding.every((lh) => lh.length === 2 && lh.every(Number.isInteger))) {
    throw new ShapeError(`conv: padding ${fmt(p.padding)} must hold ${nSpatial} integer [low, high] pairs, one per spatial dimension of ${lhs.str()} * ${rhs.str()}`);
  }
}

/** Require the batch/feature sizes to agree with the group counts. */
function checkGroups(lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): void {
  const { featureGroupCount: fgc, batchGroupCount: bgc, dimensionNumbers: dn } = p;
  const [n, c] = [lhs.shape[dn.lhs[0]!]!, lhs.shape[dn.lhs[1]!]!];
  const [o, i] = [rhs.shape[dn.rhs[0]!]!, rhs.shape[dn.rhs[1]!]!];
  if (!isPosInt(fgc) || !isPosInt(bgc)) throw new ShapeError(`conv: featureGroupCount ${fgc} and batchGroupCount ${bgc} must be positive integers`);
  if (fgc > 1 && bgc > 1) throw new ShapeError(`conv: featureGroupCount ${fgc} and batchGroupCount ${bgc} cannot both exceed 1; use one of them`);
  if (c !== i * fgc) {
    throw new ShapeError(`conv: input channels ${c} of ${lhs.str()} must equal kernel in-channels × featureGroupCount (${i}×${fgc}) of kernel ${rhs.str()}; fix the kernel's in-channel axis or featureGroupCount`);
  }
  if (o % fgc !== 0) throw new ShapeError(`conv: kernel out-channels ${o} of ${rhs.str()} must be divisible by featureGroupCount ${fgc}`);
  if (n % bgc !== 0) throw new ShapeError(`conv: batch size ${n} of ${lhs.str()} must be divisible by batchGroupCount ${bgc}`);
  if (o % bgc !== 0) throw new ShapeError(`conv: kernel out-channels ${o} of ${rhs.str()} must be divisible by batchGroupCount ${bgc}`);
}

/** Output spatial sizes: ⌊(dilated input + padding − dilated kernel) / stride⌋ + 1, at least 0. */
function outSpatial(lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): number[] {
  const dn = p.dimensionNumbers;
  return dn.lhs.slice(2).map((ax, d) => {
    const [lo, hi] = p.padding[d]!;
    const padded = dilateDim(lhs.shape[ax]!, p.lhsDilation[d]!) + lo + hi;
    if (padded < 0) {
      throw new ShapeError(`conv: padding [${lo}, ${hi}] removes more than spatial dimension ${d} of ${lhs.str()} has (size ${lhs.shape[ax]} after lhs dilation ${p.lhsDilation[d]}); use smaller negative padding`);
    }
    const k = dilateDim(rhs.shape[dn.rhs[2 + d]!]!, p.rhsDilation[d]!);
    return Math.max(0, Math.floor((padded - k) / p.windowStrides[d]!) + 1);
  });
}

/** Output aval of a validated conv, laid out by `dimensionNumbers.out`. */
function convAval(lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): ShapedArray {
  if (lhs.dtype !== rhs.dtype) throw new DTypeError(`conv: input ${lhs.str()} and kernel ${rhs.str()} must have the same dtype; cast one with astype`);
  checkDtypeIn("conv", lhs, ["float32", "float64", "int32", "uint32"]);
  if (lhs.ndim !== rhs.ndim || lhs.ndim < 2) {
    throw new ShapeError(`conv: input ${lhs.str()} and kernel ${rhs.str()} must have the same rank, at least 2 ([batch, feature, ...spatial] and [outFeature, inFeature, ...spatial])`);
  }
  checkSpecs(lhs, rhs, p.dimensionNumbers);
  checkWindowParams(lhs, rhs, p);
  checkGroups(lhs, rhs, p);
  const dn = p.dimensionNumbers;
  const shape = new Array<number>(lhs.ndim);
  shape[dn.out[0]!] = lhs.shape[dn.lhs[0]!]! / p.batchGroupCount;
  shape[dn.out[1]!] = rhs.shape[dn.rhs[0]!]!;
  outSpatial(lhs, rhs, p).forEach((s, d) => (shape[dn.out[2 + d]!] = s));
  return new ShapedArray(shape, lhs.dtype);
}

// ---- axis plumbing shared by the transpose and batch rules (JAX's _reshape_axis_into/_out_of) ----

/** Merge axis `src` into axis `dst` (numbered after removing `src`), `src` becoming the major part. */
function reshapeAxisInto(src: number, dst: number, x: NdArray): NdArray {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] = shape[dst]! * x.shape[src]!;
  return lax.reshape(lax.transpose(x, perm), shape);
}

/** Split axis `src` into `[size1, rest]`. */
function reshapeAxisOutOf(src: number, size1: number, x: NdArray): NdArray {
  const shape = [...x.shape];
  shape.splice(src, 1, size1, x.shape[src]! / size1);
  return lax.reshape(x, shape);
}

/** Swap the first two entries of a spec: batch ↔ feature (or out- ↔ in-feature). */
const swapSpec = (s: readonly number[]): number[] => [s[1]!, s[0]!, ...s.slice(2)];
const spatialOf = (shape: readonly number[], spec: readonly number[]): number[] => spec.slice(2).map((ax) => shape[ax]!);

/** Padding that makes the lhs transpose (a conv over the cotangent) land exactly on the input's shape. */
function vjpLhsPadding(inShape: number[], window: number[], out: number[], p: ConvParams): [number, number][] {
  return inShape.map((n, d) => {
    const lhsD = dilateDim(n, p.lhsDilation[d]!);
    const rhsD = dilateDim(window[d]!, p.rhsDilation[d]!);
    const outD = dilateDim(out[d]!, p.windowStrides[d]!);
    const before = rhsD - p.padding[d]![0] - 1;
    return [before, lhsD + rhsD - 1 - outD - before];
  });
}

/** Padding that makes the rhs transpose (a conv of the input with the cotangent) land on the kernel's shape. */
function vjpRhsPadding(inShape: number[], window: number[], out: number[], p: ConvParams): [number, number][] {
  return inShape.map((n, d) => {
    const lhsD = dilateDim(n, p.lhsDilation[d]!);
    const rhsD = dilateDim(window[d]!, p.rhsDilation[d]!);
    const outD = dilateDim(out[d]!, p.windowStrides[d]!);
    const lo = p.padding[d]![0];
    return [lo, outD - lhsD + (rhsD - lo - 1)];
  });
}

/** Cotangent of the lhs: conv of the cotangent with the spatially reversed, in/out-swapped kernel. */
function transposeLhs(ct: NdArray, lhs: ShapedArray, rhs: NdArray, p: ConvParams): NdArray {
  const { lhs: ls, rhs: rs, out: os } = p.dimensionNumbers;
  let fgc = p.featureGroupCount;
  const bgc = p.batchGroupCount;
  let w = rhs;
  if (fgc > 1 || bgc > 1) {
    // The groups move from the kernel's out-features into its in-features, which become the
    // transposed conv's out-features; a batch-grouped conv transposes to a feature-grouped one.
    w = reshapeAxisInto(rs[0]!, rs[1]!, reshapeAxisOutOf(rs[0]!, Math.max(fgc, bgc), w));
    fgc = Math.max(fgc, bgc);
  }
  const padding = vjpLhsPadding(spatialOf(lhs.shape, ls), spatialOf(w.shape, rs), spatialOf(ct.shape, os), p);
  let out = conv(ct, lax.rev(w, rs.slice(2)), p, {
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    dimensionNumbers: { lhs: os, rhs: swapSpec(rs), out: ls },
    featureGroupCount: fgc,
    batchGroupCount: 1,
  });
  // Batch groups came out as feature groups: move them back from the feature axis into the batch.
  if (bgc > 1) out = reshapeAxisInto(ls[1]!, ls[0]!, reshapeAxisOutOf(ls[1]!, bgc, out));
  return out;
}

/** Cotangent of the rhs: conv of the input with the cotangent, batch and feature axes swapped. */
function transposeRhs(ct: NdArray, lhs: NdArray, rhs: ShapedArray, p: ConvParams): NdArray {
  if (ct.size === 0) return lax.full(rhs.shape, 0, rhs.dtype);
  const { lhs: ls, rhs: rs, out: os } = p.dimensionNumbers;
  // Swapping batch and feature turns feature groups into batch groups and vice versa.
  const padding = vjpRhsPadding(spatialOf(lhs.shape, ls), spatialOf(rhs.shape, rs), spatialOf(ct.shape, os), p);
  return conv(lhs, ct, p, {
    windowStrides: p.rhsDilation,
    padding,
    rhsDilation: p.windowStrides,
    dimensionNumbers: { lhs: swapSpec(ls), rhs: swapSpec(os), out: swapSpec(rs) },
    featureGroupCount: p.batchGroupCount,
    batchGroupCount: p.featureGroupCount,
  });
}

// ---- vmap (JAX's _conv_general_dilated_batch_rule) ----

/** Both operands mapped: the mapped axis becomes extra feature (or batch) groups. */
function batchBoth(lhs: NdArray, dl: number, rhs: NdArray, dr: number, p: ConvParams): [NdArray, number] {
  const { lhs: ls, rhs: rs, out: os } = p.dimensionNumbers;
  const b = lhs.shape[dl]!;
  const grouped = p.batchGroupCount > 1
    ? { lhs: reshapeAxisInto(dl, ls[0]!, lhs), over: { batchGroupCount: p.batchGroupCount * b } }
    : { lhs: reshapeAxisInto(dl, ls[1]!, lhs), over: { featureGroupCount: p.featureGroupCount * b } };
  const out = conv(grouped.lhs, reshapeAxisInto(dr, rs[0]!, rhs), p, grouped.over);
  return [reshapeAxisOutOf(os[1]!, b, out), os[1]!];
}

/** Only the lhs mapped: the mapped axis joins the batch (inside each batch group). */
function batchLhs(lhs: NdArray, dl: number, rhs: NdArray, p: ConvParams): [NdArray, number] {
  const { lhs: ls, out: os } = p.dimensionNumbers;
  const b = lhs.shape[dl]!;
  const bgc = p.batchGroupCount;
  let x: NdArray;
  if (bgc === 1) {
    x = reshapeAxisInto(dl, ls[0]!, lhs);
  } else {
    // Batch groups must stay outermost: split them out, fold the mapped axis into each group, re-merge.
    x = reshapeAxisOutOf(ls[0]! + (dl <= ls[0]! ? 1 : 0), bgc, lhs);
    x = reshapeAxisInto(dl + (ls[0]! < dl ? 1 : 0), ls[0]! + 1, x);
    x = reshapeAxisInto(ls[0]!, ls[0]!, x);
  }
  return [reshapeAxisOutOf(os[0]!, b, conv(x, rhs, p)), os[0]!];
}

/** Only the rhs mapped: the mapped axis joins the out-features (inside each group). */
function batchRhs(lhs: NdArray, rhs: NdArray, dr: number, p: ConvParams): [NdArray, number] {
  const { rhs: rs, out: os } = p.dimensionNumbers;
  const b = rhs.shape[dr]!;
  const groups = Math.max(p.featureGroupCount, p.batchGroupCount);
  if (groups === 1) return [reshapeAxisOutOf(os[1]!, b, conv(lhs, reshapeAxisInto(dr, rs[0]!, rhs), p)), os[1]!];
  // Groups must stay outermost in the out-features: [groups, b, O/groups], then undone on the output.
  let w = reshapeAxisOutOf(rs[0]! + (dr <= rs[0]! ? 1 : 0), groups, rhs);
  w = reshapeAxisInto(dr + (rs[0]! < dr ? 1 : 0), rs[0]! + 1, w);
  w = reshapeAxisInto(rs[0]!, rs[0]!, w);
  let out = reshapeAxisOutOf(os[1]!, groups, conv(lhs, w, p));
  out = reshapeAxisOutOf(os[1]! + 1, b, out);
  return [reshapeAxisInto(os[1]!, os[1]! + 1, out), os[1]!];
}

/** `conv_general_dilated(lhs, rhs)`: bilinear. */
export const convRules: RuleSet<"conv_general_dilated"> = {
  abstractEval([lhs, rhs], params) {
    return [convAval(lhs!, rhs!, params)];
  },
  impl: kernelImpl("conv_general_dilated"),
  jvp([lhs, rhs], [tl, tr], params) {
    const y = conv(lhs!, rhs!, params);
    return [[y], [bilinearTangent(tl!, tr!, () => conv(tl!, rhs!, params), () => conv(lhs!, tr!, params), y)]];
  },
  batch([lhs, rhs], [dl, dr], params) {
    const [out, d] =
      dl !== null && dr !== null ? batchBoth(lhs!, dl!, rhs!, dr!, params)
      : dl !== null ? batchLhs(lhs!, dl!, rhs!, params)
      : batchRhs(lhs!, rhs!, dr!, params);
    return [[out], [d]];
  },
  transpose([ct], [lhs, rhs], params) {
    if (lhs instanceof UndefPrimal && rhs instanceof UndefPrimal) throw new Error("conv: transpose of a conv of two linear inputs is not linear");
    if (lhs instanceof UndefPrimal) return [transposeLhs(ct!, lhs.aval, rhs as NdArray, params), null];
    return [null, transposeRhs(ct!, lhs as NdArray, (rhs as UndefPrimal).aval, params)];
  },
};
