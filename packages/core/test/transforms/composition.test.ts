import { describe, expect, it } from "vitest";
import { grad, hessian, jacfwd, jacrev, jvp, linearize, np, valueAndGrad, vjp, vmap, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, randomArray } from "../../src/testing/index.js";

const f = (x: NdArray) => np.sum(np.sin(x).mul(np.exp(x.mul(0.3))).mul(x));

describe("transformations compose", () => {
  it("HVP via jvp(grad(f)) equals hessian(f) @ v", () => {
    const x = randomArray([4], 1);
    const v = randomArray([4], 2);
    const [, hvp] = jvp(grad(f), [x], [v]);
    assertAllclose(hvp, np.matmul(hessian(f)(x), v), { rtol: 1e-10, atol: 1e-12 });
  });

  it("jacfwd(jacrev(f)) equals jacrev(jacfwd(f)) equals hessian", () => {
    const x = randomArray([3], 3);
    const h = hessian(f)(x) as NdArray;
    assertAllclose(jacfwd(jacrev(f))(x), h, { rtol: 1e-10 });
    assertAllclose(jacrev(jacfwd(f))(x), h, { rtol: 1e-10 });
    assertAllclose(h, np.transpose(h), { rtol: 1e-10 });
  });

  it("grad to third order matches the closed form", () => {
    const d3 = grad(grad(grad((t: NdArray) => np.sin(t))));
    for (const t of [0.1, 1.3, -2]) expect(d3(np.array(t, { dtype: "float64" })).item()).toBeCloseTo(-Math.cos(t), 12);
  });

  it("per-example gradients via vmap(grad) equal a loop", () => {
    const w = randomArray([3], 4);
    const xs = randomArray([5, 3], 5);
    const ys = randomArray([5], 6);
    const loss = (wt: NdArray, x: NdArray, y: NdArray) => np.square(np.dot(x, wt).sub(y));
    const batched = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys) as NdArray;
    const loop = np.stack(Array.from({ length: 5 }, (_, i) => grad(loss)(w, np.slice(xs, i), np.slice(ys, i)) as NdArray));
    assertAllclose(batched, loop, { rtol: 1e-12 });
  });

  it("grad of vmap equals the sum of per-example grads", () => {
    const xs = randomArray([4, 3], 7);
    const g1 = grad((x: NdArray) => np.sum(vmap((r: NdArray) => np.sum(np.tanh(r).mul(r)))(x)))(xs);
    const g2 = vmap(grad((r: NdArray) => np.sum(np.tanh(r).mul(r))))(xs);
    assertAllclose(g1, g2, { rtol: 1e-12 });
  });

  it("nested vmap with inAxes and outAxes", () => {
    const a = randomArray([2, 3, 4], 8);
    const out = vmap(vmap((v: NdArray) => np.sum(v.mul(v)), { inAxes: 1 }), { inAxes: 0, outAxes: 0 })(a) as NdArray;
    assertAllclose(out, np.sum(a.mul(a), 1), { rtol: 1e-12 });
    const moved = vmap((v: NdArray) => v.mul(2), { inAxes: 2, outAxes: 1 })(a) as NdArray;
    expect(moved.shape).toEqual([2, 4, 3]);
    assertAllclose(moved, np.moveaxis(a.mul(2), 2, 1));
  });

  it("grad through where, max, take and sort-free selection", () => {
    checkGrads((x: NdArray) => np.sum(np.where(x.gt(0), x.mul(x), np.sin(x))), [randomArray([5], 9)]);
    checkGrads((x: NdArray) => np.max(x.mul(x.add(0.3)), 0), [randomArray([4, 3], 10)]);
    checkGrads((x: NdArray) => np.sum(np.take(x, [2, 0, 2, 1], 0).mul(np.arange(4).astype("float64").reshape([4, 1]))), [randomArray([3, 2], 11)]);
    checkGrads((x: NdArray) => np.logsumexp(x, 1), [randomArray([3, 4], 12)]);
  });

  it("valueAndGrad with argnums and hasAux over pytrees", () => {
    type P = { w: NdArray; b: NdArray };
    const p: P = { w: randomArray([3], 13), b: randomArray([], 14) };
    const x = randomArray([3], 15);
    const lossAux = (params: P, xx: NdArray) => {
      const y = np.dot(params.w, xx).add(params.b);
      return [np.square(y), { pred: y }] as const;
    };
    const [[value, aux], g] = valueAndGrad(lossAux, { argnums: [0, 1], hasAux: true })(p, x) as [[NdArray, { pred: NdArray }], [P, NdArray]];
    const y = np.dot(p.w, x).add(p.b);
    assertAllclose(value, np.square(y));
    assertAllclose(aux.pred, y);
    assertAllclose(g[0].w, x.mul(y.mul(2)), { rtol: 1e-12 });
    assertAllclose(g[0].b, y.mul(2), { rtol: 1e-12 });
    assertAllclose(g[1], p.w.mul(y.mul(2)), { rtol: 1e-12 });
  });

  it("linearize and vjp agree with jvp", () => {
    const x = randomArray([3], 16);
    const t = randomArray([3], 17);
    const g = (v: NdArray) => np.sin(v).mul(np.cumsum(v));
    const [y, fLin] = linearize(g, x);
    const [y2, tOut] = jvp(g, [x], [t]);
    assertAllclose(y, y2);
    assertAllclose(fLin(t), tOut, { rtol: 1e-12 });
    const [, pullback] = vjp(g, x);
    const ct = randomArray([3], 18);
    const [xbar] = pullback(ct) as [NdArray];
    // <ct, J t> = <Jᵀ ct, t>
    expect(np.sum(ct.mul(tOut)).item()).toBeCloseTo(np.sum(xbar.mul(t)).item() as number, 12);
  });

  it("jacobians over pytree inputs", () => {
    const fn = (p: { a: NdArray; b: NdArray }) => np.sin(p.a).mul(p.b);
    const p = { a: randomArray([2], 19), b: randomArray([2], 20) };
    const jf = jacfwd(fn)(p) as { a: NdArray; b: NdArray };
    const jr = jacrev(fn)(p) as { a: NdArray; b: NdArray };
    assertAllclose(jf.a, np.diag(np.cos(p.a).mul(p.b)), { rtol: 1e-12 });
    assertAllclose(jr.b, np.diag(np.sin(p.a)), { rtol: 1e-12 });
    assertAllclose(jf.b, jr.b, { rtol: 1e-12 });
  });

  it("float32 gradients stay float32", () => {
    const g = grad((x: NdArray) => np.sum(x.mul(x)))(np.array([1, 2, 3]));
    expect(g.dtype).toBe("float32");
    expect(g.toArray()).toEqual([2, 4, 6]);
  });
});
