/** Rules for the control-flow primitives scan, while and cond (being written). */
import type { RuleSet } from "../types.js";

const todo = (): never => {
  throw new Error("control-flow rules not implemented yet");
};
/** scan */
export const scanRules: RuleSet<"scan"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** while */
export const whileRules: RuleSet<"while"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** cond */
export const condRules: RuleSet<"cond"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
