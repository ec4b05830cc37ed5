/**
 * Activation functions, elementwise unless they take an axis. Each is an ordinary composition of core
 * ops, so every transformation applies; where a branch could overflow, the unused branch is fed a safe
 * value so neither it nor its derivative produces inf/NaN.
 */
import { type ArrayLike, type NdArray, np, stopGradient } from "@fluxion/core";

/** Options of `relu`. */
export type ReluOptions = {
  /** ReLU′(0): 0 (default; JAX, seeds 000/001, DESIGN §5) or 1 (seed 004's g′(x) = 1 for x ≥ 0). */
  derivativeAtZero?: 0 | 1;
};

/** max(x, 0); the derivative at 0 is 0 unless `derivativeAtZero: 1`. */
export function relu(x: ArrayLike, opts: ReluOptions = {}): NdArray {
  const a = np.asArray(x);
  // `where` rather than `maximum`, so the tie at 0 sends the whole gradient to one branch, chosen by the comparison.
  const pos = opts.derivativeAtZero === 1 ? np.greaterEqual(a, 0) : np.greater(a, 0);
  return np.where(pos, a, np.zerosLike(a));
}

/** x for x > 0, αx otherwise (α = 0.01 as seeds 002/004); the derivative at 0 is α, consistent with ReLU′(0) = 0. */
export function leakyRelu(x: ArrayLike, alpha = 0.01): NdArray {
  const a = np.asArray(x);
  return np.where(np.greater(a, 0), a, np.multiply(a, alpha));
}

/** Parametric ReLU: x for x > 0, αx otherwise with a learnable α (broadcast against x). */
export function prelu(x: ArrayLike, alpha: ArrayLike): NdArray {
  const a = np.asArray(x);
  return np.where(np.greater(a, 0), a, np.multiply(a, alpha));
}

/** x for x > 0, α(eˣ − 1) otherwise (α = 1 as seed 004). */
export function elu(x: ArrayLike, alpha = 1): NdArray {
  const a = np.asArray(x);
  const pos = np.greater(a, 0);
  // expm1 of a large positive x would be inf in the discarded branch; feed it 0 there.
  const safe = np.where(pos, np.zerosLike(a), a);
  return np.where(pos, a, np.multiply(np.expm1(safe), alpha));
}

/** SELU's fixed constants (Klambauer et al. 2017), which make unit-variance activations self-normalising. */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale λ. */
export const SELU_SCALE = 1.0507009873554805;

/** λ·ELU_α(x) with the self-normalising constants. */
export function selu(x: ArrayLike): NdArray {
  return np.multiply(elu(x, SELU_ALPHA), SELU_SCALE);
}

/** ln(1 + eˣ), stable for large |x|. */
export function softplus(x: ArrayLike): NdArray {
  return np.softplus(x);
}

/** 1 / (1 + e⁻ˣ). */
export function sigmoid(x: ArrayLike): NdArray {
  return np.sigmoid(x);
}

/** tanh x. */
export function tanh(x: ArrayLike): NdArray {
  return np.tanh(x);
}

/** The identity (a linear output layer). */
export function identity(x: ArrayLike): NdArray {
  return np.asArray(x);
}

/**
 * The max along `axis` (kept) as a constant shift: softmax is invariant to it, so its gradient is
 * stopped (as in JAX); a non-finite max (an all −∞ row) shifts by 0 instead, to avoid ∞ − ∞.
 */
function shiftOf(a: NdArray, axis: number): NdArray {
  const m = stopGradient(np.max(a, axis, { keepdims: true }));
  return np.where(np.isfinite(m), m, np.zerosLike(m));
}

/** Softmax along `axis`, computed as exp(x − max) / Σ so large logits do not overflow. */
export function softmax(x: ArrayLike, axis = -1): NdArray {
  const a = np.asArray(x);
  const e = np.exp(np.subtract(a, shiftOf(a, axis)));
  return np.divide(e, np.sum(e, axis, { keepdims: true }));
}

/** log softmax along `axis`: (x − max) − log Σ e^(x − max), exact for logits of any size. */
export function logSoftmax(x: ArrayLike, axis = -1): NdArray {
  const a = np.asArray(x);
  const shifted = np.subtract(a, shiftOf(a, axis));
  return np.subtract(shifted, np.log(np.sum(np.exp(shifted), axis, { keepdims: true })));
}

/** Options of `gelu`. */
export type GeluOptions = {
  /** Use the tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) instead of the exact erf form (default false). */
  approximate?: boolean;
};

/** GELU: x·Φ(x) = 0.5x(1 + erf(x/√2)) by default (PyTorch's default; JAX defaults to the tanh form). */
export function gelu(x: ArrayLike, opts: GeluOptions = {}): NdArray {
  const a = np.asArray(x);
  if (opts.approximate) {
    // x·x² rather than power(x, 3): pow's derivative in the exponent is log(x), NaN for x < 0 even when unused.
    const inner = np.multiply(np.add(a, np.multiply(np.multiply(a, np.square(a)), 0.044715)), Math.sqrt(2 / Math.PI));
    return np.multiply(np.multiply(a, 0.5), np.add(np.tanh(inner), 1));
  }
  return np.multiply(np.multiply(a, 0.5), np.add(np.erf(np.multiply(a, Math.SQRT1_2)), 1));
}
