/** `debugNans`: run code so that the first primitive producing a NaN from NaN-free inputs raises. */
import { type ConcreteArray, type NdArray, bufferOf } from "./array.js";
import { isFloat } from "./dtype.js";
import { FloatingPointError } from "./errors.js";

let depth = 0;

/** Whether NaN checking is on (inside `debugNans`). */
export function nanChecksEnabled(): boolean {
  return depth > 0;
}

/** Run `fn` with NaN checking: eager primitives (and jitted programs, equation by equation) are checked. */
export function debugNans<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

function hasNan(x: NdArray): boolean {
  if (!isFloat(x.dtype)) return false;
  const data = bufferOf(x as ConcreteArray);
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return true;
  return false;
}

/** Throw if an output of `prim` has a NaN while none of its inputs does. */
export function checkNans(prim: string, ins: readonly NdArray[], outs: readonly NdArray[]): void {
  if (ins.some(hasNan)) return;
  outs.forEach((o, i) => {
    if (hasNan(o)) {
      throw new FloatingPointError(`${prim}: produced a NaN in output ${i} (${o.aval.str()}) from NaN-free inputs ${ins.map((a) => a.aval.str()).join(", ")} (debugNans)`);
    }
  });
}
