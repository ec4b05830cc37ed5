import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, cond, grad, jit, makeJaxpr, np, switchCase, vmap, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

const f64 = (x: Parameters<typeof np.array>[0]) => np.array(x, { dtype: "float64" });
const i32 = (x: number | number[]) => np.array(x, { dtype: "int32" });

/** Branches that use their operands differently (and one closed-over constant), so partial evaluation must unify residuals. */
const k = randomArray([3], 9);
const branches = [
  (x: NdArray, y: NdArray) => np.sin(x).mul(y),
  (x: NdArray, y: NdArray) => np.exp(y.mul(k)).add(x),
  (x: NdArray, _y: NdArray) => x.mul(x).mul(x),
];
const pick = (x: NdArray, y: NdArray) => cond(x.sum().gt(0), (a: NdArray, b: NdArray) => np.tanh(a.mul(b)), (a: NdArray, b: NdArray) => a.sub(np.cos(b)), x, y);

describe("cond and switchCase: evaluation", () => {
  it("runs the chosen branch", () => {
    const [x, y] = [f64([1, 2, 3]), f64([3, 4, 5])];
    assertAllclose(cond(true, (a: NdArray) => a.add(1), (a: NdArray) => a.sub(1), x), [2, 3, 4]);
    assertAllclose(cond(f64(0), (a: NdArray) => a.add(1), (a: NdArray) => a.sub(1), x), [0, 1, 2]);
    assertAllclose(cond(np.array(false), () => ({ s: x.sum() }), () => ({ s: y.sum() })).s, [12]);
    assertAllclose(switchCase(1, branches, x, y), branches[1]!(x, y), { rtol: 1e-12 });
    assertAllclose(switchCase(i32(2), branches, x, y), branches[2]!(x, y));
  });

  it("clamps the index as JAX's switch does", () => {
    const [x, y] = [f64([1, 2, 3]), f64([3, 4, 5])];
    assertAllclose(switchCase(-4, branches, x, y), branches[0]!(x, y));
    assertAllclose(switchCase(i32(17), branches, x, y), branches[2]!(x, y));
    assertAllclose(vmap((i: NdArray) => switchCase(i, branches, x, y))(i32([-1, 1, 9])), np.stack([branches[0]!(x, y), branches[1]!(x, y), branches[2]!(x, y)]), { rtol: 1e-12 });
  });

  it("gives a JS-number output the dtype of the other branch (weak typing)", () => {
    const out = cond<NdArray | number>(f64(1), (a: NdArray) => a.sum(), () => 0, f64([1, 2])) as NdArray;
    expect(out.dtype).toBe("float64");
  });

  it("explains mismatched branches and bad predicates", () => {
    const x = f64([1, 2]);
    expect(() => cond(true, (a: NdArray) => a, (a: NdArray) => a.sum(), x)).toThrow(ShapeError);
    expect(() => cond(true, (a: NdArray) => a, (a: NdArray) => a.sum(), x)).toThrow(/cond: trueFn returns \(f64\[2\]\) but falseFn returns \(f64\[\]\)/);
    expect(() => cond(true, (a: NdArray) => a, ((a: NdArray) => [a]) as never, x)).toThrow(/structure/);
    expect(() => cond(x.gt(0), (a: NdArray) => a, (a: NdArray) => a, x)).toThrow(/np.where/);
    expect(() => switchCase(f64(1), branches, x, x)).toThrow(DTypeError);
    expect(() => switchCase(0, [], x)).toThrow(RangeError);
  });

  it("is one cond equation in jaxprs", () => {
    expect(makeJaxpr(pick)(f64([1, 2]), f64([3, 4])).toString().match(/= cond\[/g)).toHaveLength(1);
  });
});

describe("cond and switchCase: transformations", () => {
  const [x, y] = [randomArray([3], 1), randomArray([3], 2)];

  it("checkGrads to second order, forward and reverse, for each branch", () => {
    for (const i of [0, 1, 2]) checkGrads((x: NdArray, y: NdArray) => switchCase(i32(i), branches, x, y), [x, y], { order: 2 });
    checkGrads(pick, [x, y], { order: 2 });
    checkGrads(pick, [x.neg().sub(2), y], { order: 2 });
  });

  it("grad through a cond selects the branch's gradient", () => {
    const f = (x: NdArray) => cond(x.sum().gt(0), (a: NdArray) => a.square().sum(), (a: NdArray) => a.sum().mul(3), x);
    assertAllclose(grad(f)(f64([1, 2])), [2, 4]);
    assertAllclose(grad(f)(f64([-1, -2])), [3, 3]);
  });

  it("checkVmap with a batched predicate (both branches run, examples select) and an unbatched one", () => {
    checkVmap(pick, [x, y]);
    checkVmap((i: NdArray, x: NdArray, y: NdArray) => switchCase(i, branches, x, y), [i32(1), x, y]);
    checkVmap((x: NdArray) => switchCase(i32(1), branches, x, y), [x]);
    checkVmap((y: NdArray) => switchCase(i32(0), branches, x, y), [y], {});
    const jaxpr = makeJaxpr(vmap((y: NdArray) => switchCase(i32(1), branches, x, y)))(randomArray([2, 3], 3)).toString();
    expect(jaxpr).toContain("cond[");
  });

  it("vmap(grad) with per-example branches, and grad of a batched cond", () => {
    const f = (x: NdArray) => cond(x.sum().gt(0), (a: NdArray) => np.sin(a).sum(), (a: NdArray) => a.square().sum(), x);
    const xs = f64([[1, 2], [-3, -1], [0.5, -0.2]]);
    const g = vmap(grad(f))(xs);
    assertAllclose(g, np.stack([np.cos(f64([1, 2])), f64([-6, -2]), np.cos(f64([0.5, -0.2]))]), { rtol: 1e-12 });
    checkGrads((xs: NdArray) => vmap(f)(xs), [xs], { order: 2 });
  });

  it("a branch returning a constant has zero gradient, eagerly and under jit", () => {
    const f = (x: NdArray) => cond<NdArray | number>(x.sum().gt(0), (a: NdArray) => a.square().sum(), () => 0, x) as NdArray;
    assertAllclose(grad(f)(f64([1, 2])), [2, 4]);
    assertAllclose(grad(f)(f64([-1, -2])), [0, 0]);
    assertAllclose(grad(jit(f))(f64([-1, -2])), [0, 0]);
    checkGrads(jit(f), [f64([-1, 2.5])], { order: 2 });
  });

  it("checkJit, and grad/jit compose", () => {
    checkJit(pick, [x, y]);
    checkJit((i: NdArray, x: NdArray, y: NdArray) => switchCase(i, branches, x, y), [i32(1), x, y]);
    const loss = (x: NdArray) => pick(x, y).sum();
    assertAllclose(jit(grad(loss))(x), grad(loss)(x), { rtol: 1e-12 });
    assertAllclose(grad(jit(loss))(x), grad(loss)(x), { rtol: 1e-12 });
  });
});
