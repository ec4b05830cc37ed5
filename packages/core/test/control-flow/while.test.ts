import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, foriLoop, grad, jacfwd, jit, jvp, linearize, makeJaxpr, np, vjp, vmap, whileLoop, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

const f64 = (x: Parameters<typeof np.array>[0]) => np.array(x, { dtype: "float64" });
const i32 = (x: number) => np.array(x, { dtype: "int32" });

/** Grow `x` by `x * w + 1` until it exceeds 10: the trip count depends on the data. */
const grow = (x: NdArray, w: NdArray) => whileLoop((c: NdArray) => c.sum().lt(10), (c: NdArray) => c.mul(w).add(1), x);

/** Five steps of a nonlinear map counted by an int carry: trip count fixed, so differentiable by FD. */
const fiveSteps = (x: NdArray, w: NdArray) =>
  whileLoop(([i]: [NdArray, NdArray]) => i.lt(5), ([i, c]: [NdArray, NdArray]) => [i.add(1), np.sin(c.mul(w)).add(c)] as [NdArray, NdArray], [i32(0), x] as [NdArray, NdArray])[1];

describe("whileLoop: evaluation", () => {
  it("loops while the condition holds", () => {
    const [n, total] = whileLoop(([k]: [NdArray, NdArray]) => k.lt(4), ([k, s]: [NdArray, NdArray]) => [k.add(1), s.add(k.astype("float64"))] as [NdArray, NdArray], [i32(0), f64(0)] as [NdArray, NdArray]);
    expect(n.item()).toBe(4);
    assertAllclose(total, [6]);
    assertAllclose(grow(f64(1), f64(2)), [15]);
    assertAllclose(whileLoop(() => false, (c: NdArray) => c.add(1), f64(3)), [3]);
  });

  it("explains a bad condition or carry", () => {
    expect(() => whileLoop((c: NdArray) => c, (c: NdArray) => c, f64(1))).toThrow(DTypeError);
    expect(() => whileLoop((c: NdArray) => c.lt(1), (c: NdArray) => c, f64([1, 2]))).toThrow(/scalar bool/);
    expect(() => whileLoop((c: NdArray) => c.lt(1), (c: NdArray) => c.astype("float32"), f64(1))).toThrow(ShapeError);
    expect(() => whileLoop((c: NdArray) => c.lt(1), (c: NdArray) => [c] as never, f64(1))).toThrow(/structure/);
  });
});

describe("whileLoop: transformations", () => {
  const [x, w] = [randomArray([3], 1), randomArray([3], 2)];

  it("forward mode: checkGrads to second order", () => {
    checkGrads(fiveSteps, [x, w], { order: 2, modes: ["fwd"] });
    // From [0.5, 1] with w = [1.5, 2] the loop stops after two steps: (x·w + 1)·w + 1.
    const twoSteps = (w: NdArray) => f64([0.5, 1]).mul(w).add(1).mul(w).add(1);
    assertAllclose(jacfwd((w: NdArray) => grow(f64([0.5, 1]), w))(f64([1.5, 2])), jacfwd(twoSteps)(f64([1.5, 2])), { rtol: 1e-12 });
  });

  it("reverse mode is a clear error pointing to foriLoop and scan; linearize still evaluates", () => {
    const loss = (x: NdArray) => fiveSteps(x, w).sum();
    expect(() => grad(loss)(x)).toThrow(/whileLoop.*foriLoop with JS-number bounds.*scan/s);
    expect(() => vjp(loss, x)[1](f64(1))).toThrow(/Reverse-mode/);
    const [y, lin] = linearize(loss, x);
    assertAllclose(y, loss(x), { rtol: 1e-12 });
    assertAllclose(lin(w), jvp(loss, [x], [w])[1], { rtol: 1e-12 });
    // The same through jit, where partial evaluation splits the loop inside a jaxpr.
    expect(() => grad(jit(loss))(x)).toThrow(/Reverse-mode/);
    const [yj, linj] = linearize(jit(loss), x);
    assertAllclose(yj, y, { rtol: 1e-12 });
    assertAllclose(linj(w), lin(w), { rtol: 1e-12 });
  });

  it("checkVmap with a batched predicate: examples take different trip counts", () => {
    checkVmap(grow, [f64([0.5, 1]), f64([1.5, 2])]);
    const starts = f64([[0.1, 0], [3, 3], [9, 2]]);
    const out = vmap((s: NdArray) => grow(s, f64([2, 2])))(starts);
    // The first example takes 3 steps, the second 1, the third none: each stops on its own.
    assertAllclose(out, [7.8, 7, 7, 7, 9, 2], { rtol: 1e-12 });
  });

  it("checkVmap with an unbatched predicate (only the body's constants batched)", () => {
    checkVmap((w: NdArray) => fiveSteps(x, w), [w]);
    const jaxpr = makeJaxpr(vmap((w: NdArray) => fiveSteps(x, w)))(randomArray([4, 3], 3)).toString();
    expect(jaxpr).not.toContain("select_n");
  });

  it("checkJit, and jvp through jit", () => {
    checkJit(grow, [f64([0.5, 1]), f64([1.5, 2])]);
    checkJit(fiveSteps, [x, w]);
    const [, t1] = jvp(jit(fiveSteps), [x, w], [w, x]);
    const [, t2] = jvp(fiveSteps, [x, w], [w, x]);
    assertAllclose(t1, t2, { rtol: 1e-12 });
  });
});

describe("foriLoop", () => {
  const body = (i: NdArray, c: NdArray) => np.sin(c).add(i.astype("float64").mul(0.1));

  it("static bounds lower to scan, so reverse mode works", () => {
    const f = (x: NdArray) => foriLoop(2, 6, body, x);
    let want = f64([0.3, -1]);
    for (let i = 2; i < 6; i++) want = np.sin(want).add(i * 0.1);
    assertAllclose(f(f64([0.3, -1])), want, { rtol: 1e-12 });
    expect(makeJaxpr(f)(f64([0, 0])).toString()).toContain("scan[");
    checkGrads(f, [f64([0.3, -1])], { order: 2 });
    assertAllclose(foriLoop(5, 2, body, f64(1)), [1]);
  });

  it("traced bounds lower to whileLoop (under jit), and vmap over the bound varies the trip count", () => {
    const f = jit((x: NdArray, n: NdArray) => foriLoop(0, n, body, x));
    assertAllclose(f(f64([0.3, -1]), i32(4)), foriLoop(0, 4, body, f64([0.3, -1])), { rtol: 1e-12 });
    expect(makeJaxpr((x: NdArray, n: NdArray) => foriLoop(0, n, body, x))(f64(0), i32(3)).toString()).toContain("while[");
    const counts = np.array([1, 3, 0], { dtype: "int32" });
    const out = vmap((n: NdArray) => foriLoop(0, n, (_i: NdArray, c: NdArray) => c.add(1), f64(0)))(counts);
    assertAllclose(out, [1, 3, 0]);
    expect(() => foriLoop(0, 2.5, body, f64(0))).toThrow(RangeError);
    expect(() => foriLoop(0, f64(2), body, f64(0))).toThrow(DTypeError);
  });
});
