/** Fully connected layer: y = x W + b over the last axis (any leading axes). */
import { type DType, type NdArray, ShapeError, np } from "@fluxion/core";
import { inferFeatures } from "./args.js";
import { type Initializer, lecunNormal, zeros } from "./initializers.js";
import { splitKeys } from "./rng.js";
import type { Layer } from "./types.js";

/** Parameters of `dense`: kernel [in, out] (as JAX, so y = x W) and bias [out] unless disabled. */
export type DenseParams = { w: NdArray; b?: NdArray };

/** Options of `dense`. */
export type DenseOptions = {
  /** Input features; inferred from `init`'s inputShape when omitted. */
  inFeatures?: number;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Kernel initialiser (default LeCun normal, as Flax). */
  kernelInit?: Initializer;
  /** Bias initialiser (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
};

/** A dense (linear, fully connected) layer with `outFeatures` outputs. */
export function dense(outFeatures: number, opts: DenseOptions = {}): Layer<DenseParams> {
  if (!Number.isInteger(outFeatures) || outFeatures < 1) throw new RangeError(`dense: outFeatures must be a positive integer, got ${outFeatures}`);
  const useBias = opts.useBias ?? true;
  const kernelInit = opts.kernelInit ?? lecunNormal();
  const biasInit = opts.biasInit ?? zeros();
  const dtype = opts.dtype ?? "float32";
  return {
    name: `dense(${outFeatures})`,
    stateful: false,
    init(key, inputShape) {
      const inF = inferFeatures("dense", opts.inFeatures, inputShape);
      const [kw, kb] = splitKeys(key, 2);
      const w = kernelInit(kw!, [inF, outFeatures], { dtype });
      return useBias ? { w, b: biasInit(kb!, [outFeatures], { dtype }) } : { w };
    },
    apply(params, x) {
      if (x.ndim < 1 || x.shape[x.ndim - 1] !== params.w.shape[0]) {
        throw new ShapeError(`dense: input ${x.aval.str()} must end in ${params.w.shape[0]} features (kernel ${params.w.aval.str()})`);
      }
      const y = np.matmul(x, params.w);
      return params.b ? np.add(y, params.b) : y;
    },
    outputShape(inputShape) {
      if (inputShape.length < 1) throw new ShapeError("dense: input must have at least one axis");
      return [...inputShape.slice(0, -1), outFeatures];
    },
  };
}
