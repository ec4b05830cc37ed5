/** `gumbel`: standard Gumbel draws, −log(−log u) (JAX's `random.gumbel`). */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";
import { checkShapeArg, floatDtype } from "./check.js";
import type { ThreefryImpl } from "./impl.js";
import { checkKey } from "./key.js";
import type { FloatOptions } from "./normal.js";
import { scaleUnit, unitFloats } from "./uniform.js";

/** Smallest positive normal float of each dtype (NumPy's finfo.tiny), so log never sees 0. */
const TINY = { float32: 2 ** -126, float64: 2 ** -1022 } as const;

/** −log(−log u) for u uniform in [tiny, 1). */
export function gumbelDraw(impl: ThreefryImpl, key: NdArray, shape: readonly number[], dtype: "float32" | "float64"): NdArray {
  const u = scaleUnit(unitFloats(impl, key, shape, dtype), lax.full(shape, TINY[dtype], dtype), lax.full(shape, 1, dtype));
  return lax.neg(lax.log(lax.neg(lax.log(u))));
}

/** Standard Gumbel floats of `shape` (JAX's `random.gumbel`, mode "low"). */
export function gumbel(impl: ThreefryImpl, key: NdArray, shape: readonly number[] = [], opts: FloatOptions = {}): NdArray {
  checkKey("random.gumbel", key);
  return gumbelDraw(impl, key, checkShapeArg("random.gumbel", shape), floatDtype("random.gumbel", opts.dtype));
}
