/** `checkJit`: jit(f) must agree with eager f. */
import type { NdArray } from "../array.js";
import { jit } from "../transforms/jit.js";
import { type PyTree, flatten } from "../tree.js";
import { type Tolerance, assertAllclose } from "./allclose.js";

/** Compare `jit(f)(...args)` with `f(...args)` leaf by leaf (twice, so the cached path runs too). */
export function checkJit(f: (...args: NdArray[]) => unknown, args: NdArray[], tol: Tolerance = {}): void {
  const want = flatten(f(...args) as PyTree)[0] as NdArray[];
  const jf = jit(f);
  for (let round = 0; round < 2; round++) {
    const got = flatten(jf(...args) as PyTree)[0] as NdArray[];
    if (got.length !== want.length) throw new Error(`checkJit: jit returned ${got.length} outputs, eager ${want.length}`);
    got.forEach((g, i) => {
      if (g.dtype !== want[i]!.dtype) throw new Error(`checkJit: output ${i} dtype ${g.dtype} vs eager ${want[i]!.dtype}`);
      assertAllclose(g, want[i]!, { rtol: tol.rtol ?? 1e-6, atol: tol.atol ?? 1e-6 }, `checkJit output ${i}`);
    });
  }
}
