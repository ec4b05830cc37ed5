/** Rules for the PRNG primitives (being written). */
import type { RuleSet } from "./types.js";
import { kernelImpl } from "./util.js";

const todo = (): never => {
  throw new Error("random primitive rules not implemented yet");
};
/** shift_left */
export const shiftLeftRules: RuleSet<"shift_left"> = { abstractEval: todo, impl: kernelImpl("shift_left"), jvp: todo, batch: todo };
/** shift_right_logical */
export const shiftRightLogicalRules: RuleSet<"shift_right_logical"> = { abstractEval: todo, impl: kernelImpl("shift_right_logical"), jvp: todo, batch: todo };
/** bitcast_convert_type */
export const bitcastConvertTypeRules: RuleSet<"bitcast_convert_type"> = { abstractEval: todo, impl: kernelImpl("bitcast_convert_type"), jvp: todo, batch: todo };
/** threefry2x32 */
export const threefry2x32Rules: RuleSet<"threefry2x32"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
