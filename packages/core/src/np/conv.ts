/** Convolution and pooling front-ends over `conv_general_dilated` and `reduce_window`. */
import type { ArrayLike, NdArray } from "../array.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { ConvDimensionNumbers, Padding } from "../primitives.js";
import { asArray, resultDtype } from "./convert.js";

/** Padding: "VALID" (none), "SAME" (output size ⌈in/stride⌉), or explicit `[low, high]` per spatial dim. */
export type PaddingSpec = "VALID" | "SAME" | Padding;

/** Options of `conv`. */
export type ConvOptions = {
  strides?: readonly number[];
  padding?: PaddingSpec;
  lhsDilation?: readonly number[];
  rhsDilation?: readonly number[];
  featureGroupCount?: number;
  /** Layouts of input, kernel and output, e.g. ["NCHW", "OIHW", "NCHW"] (default) or ["NHWC", "HWIO", "NHWC"]. */
  layout?: readonly [string, string, string];
  /** Flip the kernel (true convolution instead of cross-correlation). */
  flip?: boolean;
};

/** Resolve "VALID"/"SAME" into explicit pads for input sizes, window sizes, strides and dilations. */
export function resolvePadding(op: string, padding: PaddingSpec, inSizes: readonly number[], window: readonly number[], strides: readonly number[], dilation?: readonly number[]): Padding {
  if (padding === "VALID") return inSizes.map(() => [0, 0] as const);
  if (padding === "SAME") {
    return inSizes.map((n, i) => {
      const k = (window[i]! - 1) * (dilation?.[i] ?? 1) + 1;
      const s = strides[i]!;
      const out = Math.ceil(n / s);
      const total = Math.max((out - 1) * s + k - n, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)] as const;
    });
  }
  if (padding.length !== inSizes.length) throw new ShapeError(`${op}: padding needs ${inSizes.length} [low, high] pairs, got ${padding.length}`);
  return padding;
}

function layoutToDims(op: string, spec: string, kind: "lhs" | "rhs"): number[] {
  const [a, b] = kind === "lhs" ? ["N", "C"] : ["O", "I"];
  const ia = spec.indexOf(a!);
  const ib = spec.indexOf(b!);
  if (ia < 0 || ib < 0) throw new ShapeError(`${op}: layout "${spec}" must contain ${a} and ${b}`);
  const spatial = spec.split("").flatMap((ch, i) => (ch === a || ch === b ? [] : [i]));
  return [ia, ib, ...spatial];
}

/** Parse layout strings into dimension numbers (spatial axes matched by order of appearance). */
export function dimensionNumbers(op: string, layout: readonly [string, string, string]): ConvDimensionNumbers {
  const [l, r, o] = layout;
  const lhs = layoutToDims(op, l, "lhs");
  const rhs = layoutToDims(op, r, "rhs");
  const out = layoutToDims(op, o, "lhs");
  // Spatial dims are matched by letter between lhs and out, and by order for the kernel.
  const spatialLetters = lhs.slice(2).map((i) => l[i]!);
  const outSpatial = spatialLetters.map((ch) => o.indexOf(ch));
  if (outSpatial.some((i) => i < 0)) throw new ShapeError(`${op}: output layout "${o}" must name the input's spatial dims ${spatialLetters.join("")}`);
  const kSpatial = spatialLetters.map((ch) => r.indexOf(ch));
  return { lhs, rhs: kSpatial.every((i) => i >= 0) ? [rhs[0]!, rhs[1]!, ...kSpatial] : rhs, out: [out[0]!, out[1]!, ...outSpatial] };
}

/** N-d convolution (cross-correlation by default, as every DL library), NCHW/OIHW unless `layout` says otherwise. */
export function conv(x: ArrayLike, kernel: ArrayLike, opts: ConvOptions = {}): NdArray {
  const dtype = resultDtype(x, kernel);
  const lhs = lax.convertElementType(asArray(x, dtype), dtype);
  let rhs = lax.convertElementType(asArray(kernel, dtype), dtype);
  if (lhs.ndim < 3 || rhs.ndim !== lhs.ndim) throw new ShapeError(`conv: input ${lhs.aval.str()} and kernel ${rhs.aval.str()} must have the same rank ≥ 3 (batch, channels, spatial…)`);
  const nSpatial = lhs.ndim - 2;
  const dn = opts.layout ? dimensionNumbers("conv", opts.layout) : undefined;
  const lhsSpatial = dn ? dn.lhs.slice(2) : Array.from({ length: nSpatial }, (_, i) => i + 2);
  const rhsSpatial = dn ? dn.rhs.slice(2) : Array.from({ length: nSpatial }, (_, i) => i + 2);
  if (opts.flip) rhs = lax.rev(rhs, rhsSpatial);
  const strides = opts.strides ?? new Array<number>(nSpatial).fill(1);
  const inSizes = lhsSpatial.map((d, i) => (lhs.shape[d]! - 1) * (opts.lhsDilation?.[i] ?? 1) + 1);
  const window = rhsSpatial.map((d) => rhs.shape[d]!);
  const padding = resolvePadding("conv", opts.padding ?? "VALID", inSizes, window, strides, opts.rhsDilation);
  return lax.convGeneralDilated(lhs, rhs, strides, padding, {
    ...(opts.lhsDilation ? { lhsDilation: opts.lhsDilation } : {}),
    ...(opts.rhsDilation ? { rhsDilation: opts.rhsDilation } : {}),
    ...(dn ? { dimensionNumbers: dn } : {}),
    featureGroupCount: opts.featureGroupCount ?? 1,
  });
}

/** Options of `reduceWindow`. */
export type WindowOptions = { strides?: readonly number[]; padding?: PaddingSpec };

/** Reduce sliding windows (one window size per axis) by max, min, sum or average (pooling). */
export function reduceWindow(x: ArrayLike, op: "max" | "min" | "sum" | "avg", window: readonly number[], opts: WindowOptions = {}): NdArray {
  const a = asArray(x);
  if (window.length !== a.ndim) throw new ShapeError(`reduceWindow: window ${JSON.stringify(window)} needs one size per axis of ${a.aval.str()}`);
  const strides = opts.strides ?? window;
  const padding = resolvePadding("reduceWindow", opts.padding ?? "VALID", a.shape, window, strides);
  if (op === "avg") {
    const s = lax.reduceWindow(a, "sum", window, strides, padding);
    return lax.div(s, lax.fullLike(s, window.reduce((p, w) => p * w, 1)));
  }
  return lax.reduceWindow(a, op, window, strides, padding);
}
