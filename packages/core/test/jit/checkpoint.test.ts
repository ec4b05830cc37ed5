/** `checkpoint` (remat): same values and derivatives as the plain function, fewer residuals in reverse mode. */
import { describe, expect, it } from "vitest";
import { ShapedArray, checkpoint, checkpointPolicies, grad, jit, jvp, makeJaxpr, np, vjp, vmap, type NdArray } from "../../src/index.js";
import { jvpFlat } from "../../src/interpreters/jvp.js";
import { partialEvalFlat } from "../../src/interpreters/partial-eval.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

/** A small block mixing matmul, elementwise and a reduction. */
const block = (w: NdArray, x: NdArray) => np.tanh(np.matmul(x, w)).mul(np.sin(x)).add(np.cos(np.matmul(x, w)).sum());

const f = (w: NdArray, x: NdArray) => block(w, block(w, x)).sum();
const fc = (w: NdArray, x: NdArray) => checkpoint(block)(w, checkpoint(block)(w, x)).sum();

const W = randomArray([3, 3], 1, { lo: -0.8, hi: 0.8 });
const X = randomArray([2, 3], 2, { lo: -1, hi: 1 });

const nbytes = (a: NdArray) => a.size * (a.dtype === "float64" ? 8 : 4);

/** The residuals reverse mode keeps for `f` at `args`: the constants of the linearized jaxpr (as `linearize` builds it). */
function residuals(fn: (...xs: NdArray[]) => NdArray, args: NdArray[]): { count: number; bytes: number } {
  const n = args.length;
  const { closed } = partialEvalFlat(
    (...xs) => {
      const [o, t] = jvpFlat((...ys) => [fn(...ys)], xs.slice(0, n), xs.slice(n));
      return [...o, ...t];
    },
    [...args.map((a) => ({ aval: a.aval, known: a })), ...args.map((a) => ({ aval: new ShapedArray(a.shape, a.dtype), known: null }))],
    (i) => i >= 1,
  );
  const bytes = closed.consts.reduce((s, c) => s + nbytes(c), 0);
  return { count: closed.consts.length, bytes };
}

