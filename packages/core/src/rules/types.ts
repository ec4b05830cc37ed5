/** The shape of a primitive's rule set (DESIGN.md §3 "Primitives and rules"). */
import type { ConcreteArray, NdArray } from "../array.js";
import type { ShapedArray } from "../aval.js";
import type { PrimName, PrimParams } from "../primitives.js";
import type { JaxprEqn, Var } from "../interpreters/jaxpr-types.js";

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
  /** Partial evaluation of a call-like primitive: run its known part now, stage the rest. */
  partialEval?(ctx: PeContext, tracers: NdArray[], params: PrimParams[K]): NdArray[];
  /** Split an equation of a jaxpr into a known and an unknown equation (partial evaluation of jaxprs). */
  partialEvalJaxpr?(unknownsIn: boolean[], eqn: JaxprEqn<K>): PeJaxprSplit;
};

/** What the partial-evaluation interpreter offers a primitive's own partial-eval rule. */
export type PeContext = {
  /** The value of a known tracer, or null if it is unknown. */
  known(t: NdArray): NdArray | null;
  /** Stage an equation on (instantiated) inputs; returns unknown tracers for its outputs. */
  stage<K extends PrimName>(prim: K, inputs: NdArray[], params: PrimParams[K], outAvals: ShapedArray[]): NdArray[];
};

/** An equation split by partial evaluation: the known part feeds residuals to the unknown part. */
export type PeJaxprSplit = { known: JaxprEqn; unknown: JaxprEqn; unknownsOut: boolean[]; residuals: Var[] };

/** The full rule table: a primitive without rules is a compile error. */
export type RuleTable = { [K in PrimName]: RuleSet<K> };
