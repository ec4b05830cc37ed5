/** Rules for reduce_window and select_and_{gather,scatter}_add (being written). */
import type { RuleSet } from "./types.js";
import { kernelImpl } from "./util.js";

const todo = (): never => {
  throw new Error("window rule not implemented yet");
};
/** reduce_window */
export const reduceWindowRules: RuleSet<"reduce_window"> = { abstractEval: todo, impl: kernelImpl("reduce_window"), jvp: todo, batch: todo };
/** select_and_gather_add */
export const selectAndGatherAddRules: RuleSet<"select_and_gather_add"> = { abstractEval: todo, impl: kernelImpl("select_and_gather_add"), jvp: todo, batch: todo };
/** select_and_scatter_add */
export const selectAndScatterAddRules: RuleSet<"select_and_scatter_add"> = { abstractEval: todo, impl: kernelImpl("select_and_scatter_add"), jvp: todo, batch: todo };
