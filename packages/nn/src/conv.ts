/**
 * Convolution layers (cross-correlation, as every DL library; DESIGN §5): `conv1d`, `conv2d`.
 * Inputs are channels-first (NCW / NCHW) unless `channelsLast`; kernels are always OI + spatial
 * (OIW / OIHW, as PyTorch), so the initialiser's fans are channels × receptive field.
 */
import { type DType, type NdArray, ShapeError, np } from "@fluxion/core";
import { type PaddingOption, checkRank, inferFeatures, paddingSpec, tuple, windowOutSize, withBatch } from "./args.js";
import { type Initializer, lecunNormal, zeros } from "./initializers.js";
import { splitKeys } from "./rng.js";
import type { Layer, Shape } from "./types.js";

/** Parameters of a convolution: kernel [out, in/groups, …kernelSize] and bias [out] unless disabled. */
export type ConvParams = { w: NdArray; b?: NdArray };

/** Options of `conv1d`/`conv2d`. */
export type ConvLayerOptions = {
  /** Input channels; inferred from `init`'s inputShape when omitted. */
  inChannels?: number;
  /** Stride per spatial dim (default 1). */
  strides?: number | readonly number[];
  /** "VALID" (default, no padding, as PyTorch), "SAME" (output ⌈in/stride⌉), or explicit amounts. */
  padding?: PaddingOption;
  /** Kernel dilation per spatial dim (default 1). */
  dilation?: number | readonly number[];
  /** Feature groups: in and out channels split into this many independent convolutions (default 1). */
  groups?: number;
  /** Add a per-filter bias (default true). */
  useBias?: boolean;
  /** Inputs are NHWC / NWC instead of NCHW / NCW (default false). */
  channelsLast?: boolean;
  /** Kernel initialiser (default LeCun normal, with OIHW fans). */
  kernelInit?: Initializer;
  /** Bias initialiser (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
};

const SPATIAL = ["W", "HW", "DHW"] as const;

/** Core layout strings for `nSpatial` dims, channels-first or -last, with an OI… kernel. */
export function convLayout(nSpatial: number, channelsLast: boolean): [string, string, string] {
  const sp = SPATIAL[nSpatial - 1]!;
  const io = channelsLast ? `N${sp}C` : `NC${sp}`;
  return [io, `OI${sp}`, io];
}

/** Index of the channel axis of a (batched or unbatched) input of rank `rank`. */
export function channelAxis(rank: number, nSpatial: number, channelsLast: boolean): number {
  return channelsLast ? rank - 1 : rank - nSpatial - 1;
}

/** Spatial axes of an input of rank `rank`. */
export function spatialAxes(rank: number, nSpatial: number, channelsLast: boolean): number[] {
  const first = channelsLast ? rank - nSpatial - 1 : rank - nSpatial;
  return Array.from({ length: nSpatial }, (_, i) => first + i);
}

/** Add a per-channel bias [C] to `y`. */
export function addChannelBias(y: NdArray, b: NdArray, nSpatial: number, channelsLast: boolean): NdArray {
  if (channelsLast) return np.add(y, b);
  return np.add(y, np.reshape(b, [b.shape[0]!, ...new Array<number>(nSpatial).fill(1)]));
}

function convNd(op: string, nSpatial: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions): Layer<ConvParams> {
  if (!Number.isInteger(outChannels) || outChannels < 1) throw new RangeError(`${op}: outChannels must be a positive integer, got ${outChannels}`);
  const k = tuple(op, "kernelSize", kernelSize, nSpatial);
  const strides = tuple(op, "strides", opts.strides ?? 1, nSpatial);
  const dilation = tuple(op, "dilation", opts.dilation ?? 1, nSpatial);
  const groups = tuple(op, "groups", opts.groups ?? 1, 1)[0]!;
  const padding = paddingSpec(op, opts.padding ?? "VALID", nSpatial);
  const channelsLast = opts.channelsLast ?? false;
  const useBias = opts.useBias ?? true;
  const kernelInit = opts.kernelInit ?? lecunNormal();
  const biasInit = opts.biasInit ?? zeros();
  const dtype = opts.dtype ?? "float32";
  if (outChannels % groups !== 0) throw new RangeError(`${op}: outChannels ${outChannels} must be divisible by groups ${groups}`);
  const rank = nSpatial + 2;
  const what = convLayout(nSpatial, channelsLast)[0];
  // Channels-first is core's default layout; only channels-last needs dimension numbers.
  const layout = channelsLast ? convLayout(nSpatial, true) : undefined;
  const extras = [
    strides.some((s) => s !== 1) ? `stride ${strides.join("×")}` : "",
    typeof padding === "string" && padding !== "VALID" ? padding : typeof padding !== "string" && padding.some(([a, b]) => a || b) ? `pad ${JSON.stringify(padding)}` : "",
    dilation.some((d) => d !== 1) ? `dilation ${dilation.join("×")}` : "",
    groups !== 1 ? `groups ${groups}` : "",
  ].filter(Boolean);
  return {
    name: `${op}(${outChannels}, ${k.join("×")}${extras.length ? ", " + extras.join(", ") : ""})`,
    stateful: false,
    init(key, inputShape) {
      if (inputShape) checkRank(op, inputShape, rank, what);
      const inC = inferFeatures(op, opts.inChannels, inputShape, channelsLast ? 1 : nSpatial + 1, "inChannels");
      if (inC % groups !== 0) throw new RangeError(`${op}: inChannels ${inC} must be divisible by groups ${groups}`);
      const [kw, kb] = splitKeys(key, 2);
      const w = kernelInit(kw!, [outChannels, inC / groups, ...k], { dtype, inAxis: 1, outAxis: 0 });
      return useBias ? { w, b: biasInit(kb!, [outChannels], { dtype }) } : { w };
    },
    apply(params, x) {
      return withBatch(op, x, rank, what, (xb) => {
        const c = xb.shape[channelAxis(rank, nSpatial, channelsLast)]!;
        if (c !== params.w.shape[1]! * groups) {
          throw new ShapeError(`${op}: input ${x.aval.str()} has ${c} channels but the kernel ${params.w.aval.str()} with groups ${groups} expects ${params.w.shape[1]! * groups}`);
        }
        const y = np.conv(xb, params.w, { strides, padding, rhsDilation: dilation, featureGroupCount: groups, ...(layout ? { layout } : {}) });
        return params.b ? addChannelBias(y, params.b, nSpatial, channelsLast) : y;
      });
    },
    outputShape(inputShape: Shape) {
      checkRank(op, inputShape, rank, what);
      const sp = spatialAxes(inputShape.length, nSpatial, channelsLast);
      const sizes = sp.map((a) => inputShape[a]!);
      const pads = np.resolvePadding(op, padding, sizes, k, strides, dilation);
      const out = [...inputShape];
      sp.forEach((a, i) => (out[a] = windowOutSize(sizes[i]!, (k[i]! - 1) * dilation[i]! + 1, strides[i]!, pads[i]![0], pads[i]![1])));
      out[channelAxis(inputShape.length, nSpatial, channelsLast)] = outChannels;
      return out;
    },
  };
}

/** 1-D convolution over [N, C, L] (or [N, L, C] with channelsLast; a single example may omit N). */
export function conv1d(outChannels: number, kernelSize: number | readonly [number], opts: ConvLayerOptions = {}): Layer<ConvParams> {
  return convNd("conv1d", 1, outChannels, kernelSize, opts);
}

/** 2-D convolution over [N, C, H, W] (or [N, H, W, C] with channelsLast; a single example may omit N); 1×1 kernels mix channels only. */
export function conv2d(outChannels: number, kernelSize: number | readonly [number, number], opts: ConvLayerOptions = {}): Layer<ConvParams> {
  return convNd("conv2d", 2, outChannels, kernelSize, opts);
}
