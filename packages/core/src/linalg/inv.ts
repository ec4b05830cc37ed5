/** Matrix inverse. */
import type { ArrayLike, NdArray } from "../array.js";
import * as np from "../np/index.js";
import { asMatrix } from "./input.js";
import { luSolveSquare } from "./solve.js";

/** Inverse of a square matrix (stack) by LU; a singular matrix throws a LinAlgError eagerly. */
export function inv(a: ArrayLike): NdArray {
  const x = asMatrix("inv", a, true);
  const n = x.shape[x.ndim - 1]!;
  return luSolveSquare("inv", x, np.broadcastTo(np.eye(n, n, { dtype: x.dtype }), x.shape));
}
