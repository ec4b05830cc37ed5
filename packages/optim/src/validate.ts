/** Hyper-parameter checks shared by every constructor: bad values fail at construction, named. */

/** Throw a RangeError `fn: what must be …, got value`. */
function fail(fn: string, what: string, requirement: string, value: unknown): never {
  throw new RangeError(`${fn}: ${what} must be ${requirement}, got ${typeof value === "number" ? String(value) : JSON.stringify(value)}`);
}

/** A finite number ≥ 0 (learning rates, weight decay, clipping norms). NaN and ±Infinity fail. */
export function nonNegative(fn: string, what: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail(fn, what, "a finite number ≥ 0", value);
  return value;
}

/** A finite number > 0 (eps, decay steps measured in reals, maximum norms). */
export function positive(fn: string, what: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) fail(fn, what, "a finite number > 0", value);
  return value;
}

/** Any finite number (schedule end points, which may be negative for exotic schedules). */
export function finite(fn: string, what: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(fn, what, "a finite number", value);
  return value;
}

/** An exponential-moving-average decay β in [0, 1): β = 1 would never forget and breaks bias correction. */
export function decayRate(fn: string, what: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) fail(fn, what, "in [0, 1)", value);
  return value;
}

/** A fraction in [0, 1] (momentum dampening, cosine floor α). */
export function unitInterval(fn: string, what: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) fail(fn, what, "in [0, 1]", value);
  return value;
}

/** An integer ≥ `min` (step counts, patience, batch sizes). */
export function integer(fn: string, what: string, value: number, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) fail(fn, what, `an integer ≥ ${min}`, value);
  return value;
}

/**
 * The two ε of the adaptive methods: `eps` is added outside the square root, `epsRoot` inside. Each
 * must be ≥ 0 and at least one > 0, so the denominator can never be 0 (eps = 0 alone is an error).
 */
export function epsPair(fn: string, eps: number, epsRoot: number): void {
  if (typeof epsRoot !== "number" || !Number.isFinite(epsRoot) || epsRoot < 0) fail(fn, "epsRoot", "a finite number ≥ 0", epsRoot);
  if (epsRoot > 0) nonNegative(fn, "eps", eps);
  else positive(fn, "eps", eps);
}
