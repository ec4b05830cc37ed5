/**
 * Known-zero tangents: the zeros that forward mode creates for values it does not differentiate are
 * tagged, so rules can skip work on them (a light form of JAX's symbolic zeros: the value still
 * exists, but multiplying by it, convolving with it or adding it can be skipped).
 */
import type { NdArray } from "../array.js";
import * as lax from "../lax/index.js";

const knownZeros = new WeakSet<NdArray>();

/** A zero tangent shaped like `x`, tagged as known zero. */
export function zeroTangent(x: NdArray): NdArray {
  const z = lax.zerosLike(x);
  knownZeros.add(z);
  return z;
}

/** Whether `t` is a tangent known to be zero. */
export function isKnownZero(t: NdArray): boolean {
  return knownZeros.has(t);
}

/**
 * The tangent of a bilinear map f(a, b) = f(ta, b) + f(a, tb), skipping a term whose tangent is a
 * known zero (the other term is then the whole tangent).
 */
export function bilinearTangent(ta: NdArray, tb: NdArray, left: () => NdArray, right: () => NdArray, like: NdArray): NdArray {
  const za = isKnownZero(ta);
  const zb = isKnownZero(tb);
  if (za && zb) return zeroTangent(like);
  if (za) return right();
  if (zb) return left();
  return lax.add(left(), right());
}
