/** Control flow nested in control flow and in every transformation. */
import { describe, it } from "vitest";
import { cond, foriLoop, grad, hessian, jacfwd, jit, jvp, np, scan, vmap, whileLoop, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

/** An outer scan over rows whose body runs an inner scan over the row's elements. */
const nested = (w: NdArray, xs: NdArray) =>
  scan((c: NdArray, row: NdArray) => {
    const [inner] = scan((d: NdArray, x: NdArray) => [np.sin(d.mul(w)).add(x), null] as const, c, row);
    return [inner.mul(0.9), inner.sum()] as const;
  }, np.zeros([]).astype("float64"), xs)[1].sum();

const nestedLoop = (w: NdArray, xs: NdArray) => {
  let c = np.zeros([]).astype("float64");
  let total = np.zeros([]).astype("float64");
  for (let i = 0; i < xs.shape[0]!; i++) {
    let d = c;
    for (let j = 0; j < xs.shape[1]!; j++) d = np.sin(d.mul(w)).add(np.take(np.take(xs, i, 0), j, 0));
    total = total.add(d);
    c = d.mul(0.9);
  }
  return total;
};

/** A scan whose body branches on the sign of its input. */
const branchy = (w: NdArray, xs: NdArray) =>
  scan(
    (c: NdArray, x: NdArray) => {
      const h = cond(x.gt(0), (a: NdArray, b: NdArray) => np.tanh(a.mul(w).add(b)), (a: NdArray, b: NdArray) => a.mul(b).sub(w), c, x);
      return [h, h.square()] as const;
    },
    np.array(0.3, { dtype: "float64" }),
    xs,
  );

describe("control flow composes", () => {
  const w = np.array(0.7, { dtype: "float64" });
  const xs = randomArray([3, 4], 1);

  it("nested scan: gradients equal the unrolled loops', and checkGrads to second order", () => {
    assertAllclose(nested(w, xs), nestedLoop(w, xs), { rtol: 1e-12 });
    assertAllclose(grad(nested, { argnums: [0, 1] })(w, xs)[1] as NdArray, grad(nestedLoop, { argnums: [0, 1] })(w, xs)[1] as NdArray, { rtol: 1e-10 });
    checkGrads(nested, [w, xs], { order: 2 });
  });

  it("nested scan inside grad inside vmap equals a loop over examples", () => {
    const ws = np.array([0.2, 0.7, -0.5], { dtype: "float64" });
    const got = vmap(grad(nested), { inAxes: [0, null] })(ws, xs);
    const want = np.stack([0, 1, 2].map((i) => grad(nestedLoop)(np.take(ws, i, 0), xs)));
    assertAllclose(got, want, { rtol: 1e-10 });
    checkVmap(grad(nested, { argnums: 1 }), [w, xs]);
  });

  it("cond inside scan: checkGrads, checkVmap, checkJit", () => {
    const xs1 = randomArray([6], 2);
    checkGrads(branchy, [w, xs1], { order: 2 });
    checkVmap(branchy, [w, xs1]);
    checkJit(branchy, [w, xs1]);
  });

  it("scan inside a cond branch, and vmap over the predicate", () => {
    const f = (p: NdArray, x: NdArray) => cond(p.gt(0), (a: NdArray) => scan((c: NdArray, r: NdArray) => [c.add(np.sin(r)), null] as const, a.sum(), a)[0], (a: NdArray) => np.prod(a), x);
    const x = randomArray([4], 3);
    checkGrads((x: NdArray) => f(np.array(1), x), [x], { order: 2 });
    checkVmap(f, [np.array(1.0, { dtype: "float64" }), x]);
  });

  it("hessian of a scan; jit(vmap(grad(scan))); jvp of grad of a fori loop", () => {
    const f = (v: NdArray) => scan((c: NdArray, x: NdArray) => [np.sin(c.mul(v).sum()).add(x), null] as const, np.zeros([]).astype("float64"), v)[0];
    const v = randomArray([3], 4);
    assertAllclose(hessian(f)(v), jacfwd(jacfwd(f))(v), { rtol: 1e-9, atol: 1e-12 });
    const vs = randomArray([2, 3], 5);
    assertAllclose(jit(vmap(grad(f)))(vs), vmap(grad(f))(vs), { rtol: 1e-12 });
    const g = grad((x: NdArray) => foriLoop(0, 3, (_i: NdArray, c: NdArray) => np.sin(c).mul(x), x).sum());
    checkGrads(g, [v], { order: 1, modes: ["fwd"] });
    const [, t] = jvp(g, [v], [v]);
    assertAllclose(t, jvp(grad((x: NdArray) => np.sin(np.sin(np.sin(x).mul(x)).mul(x)).mul(x).sum()), [v], [v])[1], { rtol: 1e-10 });
  });

  it("a while loop inside a scan, forward mode and vmap", () => {
    const f = (x: NdArray) => scan((c: NdArray, xi: NdArray) => [whileLoop((z: NdArray) => z.lt(5), (z: NdArray) => z.mul(2).add(xi.square()), c), c] as const, x, randomArray([3], 6))[1];
    const x = np.array(0.25, { dtype: "float64" });
    checkGrads(f, [x], { order: 1, modes: ["fwd"] });
    checkVmap(f, [x]);
  });
});
