/** Reference kernels for the PRNG primitives (being written). */
import type { ConcreteArray } from "../../array.js";
const todo = (): ConcreteArray => {
  throw new Error("random kernels not implemented yet");
};
/** shift_left */
export const shiftLeftKernel = todo;
/** shift_right_logical */
export const shiftRightLogicalKernel = todo;
/** bitcast_convert_type */
export const bitcastConvertTypeKernel = todo;
