/** Error classes thrown at Fluxion's public boundary (DESIGN.md §6). */

/** An array has the wrong shape for the operation; the message names the op, the shapes and the fix. */
export class ShapeError extends Error {
  override name = "ShapeError";
}

/** An array has the wrong dtype for the operation. */
export class DTypeError extends Error {
  override name = "DTypeError";
}

/** A traced (abstract) value was used where a concrete one is needed, e.g. `item()` under `grad` or `jit`. */
export class ConcretizationError extends Error {
  override name = "ConcretizationError";
}

/** A tracer escaped the transformation that created it (stored in a closure or global and used later). */
export class EscapedTracerError extends Error {
  override name = "EscapedTracerError";
}

/** A primitive produced a NaN under `debugNans`. */
export class FloatingPointError extends Error {
  override name = "FloatingPointError";
}

/** A checkpoint file or object could not be decoded. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}
