/** The shape of a primitive's rule set (DESIGN.md §3 "Primitives and rules"). */
import type { ConcreteArray, NdArray } from "../array.js";
import type { ShapedArray } from "../aval.js";
import type { PrimName, PrimParams } from "../primitives.js";

/** Which axis of a batched value is the batch axis under `vmap` (null: not batched). */
export type BDim = number | null;

/** A linear input whose value is unknown during transposition: only its aval is known. */
export class UndefPrimal {
  constructor(readonly aval: ShapedArray) {}
}

/** Every rule a primitive has; `transpose` only for primitives linear in some inputs. */
export type RuleSet<K extends PrimName> = {
  /** Output avals from input avals; also where shape/dtype errors are raised. */
  abstractEval(avals: readonly ShapedArray[], params: PrimParams[K]): ShapedArray[];
  /** Evaluate on concrete arrays (usually through the active backend's kernel). */
  impl(args: ConcreteArray[], params: PrimParams[K], outAvals: ShapedArray[]): NdArray[];
  /** Forward-mode rule: primal outputs and tangent outputs (tangents linear in the input tangents). */
  jvp(primals: NdArray[], tangents: NdArray[], params: PrimParams[K]): [NdArray[], NdArray[]];
  /** vmap rule: outputs and their batch axes, given inputs with batch axes `dims`. */
  batch(args: NdArray[], dims: BDim[], params: PrimParams[K]): [NdArray[], BDim[]];
  /** Transpose rule for linear primitives: cotangents of the `UndefPrimal` inputs (null elsewhere). */
  transpose?(cts: NdArray[], args: (NdArray | UndefPrimal)[], params: PrimParams[K]): (NdArray | null)[];
};

/** The full rule table: a primitive without rules is a compile error. */
export type RuleTable = { [K in PrimName]: RuleSet<K> };
