/** Rules for the linear-algebra primitives (being written). */
import type { RuleSet } from "./types.js";

const todo = (): never => {
  throw new Error("linalg primitive rules not implemented yet");
};
/** cholesky */
export const choleskyRules: RuleSet<"cholesky"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** triangular_solve */
export const triangularSolveRules: RuleSet<"triangular_solve"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** lu */
export const luRules: RuleSet<"lu"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** qr */
export const qrRules: RuleSet<"qr"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** eigh */
export const eighRules: RuleSet<"eigh"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
/** svd */
export const svdRules: RuleSet<"svd"> = { abstractEval: todo, impl: todo, jvp: todo, batch: todo };
