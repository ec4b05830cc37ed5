/**
 * Transposed convolution ("deconvolution"), PyTorch's semantics: with the same kernel, stride, padding
 * and dilation it is the transpose (the input-gradient) of the corresponding convolution, so it maps a
 * strided conv's output size back to its input size. Kernel [in, out/groups, …k] as PyTorch.
 */
import { type DType, type NdArray, ShapeError, np } from "@fluxion/core";
import { checkRank, inferFeatures, tuple, withBatch } from "./args.js";
import { addChannelBias, channelAxis, convLayout, spatialAxes } from "./conv.js";
import { type Initializer, lecunNormal, zeros } from "./initializers.js";
import { splitKeys } from "./rng.js";
import type { Layer, Shape } from "./types.js";

/** Parameters of a transposed convolution: kernel [in, out/groups, …k] and bias [out] unless disabled. */
export type ConvTransposeParams = { w: NdArray; b?: NdArray };

/**
 * Padding of a transposed conv, i.e. what is cropped from its full output: "VALID" (none, output
 * (in − 1)·stride + k), "SAME" (output in·stride), or amounts per side as PyTorch's `padding`.
 */
export type TransposePadding = "VALID" | "SAME" | number | readonly number[] | readonly (readonly [number, number])[];

/** Options of `convTranspose1d`/`convTranspose2d`. */
export type ConvTransposeOptions = {
  /** Input channels; inferred from `init`'s inputShape when omitted. */
  inChannels?: number;
  /** Upsampling stride per spatial dim (default 1). */
  strides?: number | readonly number[];
  /** Cropping (default "VALID"). */
  padding?: TransposePadding;
  /** Extra rows/columns added at the high end (PyTorch's output_padding), each below max(stride, dilation). */
  outputPadding?: number | readonly number[];
  /** Kernel dilation (default 1). */
  dilation?: number | readonly number[];
  /** Feature groups (default 1). */
  groups?: number;
  /** Add a per-channel bias (default true). */
  useBias?: boolean;
  /** Inputs are channels-last (default false). */
  channelsLast?: boolean;
  /** Kernel initialiser (default LeCun normal; fan-in is axis 0, the input channels). */
  kernelInit?: Initializer;
  /** Bias initialiser (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
};

/** [low, high] cropping per dim for an effective kernel extent `keff` and stride `s`. */
function crops(op: string, p: TransposePadding, keff: number[], s: number[]): [number, number][] {
  const n = keff.length;
  if (p === "VALID") return keff.map(() => [0, 0]);
  if (p === "SAME") {
    // Exactly the transpose of a SAME conv on an input of size in·s: its pads are max(keff − s, 0) split low-first.
    return keff.map((k, i) => {
      const total = k - s[i]!;
      const lo = total > 0 ? Math.floor(total / 2) : 0;
      return [lo, total - lo];
    });
  }
  if (typeof p === "number") return tuple(op, "padding", p, n, 0).map((v) => [v, v]);
  if (p.length !== n) throw new RangeError(`${op}: padding needs ${n} entries, got ${JSON.stringify(p)}`);
  return p.map((e) => {
    const [lo, hi] = typeof e === "number" ? [e, e] : e;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) throw new RangeError(`${op}: padding must be non-negative integers, got ${JSON.stringify(p)}`);
    return [lo, hi];
  });
}

