/** Rules for conv_general_dilated (being written). */
import type { RuleSet } from "./types.js";
import { kernelImpl } from "./util.js";

const todo = (): never => {
  throw new Error("conv_general_dilated: rule not implemented yet");
};
/** Rules of conv_general_dilated. */
export const convRules: RuleSet<"conv_general_dilated"> = { abstractEval: todo, impl: kernelImpl("conv_general_dilated"), jvp: todo, batch: todo };
