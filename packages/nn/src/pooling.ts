/**
 * Max and average pooling over the trailing spatial dims (1-D or 2-D by the window's length; a single
 * number means a square 2-D window). Windows may overlap (stride < window, e.g. 3×3 stride 2).
 */
import { type NdArray, ShapeError, np } from "@fluxion/core";
import { type PaddingOption, paddingSpec, tuple, windowOutSize } from "./args.js";
import { spatialAxes } from "./conv.js";
import type { Layer, NoParams, Shape } from "./types.js";

/** Options of `maxPool`/`avgPool`. */
export type PoolOptions = {
  /** Stride per spatial dim (default: the window, i.e. non-overlapping). */
  strides?: number | readonly number[];
  /** "VALID" (default), "SAME" or explicit amounts; max pooling pads with −∞, average pooling with 0. */
  padding?: PaddingOption;
  /** Inputs are channels-last (default false: […, C, H, W]). */
  channelsLast?: boolean;
};

/** Options of `avgPool`. */
export type AvgPoolOptions = PoolOptions & {
  /** Divide by the full window size even where it overlaps padding (default true, as PyTorch and Flax). */
  countIncludePad?: boolean;
};

type Pool = {
  window: number[];
  strides: number[];
  padding: np.PaddingSpec;
  channelsLast: boolean;
};

function config(op: string, window: number | readonly number[], opts: PoolOptions): Pool {
  const n = typeof window === "number" ? 2 : window.length;
  if (n < 1 || n > 3) throw new RangeError(`${op}: window must have 1 to 3 dims, got ${JSON.stringify(window)}`);
  const w = tuple(op, "window", window, n);
  return { window: w, strides: tuple(op, "strides", opts.strides ?? w, n), padding: paddingSpec(op, opts.padding ?? "VALID", n), channelsLast: opts.channelsLast ?? false };
}

/** Window, strides and padding over every axis of an input of `shape` (size 1, stride 1, no padding off the spatial axes). */
function fullWindow(op: string, p: Pool, shape: Shape): { window: number[]; strides: number[]; padding: np.PaddingSpec } {
  const n = p.window.length;
  if (shape.length < n + 1) throw new ShapeError(`${op}: input of shape [${shape.join(",")}] needs a channel axis and ${n} spatial axes`);
  const axes = spatialAxes(shape.length, n, p.channelsLast);
  const window = shape.map(() => 1);
  const strides = shape.map(() => 1);
  axes.forEach((a, i) => {
    window[a] = p.window[i]!;
    strides[a] = p.strides[i]!;
  });
  const pads = p.padding;
  if (typeof pads === "string") return { window, strides, padding: pads };
  const padding = shape.map((): [number, number] => [0, 0]);
  axes.forEach((a, i) => (padding[a] = [pads[i]![0], pads[i]![1]]));
  return { window, strides, padding };
}

function outputShape(op: string, p: Pool, shape: Shape): number[] {
  const f = fullWindow(op, p, shape);
  const pads = np.resolvePadding(op, f.padding, shape, f.window, f.strides);
  return shape.map((d, i) => windowOutSize(d, f.window[i]!, f.strides[i]!, pads[i]![0], pads[i]![1]));
}

/** Max pooling with window `window` (e.g. 2 for 2×2, [3] for 1-D size 3); gradients route to each window's argmax. */
export function maxPool(window: number | readonly number[], opts: PoolOptions = {}): Layer<NoParams> {
  const p = config("maxPool", window, opts);
  return {
    name: `maxPool(${p.window.join("×")}${p.strides.join() !== p.window.join() ? `, stride ${p.strides.join("×")}` : ""})`,
    stateful: false,
    init: () => ({}),
    apply(_params, x: NdArray) {
      const f = fullWindow("maxPool", p, x.shape);
      return np.reduceWindow(x, "max", f.window, { strides: f.strides, padding: f.padding });
    },
    outputShape: (s) => outputShape("maxPool", p, s),
  };
}

/** Average pooling with window `window`. */
export function avgPool(window: number | readonly number[], opts: AvgPoolOptions = {}): Layer<NoParams> {
  const p = config("avgPool", window, opts);
  const countIncludePad = opts.countIncludePad ?? true;
  return {
    name: `avgPool(${p.window.join("×")}${p.strides.join() !== p.window.join() ? `, stride ${p.strides.join("×")}` : ""})`,
    stateful: false,
    init: () => ({}),
    apply(_params, x: NdArray) {
      const f = fullWindow("avgPool", p, x.shape);
      const o = { strides: f.strides, padding: f.padding };
      if (countIncludePad) return np.reduceWindow(x, "avg", f.window, o);
      // Divide each window sum by how many real (unpadded) elements it covers.
      const counts = np.reduceWindow(np.onesLike(x), "sum", f.window, o);
      return np.divide(np.reduceWindow(x, "sum", f.window, o), counts);
    },
    outputShape: (s) => outputShape("avgPool", p, s),
  };
}
