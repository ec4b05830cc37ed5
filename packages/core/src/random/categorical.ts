/** `categorical`: indices drawn with probabilities softmax(logits) (JAX's `random.categorical`). */
import { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import { DTypeError } from "../errors.js";
import * as lax from "../lax/index.js";
import { normalizeAxis } from "../shape.js";
import { checkParamShapes, checkShapeArg, describe } from "./check.js";
import { gumbelDraw } from "./gumbel.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";

/** Options of `categorical`. */
export type CategoricalOptions = {
  /** The axis of `logits` holding one distribution's categories (default −1). */
  axis?: number;
  /** Result shape; must end with (broadcast from) logits' shape without `axis`. Defaults to that shape. */
  shape?: readonly number[];
};

/**
 * The Gumbel-max trick, as JAX: argmax over `axis` of logits + Gumbel noise, one independent draw per
 * result element (int32). Leading dimensions of `shape` beyond the batch shape are extra samples.
 */
export function categorical(impl: ThreefryImpl, key: NdArray, logits: NdArray, opts: CategoricalOptions = {}): NdArray {
  const fn = "random.categorical";
  checkKey(fn, key);
  if (!(logits instanceof NdArray)) throw new TypeError(`${fn}: logits must be an NdArray, got ${describe(logits)}`);
  if (!isFloat(logits.dtype)) throw new DTypeError(`${fn}: logits must be floats, got ${logits.aval.str()}; cast with astype("float32")`);
  if (logits.ndim === 0) throw new RangeError(`${fn}: logits must have at least one dimension (the categories), got ${logits.aval.str()}`);
  const axis = normalizeAxis(fn, opts.axis ?? -1, logits.ndim);
  const batchShape = logits.shape.filter((_, i) => i !== axis);
  const shape = opts.shape === undefined ? batchShape : checkShapeArg(fn, opts.shape);
  checkParamShapes(fn, shape, batchShape);
  const prefix = shape.slice(0, shape.length - batchShape.length);
  const noiseShape = [...prefix, ...shape.slice(prefix.length)];
  noiseShape.splice(prefix.length + axis, 0, logits.shape[axis]!);
  const noise = gumbelDraw(impl, key, noiseShape, logits.dtype as "float32" | "float64");
  const bcast = lax.broadcastInDim(
    logits,
    noiseShape,
    logits.shape.map((_, i) => prefix.length + i),
  );
  return lax.argmax(lax.add(noise, bcast), prefix.length + axis, "int32");
}
