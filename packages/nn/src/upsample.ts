/**
 * Upsampling of the trailing spatial dims by a scale factor: nearest neighbour (repeat) or
 * (bi)linear interpolation, separably per axis as PyTorch's `interpolate`. A number is a 2-D factor.
 */
import { type NdArray, ShapeError, isFloat, np } from "@fluxion/core";
import { spatialAxes } from "./conv.js";
import type { Layer, NoParams, Shape } from "./types.js";

/** Options of `upsample`. */
export type UpsampleOptions = {
  /** "nearest" (default) or "bilinear" (linear per spatial axis: linear in 1-D, bilinear in 2-D). */
  mode?: "nearest" | "bilinear";
  /** Bilinear only: map corner pixel centres onto each other (PyTorch's align_corners; default false, half-pixel centres). */
  alignCorners?: boolean;
  /** Inputs are channels-last (default false). */
  channelsLast?: boolean;
};

/** For output positions 0..out−1, the two source indices and the weight of the second, per axis. */
function linearTaps(inSize: number, outSize: number, alignCorners: boolean): { i0: number[]; i1: number[]; t: number[] } {
  const i0: number[] = [];
  const i1: number[] = [];
  const t: number[] = [];
  for (let o = 0; o < outSize; o++) {
    let src = alignCorners ? (outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0) : ((o + 0.5) * inSize) / outSize - 0.5;
    src = Math.min(Math.max(src, 0), inSize - 1);
    const lo = Math.floor(src);
    i0.push(lo);
    i1.push(Math.min(lo + 1, inSize - 1));
    t.push(src - lo);
  }
  return { i0, i1, t };
}

/** Upsample by `scale` per spatial dim (integers ≥ 1; e.g. 2 doubles H and W). */
export function upsample(scale: number | readonly number[], opts: UpsampleOptions = {}): Layer<NoParams> {
  const s = typeof scale === "number" ? [scale, scale] : [...scale];
  if (s.length < 1 || s.length > 3 || s.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new RangeError(`upsample: scale must be 1 to 3 integers ≥ 1, got ${JSON.stringify(scale)}`);
  }
  const mode = opts.mode ?? "nearest";
  const alignCorners = opts.alignCorners ?? false;
  const channelsLast = opts.channelsLast ?? false;
  const axesOf = (shape: Shape) => {
    if (shape.length < s.length + 1) throw new ShapeError(`upsample: input of shape [${shape.join(",")}] needs a channel axis and ${s.length} spatial axes`);
    return spatialAxes(shape.length, s.length, channelsLast);
  };
  return {
    name: `upsample(${s.join("×")}, ${mode})`,
    stateful: false,
    init: () => ({}),
    apply(_params, x: NdArray) {
      // Interpolation weights are fractional: integer images are interpolated as float32.
      let y = mode === "bilinear" && !isFloat(x.dtype) ? np.astype(x, "float32") : x;
      axesOf(x.shape).forEach((axis, i) => {
        const n = x.shape[axis]!;
        if (mode === "nearest") {
          y = np.repeat(y, s[i]!, axis);
          return;
        }
        const { i0, i1, t } = linearTaps(n, n * s[i]!, alignCorners);
        // Weights shaped to broadcast along `axis` only.
        const wShape = y.shape.map((d, a) => (a === axis ? t.length : 1));
        const w1 = np.reshape(np.array(t, { dtype: y.dtype }), wShape);
        const a = np.take(y, i0, axis);
        const b = np.take(y, i1, axis);
        y = np.add(a, np.multiply(np.subtract(b, a), w1));
      });
      return y;
    },
    outputShape(shape) {
      const out = [...shape];
      axesOf(shape).forEach((a, i) => (out[a] = shape[a]! * s[i]!));
      return out;
    },
  };
}
