/**
 * `checkGrads`: JAX's check_grads. Compares jvp with central finite differences and vjp with jvp
 * through inner products, in float64, recursively to the requested order.
 */
import type { NdArray } from "../array.js";
import { isFloat } from "../dtype.js";
import * as lax from "../lax/index.js";
import { jvp, vjp } from "../transforms/autodiff.js";
import { array } from "../np/convert.js";
import { type PyTree, flatten, unflatten } from "../tree.js";
import { assertAllclose } from "./allclose.js";
import { seededUniform } from "./rng.js";

/** Options of `checkGrads`. */
export type CheckGradsOptions = {
  /** Highest derivative order to check (default 2). */
  order?: number;
  /** Which modes to check (default both). */
  modes?: readonly ("fwd" | "rev")[];
  /** Finite-difference step (default 1e-4, as JAX). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Seed for the random tangent/cotangent directions. */
  seed?: number;
};

type ArrayFn = (...args: NdArray[]) => unknown;

const outLeaves = (y: unknown): NdArray[] => flatten(y as PyTree)[0] as NdArray[];

function randomLike(x: NdArray, next: () => number): NdArray {
  if (!isFloat(x.dtype)) return lax.zerosLike(x);
  const vals = Float64Array.from({ length: x.size }, () => next() * 2 - 1);
  return lax.reshape(array(vals, { dtype: x.dtype }), x.shape);
}

function axpy(a: number, x: NdArray, y: NdArray): NdArray {
  if (!isFloat(y.dtype)) return y;
  return lax.add(y, lax.mul(lax.fullLike(x, a), x));
}

function innerProduct(xs: NdArray[], ys: NdArray[]): number {
  let s = 0;
  xs.forEach((x, i) => {
    if (!isFloat(x.dtype)) return;
    const a = x.toTypedArray();
    const b = ys[i]!.toTypedArray();
    for (let k = 0; k < a.length; k++) s += Number(a[k]) * Number(b[k]);
  });
  return s;
}

/** Central-difference directional derivative of `f` at `args` along `tangents`. */
export function numericalJvp(f: ArrayFn, args: NdArray[], tangents: NdArray[], eps: number): NdArray[] {
  const plus = outLeaves(f(...args.map((x, i) => axpy(eps, tangents[i]!, x))));
  const minus = outLeaves(f(...args.map((x, i) => axpy(-eps, tangents[i]!, x))));
  return plus.map((p, i) => (isFloat(p.dtype) ? lax.div(lax.sub(p, minus[i]!), lax.fullLike(p, 2 * eps)) : lax.zerosLike(p)));
}

function checkJvp(f: ArrayFn, args: NdArray[], o: Required<Omit<CheckGradsOptions, "seed">>, next: () => number, depth: number): void {
  const tangents = args.map((a) => randomLike(a, next));
  const [yOut, tOut] = jvp((...xs: NdArray[]) => f(...xs), args, tangents) as [unknown, unknown];
  const y = outLeaves(f(...args));
  outLeaves(yOut).forEach((v, i) => assertAllclose(v, y[i]!, o, `checkGrads (order ${depth}) jvp primal output ${i}`));
  const expected = numericalJvp(f, args, tangents, o.eps);
  outLeaves(tOut).forEach((t, i) => assertAllclose(t, expected[i]!, o, `checkGrads (order ${depth}) jvp tangent ${i} vs finite differences`));
}

function checkVjp(f: ArrayFn, args: NdArray[], o: Required<Omit<CheckGradsOptions, "seed">>, next: () => number, depth: number): void {
  const [yOut, pullback] = vjp((...xs: NdArray[]) => f(...xs), ...args) as [unknown, (ct: unknown) => NdArray[]];
  const ys = outLeaves(yOut);
  const cts = ys.map((y) => randomLike(y, next));
  const ctTree = unflattenLike(yOut, cts);
  const ctIn = pullback(ctTree);
  const tangents = args.map((a) => randomLike(a, next));
  const ip = innerProduct(tangents, ctIn);
  const tNum = numericalJvp(f, args, tangents, o.eps);
  const ipExpected = innerProduct(tNum, cts);
  const tol = o.atol + o.rtol * Math.abs(ipExpected);
  if (!(Math.abs(ip - ipExpected) <= tol * 10)) {
    throw new Error(`checkGrads (order ${depth}) vjp: <vjp(ct), t> = ${ip} but <ct, J t> = ${ipExpected} by finite differences`);
  }
}

function unflattenLike(like: unknown, leaves: NdArray[]): unknown {
  return unflatten(flatten(like as PyTree)[1], leaves);
}

function run(f: ArrayFn, args: NdArray[], order: number, o: Required<Omit<CheckGradsOptions, "seed">>, next: () => number, depth: number): void {
  if (o.modes.includes("fwd")) {
    checkJvp(f, args, o, next, depth);
    if (order > 1) {
      const n = args.length;
      const tangents = args.map((a) => randomLike(a, next));
      // Differentiate the jvp itself with respect to both primals and tangents.
      const fJvp = (...xs: NdArray[]) => (jvp((...ys: NdArray[]) => f(...ys), xs.slice(0, n), xs.slice(n)) as [unknown, unknown])[1];
      run(fJvp, [...args, ...tangents], order - 1, o, next, depth + 1);
    }
  }
  if (o.modes.includes("rev")) {
    checkVjp(f, args, o, next, depth);
    if (order > 1) {
      const ys = outLeaves(f(...args));
      const cts = ys.map((y) => randomLike(y, next));
      // Differentiate the pullback (for a fixed cotangent) with respect to the primals: grad of grad.
      const fVjp = (...xs: NdArray[]) => {
        const [yOut, pullback] = vjp((...zs: NdArray[]) => f(...zs), ...xs) as [unknown, (ct: unknown) => NdArray[]];
        return pullback(unflattenLike(yOut, cts));
      };
      run(fVjp, args, order - 1, { ...o, modes: ["rev"] }, next, depth + 1);
    }
  }
}

/**
 * Check the derivatives of `f` at `args` against finite differences (float inputs are promoted to
 * float64), forward and reverse, up to `order`. Throws an Error describing the first discrepancy.
 */
export function checkGrads(f: ArrayFn, args: NdArray[], opts: CheckGradsOptions = {}): void {
  const o = { order: opts.order ?? 2, modes: opts.modes ?? ["fwd", "rev"], eps: opts.eps ?? 1e-4, rtol: opts.rtol ?? 1e-5, atol: opts.atol ?? 1e-5 };
  const x64 = args.map((a) => (isFloat(a.dtype) ? lax.convertElementType(a, "float64") : a));
  run(f, x64, o.order, o, seededUniform(opts.seed ?? 0), 1);
}
