/** Matrix trace. */
import type { ArrayLike, NdArray } from "../array.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";

/** Sum of the diagonal `offset` of the last two axes (NumPy's `linalg.trace`). */
export function trace(a: ArrayLike, opts: { offset?: number } = {}): NdArray {
  return np.sum(np.diagonal(asMatrix("trace", a), opts.offset ?? 0), -1);
}
