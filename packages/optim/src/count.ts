/** The step counter kept in optimiser state: an int32 scalar array, so it traces under `jit`. */
import { type NdArray, np } from "@fluxion/core";

const INT32_MAX = 2 ** 31 - 1;

/** A fresh counter at 0. */
export function zeroCount(): NdArray {
  return np.zeros([], { dtype: "int32" });
}

/** count + 1, saturating at the int32 maximum instead of wrapping to a negative step (Optax's safe_int32_increment). */
export function safeIncrement(count: NdArray): NdArray {
  return np.where(np.less(count, INT32_MAX), np.add(count, 1), count);
}