describe("checkpoint", () => {
  it("computes the same values as the function", () => {
    assertAllclose(fc(W, X), f(W, X), { rtol: 1e-6 });
    const pair = checkpoint((a: NdArray, b: { x: NdArray }) => ({ s: a.add(b.x.sum()), p: [a.mul(2)] }));
    const out = pair(np.array([1, 2]), { x: np.array([3, 4]) });
    assertAllclose(out.s, [8, 9]);
    assertAllclose(out.p[0]!, [2, 4]);
  });

  it("checkGrads to order 2, forward and reverse", () => {
    checkGrads(fc, [W, X], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((x: NdArray) => checkpoint((y: NdArray) => np.exp(np.sin(y).mul(y)))(x).sum(), [X], { order: 2 });
  });

  it("checkGrads with a saving policy and nested checkpoints", () => {
    const g = (w: NdArray, x: NdArray) => checkpoint((a: NdArray, b: NdArray) => fc(a, b).add(block(a, b).sum()), { policy: checkpointPolicies.dotsSaveable })(w, x);
    checkGrads(g, [W, X], { order: 2 });
  });

  it("grad of checkpoint(f) equals grad of f (eager, jitted, second order)", () => {
    const [gw, gx] = grad(f, { argnums: [0, 1] })(W, X) as NdArray[];
    const [cw, cx] = grad(fc, { argnums: [0, 1] })(W, X) as NdArray[];
    assertAllclose(cw!, gw!, { rtol: 1e-5, atol: 1e-6 });
    assertAllclose(cx!, gx!, { rtol: 1e-5, atol: 1e-6 });
    const [jw] = jit(grad(fc, { argnums: [0, 1] }))(W, X) as NdArray[];
    assertAllclose(jw!, gw!, { rtol: 1e-5, atol: 1e-6 });
    const [kw] = grad(jit(fc), { argnums: [0, 1] })(W, X) as NdArray[];
    assertAllclose(kw!, gw!, { rtol: 1e-5, atol: 1e-6 });
    const h = (x: NdArray) => grad((w: NdArray) => f(w, x))(W).sum();
    const hc = (x: NdArray) => grad((w: NdArray) => fc(w, x))(W).sum();
    assertAllclose(grad(hc)(X), grad(h)(X), { rtol: 1e-4, atol: 1e-5 });
    for (const policy of Object.values(checkpointPolicies)) {
      const gp = grad((w: NdArray) => checkpoint(f, { policy })(w, X))(W);
      assertAllclose(gp, gw!, { rtol: 1e-5, atol: 1e-6 });
    }
  });

  it("jvp of checkpoint(f) equals jvp of f", () => {
    const t = randomArray([3, 3], 5);
    const [y, ty] = jvp((w: NdArray) => f(w, X), [W], [t]);
    const [yc, tyc] = jvp((w: NdArray) => fc(w, X), [W], [t]);
    assertAllclose(yc, y, { rtol: 1e-6 });
    assertAllclose(tyc, ty, { rtol: 1e-5, atol: 1e-6 });
  });

  it("checkVmap (of the function and of its gradient)", () => {
    checkVmap(fc, [W, X]);
    checkVmap(grad(fc), [W, X], { rtol: 1e-5, atol: 1e-6 });
    assertAllclose(vmap(grad(fc), { inAxes: [null, 0] })(W, np.stack([X, X.mul(2)])), vmap(grad(f), { inAxes: [null, 0] })(W, np.stack([X, X.mul(2)])), { rtol: 1e-5, atol: 1e-6 });
  });

  it("checkJit (value, gradient, vmap of gradient)", () => {
    checkJit(fc, [W, X], { rtol: 1e-6, atol: 1e-6 });
    checkJit(grad(fc), [W, X], { rtol: 1e-5, atol: 1e-6 });
    checkJit(vmap(grad(fc), { inAxes: [null, 0] }), [W, np.stack([X, X.mul(0.5), X.mul(-1)])], { rtol: 1e-5, atol: 1e-6 });
  });

  it("stages a remat: the gradient's jaxpr recomputes the forward inside a remat equation", () => {
    const { jaxpr } = makeJaxpr(grad(fc))(W, X);
    const prims = jaxpr.eqns.map((e) => e.prim);
    expect(prims.filter((p) => p === "remat").length).toBe(2); // one transposed block per checkpoint
    const plain = makeJaxpr(grad(f))(W, X).jaxpr.eqns.map((e) => e.prim);
    expect(plain).not.toContain("remat");
    // vjp works on pytrees through checkpoint too.
    const [, pb] = vjp(checkpoint((p: { w: NdArray }, x: NdArray) => block(p.w, x)), { w: W }, X);
    const [gp] = pb(np.onesLike(X)) as [{ w: NdArray }, NdArray];
    const [, pb0] = vjp((p: { w: NdArray }, x: NdArray) => block(p.w, x), { w: W }, X);
    assertAllclose(gp.w, (pb0(np.onesLike(X)) as [{ w: NdArray }, NdArray])[0].w, { rtol: 1e-5, atol: 1e-6 });
  });

  it("a 20-layer tanh MLP under checkpoint keeps fewer, smaller residuals", () => {
    const L = 20;
    const width = 16;
    const batch = 64;
    const ws = Array.from({ length: L }, (_, i) => randomArray([width, width], 100 + i, { lo: -0.4, hi: 0.4 }));
    const x = randomArray([batch, width], 7);
    const layer = (w: NdArray, h: NdArray) => np.tanh(np.matmul(h, w));
    const mlp = (...args: NdArray[]) => {
      let h = args[L]!;
      for (let i = 0; i < L; i++) h = layer(args[i]!, h);
      return h.sum();
    };
    const whole = (...args: NdArray[]) => checkpoint(mlp)(...args);
    const perLayer = (...args: NdArray[]) => {
      let h = args[L]!;
      for (let i = 0; i < L; i++) h = checkpoint(layer)(args[i]!, h);
      return h.sum();
    };
    const dots = (...args: NdArray[]) => checkpoint(mlp, { policy: checkpointPolicies.dotsSaveable })(...args);
    const args = [...ws, x];
    const plain = residuals(mlp, args);
    const rWhole = residuals(whole, args);
    const rLayer = residuals(perLayer, args);
    const rDots = residuals(dots, args);
    const paramBytes = args.reduce((s, a) => s + nbytes(a), 0);
    console.log(`residuals (count, bytes; inputs alone are ${args.length}, ${paramBytes} B): plain ${plain.count}, ${plain.bytes}; ` +
      `checkpoint(mlp) ${rWhole.count}, ${rWhole.bytes}; per-layer ${rLayer.count}, ${rLayer.bytes}; dotsSaveable ${rDots.count}, ${rDots.bytes}`);
    // Without checkpoint every layer stores its activations; with it only the inputs are kept.
    expect(rWhole.count).toBeLessThanOrEqual(args.length);
    expect(rWhole.bytes).toBe(paramBytes);
    expect(plain.bytes).toBeGreaterThan(2 * paramBytes);
    expect(rLayer.bytes).toBeLessThan(plain.bytes);
    expect(rDots.bytes).toBeGreaterThan(rWhole.bytes);
    expect(rDots.bytes).toBeLessThan(plain.bytes);
    // And the gradients agree.
    const g0 = grad(mlp, { argnums: [0, L] })(...args) as NdArray[];
    for (const fn of [whole, perLayer, dots]) {
      const g = grad(fn, { argnums: [0, L] })(...args) as NdArray[];
      assertAllclose(g[0]!, g0[0]!, { rtol: 1e-5, atol: 1e-6 });
      assertAllclose(g[1]!, g0[1]!, { rtol: 1e-5, atol: 1e-6 });
    }
  });
});
