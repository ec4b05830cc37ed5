/** Shared test problems and a jitted training loop. */
import { type NdArray, type PyTree, grad, jit, np } from "@fluxion/core";
import { type GradientTransformation, applyUpdates } from "../src/index.js";

/** Rosenbrock's banana (1 − x)² + 100(y − x²)², minimum 0 at (1, 1). */
export function rosenbrock(p: NdArray): NdArray {
  const x = np.index(p, 0);
  const y = np.index(p, 1);
  return np.add(np.square(np.subtract(1, x)), np.multiply(100, np.square(np.subtract(y, np.square(x)))));
}

/** An ill-conditioned quadratic ½(θ − c)ᵀ A (θ − c) with A = diag(1, 10), minimum at c = (1, −2). */
export function quadratic(p: NdArray): NdArray {
  const d = np.subtract(p, np.array([1, -2], { dtype: "float64" }));
  return np.multiply(0.5, np.sum(np.multiply(np.array([1, 10], { dtype: "float64" }), np.square(d))));
}

/** Run `steps` jitted optimiser steps on f from x0 and return the final parameters. */
export function minimise<S extends PyTree>(opt: GradientTransformation<S>, f: (p: NdArray) => NdArray, x0: NdArray, steps: number): NdArray {
  const g = grad(f) as (p: NdArray) => NdArray;
  const step = jit((p: NdArray, s: S): [NdArray, S] => {
    const [u, s2] = opt.update(g(p), s, p);
    return [applyUpdates(p, u), s2];
  });
  let p = x0;
  let s = opt.init(p);
  for (let i = 0; i < steps; i++) [p, s] = step(p, s);
  return p;
}

/** A float64 vector. */
export const f64 = (xs: number[]) => np.array(xs, { dtype: "float64" });
