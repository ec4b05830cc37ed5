/** Operand groups of the `while` primitive: cond consts, body consts, then the carry. */
import type { PrimParams } from "../../primitives.js";
import { splitList } from "./lists.js";

/** Params of the `while` primitive. */
export type WhileParams = PrimParams["while"];

/** Split a while loop's operands into [cond consts, body consts, carry]. */
export function whileGroups<T>(xs: readonly T[], p: Pick<WhileParams, "condNumConsts" | "bodyNumConsts">): [T[], T[], T[]] {
  const [cc, bc, carry] = splitList(xs, [p.condNumConsts, p.bodyNumConsts]);
  return [cc!, bc!, carry!];
}

/** The one message for every attempt to reverse-differentiate a while loop. */
export const WHILE_REVERSE_MODE =
  "Reverse-mode differentiation (grad, vjp, jacrev) does not support whileLoop: its trip count is only known at run time, " +
  "so the residuals of every iteration cannot be laid out ahead of time. Use foriLoop with JS-number bounds (it lowers to scan) " +
  "or scan with a static length; forward mode (jvp, jacfwd) works.";