function convTransposeNd(op: string, nSpatial: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvTransposeOptions): Layer<ConvTransposeParams> {
  if (!Number.isInteger(outChannels) || outChannels < 1) throw new RangeError(`${op}: outChannels must be a positive integer, got ${outChannels}`);
  const k = tuple(op, "kernelSize", kernelSize, nSpatial);
  const strides = tuple(op, "strides", opts.strides ?? 1, nSpatial);
  const dilation = tuple(op, "dilation", opts.dilation ?? 1, nSpatial);
  const outPad = tuple(op, "outputPadding", opts.outputPadding ?? 0, nSpatial, 0);
  const groups = tuple(op, "groups", opts.groups ?? 1, 1)[0]!;
  const channelsLast = opts.channelsLast ?? false;
  const useBias = opts.useBias ?? true;
  const kernelInit = opts.kernelInit ?? lecunNormal();
  const biasInit = opts.biasInit ?? zeros();
  const dtype = opts.dtype ?? "float32";
  const keff = k.map((kk, i) => (kk - 1) * dilation[i]! + 1);
  const crop = crops(op, opts.padding ?? "VALID", keff, strides);
  outPad.forEach((o, i) => {
    if (o >= Math.max(strides[i]!, dilation[i]!)) throw new RangeError(`${op}: outputPadding ${o} must be smaller than stride or dilation (${strides[i]}, ${dilation[i]})`);
  });
  if (outChannels % groups !== 0) throw new RangeError(`${op}: outChannels ${outChannels} must be divisible by groups ${groups}`);
  const rank = nSpatial + 2;
  const layout = convLayout(nSpatial, channelsLast);
  // The equivalent forward conv: input dilated by the stride, padded by keff − 1 − crop (negative crops pad more).
  const pads = crop.map(([lo, hi], i) => [keff[i]! - 1 - lo, keff[i]! - 1 - hi + outPad[i]!] as const);
  return {
    name: `${op}(${outChannels}, ${k.join("×")}${strides.some((s) => s !== 1) ? `, stride ${strides.join("×")}` : ""})`,
    stateful: false,
    init(key, inputShape) {
      if (inputShape) checkRank(op, inputShape, rank, layout[0]);
      const inC = inferFeatures(op, opts.inChannels, inputShape, channelsLast ? 1 : nSpatial + 1, "inChannels");
      if (inC % groups !== 0) throw new RangeError(`${op}: inChannels ${inC} must be divisible by groups ${groups}`);
      const [kw, kb] = splitKeys(key, 2);
      const w = kernelInit(kw!, [inC, outChannels / groups, ...k], { dtype, inAxis: 0, outAxis: 1 });
      return useBias ? { w, b: biasInit(kb!, [outChannels], { dtype }) } : { w };
    },
    apply(params, x) {
      const [inC, outPerGroup, ...ks] = params.w.shape as number[];
      return withBatch(op, x, rank, layout[0], (xb) => {
        const c = xb.shape[channelAxis(rank, nSpatial, channelsLast)]!;
        if (c !== inC) throw new ShapeError(`${op}: input ${x.aval.str()} has ${c} channels but the kernel ${params.w.aval.str()} expects ${inC}`);
        // [in, out/G, k…] → per group swap in/out → [out, in/G, k…], spatially flipped: the forward-conv kernel.
        const g = np.reshape(params.w, [groups, inC! / groups, outPerGroup!, ...ks]);
        const swapped = np.transpose(g, [0, 2, 1, ...ks.map((_, i) => i + 3)]);
        const w = np.flip(np.reshape(swapped, [groups * outPerGroup!, inC! / groups, ...ks]), ks.map((_, i) => i + 2));
        const y = np.conv(xb, w, { padding: pads, lhsDilation: strides, rhsDilation: dilation, featureGroupCount: groups, layout });
        return params.b ? addChannelBias(y, params.b, nSpatial, channelsLast) : y;
      });
    },
    outputShape(inputShape: Shape) {
      checkRank(op, inputShape, rank, layout[0]);
      const out = [...inputShape];
      spatialAxes(inputShape.length, nSpatial, channelsLast).forEach((a, i) => {
        out[a] = Math.max(0, (inputShape[a]! - 1) * strides[i]! + keff[i]! - crop[i]![0] - crop[i]![1] + outPad[i]!);
      });
      out[channelAxis(inputShape.length, nSpatial, channelsLast)] = outChannels;
      return out;
    },
  };
}

/** 1-D transposed convolution over [N, C, L] (PyTorch's ConvTranspose1d). */
export function convTranspose1d(outChannels: number, kernelSize: number | readonly [number], opts: ConvTransposeOptions = {}): Layer<ConvTransposeParams> {
  return convTransposeNd("convTranspose1d", 1, outChannels, kernelSize, opts);
}

/** 2-D transposed convolution over [N, C, H, W] (PyTorch's ConvTranspose2d): learned upsampling. */
export function convTranspose2d(outChannels: number, kernelSize: number | readonly [number, number], opts: ConvTransposeOptions = {}): Layer<ConvTransposeParams> {
  return convTransposeNd("convTranspose2d", 2, outChannels, kernelSize, opts);
}
