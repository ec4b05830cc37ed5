/** The shared vocabulary of the package: gradient transformations and schedules (Optax's `base`). */
import type { ArrayLike, NdArray, PyTree } from "@fluxion/core";

/**
 * A pure optimiser step in Optax's shape: `init(params)` builds the state (a pytree of arrays, so it
 * can cross `jit`), `update(updates, state, params?)` maps gradients to parameter updates and a new
 * state. Neither mutates anything; the caller threads the state through the training loop.
 */
export type GradientTransformation<S extends PyTree = PyTree> = {
  /** The initial state for parameters shaped like `params`. */
  init(params: PyTree): S;
  /** Transform `updates` (gradients, or the previous transform's output) into new updates and state. */
  update<U extends PyTree>(updates: U, state: S, params?: PyTree): [U, S];
};

/** The state type of a transformation. */
export type StateOf<T> = T extends GradientTransformation<infer S extends PyTree> ? S : never;

/** The state of a stateless transformation (an empty record, as Optax's `EmptyState`). */
export type EmptyState = Record<string, never>;

/**
 * A schedule maps the step count (an int32 scalar array inside `update`, or a JS number when called
 * directly) to a value. Written with `np` ops so it traces under `jit`.
 */
export type Schedule = (count: ArrayLike) => NdArray;

/** A hyper-parameter that is fixed (checked at construction) or a schedule of the step count (traced, so its values cannot be checked). */
export type ScalarOrSchedule = number | ((count: NdArray) => ArrayLike);
