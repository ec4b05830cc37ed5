import { describe, expect, it } from "vitest";
import { grad, jit, jvp, makeJaxpr, np, vmap, ConcretizationError, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

const f = (x: NdArray, y: NdArray) => np.sum(np.tanh(np.matmul(x, y)).mul(2).add(1));

describe("jit", () => {
  it("agrees with eager and caches per signature", () => {
    const x = randomArray([2, 3], 1);
    const y = randomArray([3, 2], 2);
    checkJit(f, [x, y]);
    const jf = jit(f);
    jf(x, y);
    jf(x.mul(2), y);
    expect(jf.cacheInfo()).toEqual({ hits: 1, misses: 1, size: 1 });
    jf(randomArray([4, 3], 3), y);
    expect(jf.cacheInfo()).toEqual({ hits: 1, misses: 2, size: 2 });
  });

  it("composes: grad(jit), jit(grad), vmap(jit), jit(vmap), jit(jit), jvp(jit)", () => {
    const x = randomArray([2, 3], 4);
    const y = randomArray([3, 2], 5);
    assertAllclose(grad(jit(f))(x, y), grad(f)(x, y), { rtol: 1e-12 });
    assertAllclose(jit(grad(f))(x, y), grad(f)(x, y), { rtol: 1e-12 });
    assertAllclose(vmap(jit(f), { inAxes: [0, null] })(randomArray([4, 2, 3], 6), y), vmap(f, { inAxes: [0, null] })(randomArray([4, 2, 3], 6), y), { rtol: 1e-12 });
    assertAllclose(jit(vmap(f, { inAxes: [0, null] }))(randomArray([4, 2, 3], 6), y), vmap(f, { inAxes: [0, null] })(randomArray([4, 2, 3], 6), y), { rtol: 1e-12 });
    assertAllclose(jit(jit(f))(x, y), f(x, y), { rtol: 1e-12 });
    const [, t1] = jvp(jit(f), [x, y], [x, y]);
    const [, t2] = jvp(f, [x, y], [x, y]);
    assertAllclose(t1, t2, { rtol: 1e-12 });
  });

  it("passes checkGrads and checkVmap to second order", () => {
    checkGrads(jit((x: NdArray) => np.sin(x).mul(x).sum()), [randomArray([3], 7)]);
    checkGrads(jit(grad((x: NdArray) => np.sin(x).mul(x).sum())), [randomArray([3], 8)]);
    checkVmap(jit((x: NdArray) => np.cumsum(np.exp(x))), [randomArray([4], 9)]);
  });

  it("staticArgnums are part of the key; traced values cannot be read", () => {
    const g = jit((x: NdArray, n: number) => x.mul(n), { staticArgnums: [1] });
    expect(g(np.array([1, 2]), 3).toArray()).toEqual([3, 6]);
    expect(g(np.array([1, 2]), 4).toArray()).toEqual([4, 8]);
    expect(g.cacheInfo().misses).toBe(2);
    const bad = jit((x: NdArray) => (x.sum().item() as number) > 0 ? x : x.neg());
    expect(() => bad(np.array([1]))).toThrow(ConcretizationError);
    expect(() => bad(np.array([1]))).toThrow(/staticArgnums/);
  });

  it("shows up as pjit in jaxprs", () => {
    const txt = makeJaxpr((x: NdArray) => jit((y: NdArray) => y.mul(2))(x).add(1))(np.zeros([3])).toString();
    expect(txt).toContain("pjit");
  });
});
