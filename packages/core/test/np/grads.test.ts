/** Derivatives of composite `np` functions against finite differences (checkGrads), and vmap of them (checkVmap). */
import { describe, expect, it } from "vitest";
import { type NdArray, grad, np, vmap } from "../../src/index.js";
import { checkGrads, checkVmap, randomArray } from "../../src/testing/index.js";
import { expectArray } from "./_util.js";

const ints = (v: number[] | number[][]) => np.array(v as never, { dtype: "int32" });
const X = randomArray([3, 4], 1);
const Y = randomArray([4, 5], 2);

describe("checkGrads of composite np functions (order 2, fwd + rev)", () => {
  const cases: [string, (...xs: NdArray[]) => NdArray, NdArray[]][] = [
    ["logsumexp all", (x) => np.logsumexp(x), [X]],
    ["logsumexp axis keepdims", (x) => np.logsumexp(x, 1, { keepdims: true }), [X]],
    ["logsumexp with a −∞ entry", (x) => np.logsumexp(np.where(np.array([[true, false, true, true]]), x, -Infinity), 1), [X]],
    ["log-softmax", (x) => np.subtract(x, np.logsumexp(x, -1, { keepdims: true })), [X]],
    ["softplus", (x) => np.softplus(np.multiply(x, 5)), [X]],
    ["sigmoid", (x) => np.sigmoid(x), [X]],
    ["logaddexp", (x, y) => np.logaddexp(x, y), [X, randomArray([4], 3)]],
    ["var", (x) => np.var(x), [X]],
    ["var axis ddof", (x) => np.var(x, 0, { ddof: 1 }), [X]],
    ["std axis", (x) => np.std(x, 1), [X]],
    ["mean keepdims", (x) => np.mean(x, [0, 1], { keepdims: true }), [X]],
    ["takeAlongAxis", (x) => np.takeAlongAxis(x, ints([[3, 0, 0], [1, 1, 2], [0, 3, 3]]), 1), [X]],
    ["take with repeats", (x) => np.take(x, ints([2, 0, 2]), 0), [X]],
    ["einsum matmul", (x, y) => np.einsum("ij,jk->ik", x, y), [X, Y]],
    ["einsum trace", (x) => np.einsum("ii->", x), [randomArray([3, 3], 4)]],
    ["einsum three operands", (x, y, z) => np.einsum("ij,jk,kl->il", x, y, z), [X, Y, randomArray([5, 2], 5)]],
    ["einsum bilinear", (u, m, w) => np.einsum("i,ij,j->", u, m, w), [randomArray([3], 6), X, randomArray([4], 7)]],
    ["pad reflect", (x) => np.pad(x, [[2, 1], [1, 3]], { mode: "reflect" }), [X]],
    ["pad wrap / edge", (x) => np.add(np.pad(x, 2, { mode: "wrap" }), np.pad(x, 2, { mode: "edge" })), [X]],
    ["pad constant", (x) => np.pad(x, 1, { constantValue: 3 }), [X]],
    ["where", (x, y) => np.where(np.greater(x, 0), np.multiply(x, y), np.sin(y)), [X, randomArray([3, 4], 8)]],
    ["where broadcast", (x) => np.where(np.array([true, false, true, false]), x, np.square(x)), [X]],
    ["clip", (x) => np.clip(x, -0.5, 0.5), [X]],
    ["matmul broadcast", (x, y) => np.matmul(x, y), [randomArray([2, 1, 3, 4], 9), randomArray([5, 4, 2], 10)]],
    ["matmul 1-D", (x, y) => np.matmul(x, y), [randomArray([4], 11), Y]],
    ["tensordot", (x, y) => np.tensordot(x, y, [[0], [1]]), [X, randomArray([2, 3], 12)]],
    ["cumsum", (x) => np.cumsum(x, 1), [X]],
    ["prod", (x) => np.prod(x, 0), [X]],
    ["max (no ties)", (x) => np.max(x, 1), [X]],
    ["slice negative steps", (x) => np.slice(x, "::-1", [3, 0, -2]), [X]],
    ["split + concatenate", (x) => np.concatenate(np.split(x, [1, 3], 1).reverse(), 1), [X]],
    ["stack", (x) => np.stack([x, np.square(x)], 1), [X]],
    ["tile / repeat", (x) => np.add(np.tile(x, [2, 1]), np.repeat(x, 2, 0)), [X]],
    ["moveaxis / broadcastTo", (x) => np.moveaxis(np.broadcastTo(x, [2, 3, 4]), 0, -1), [X]],
    ["scatterAdd", (x, u) => np.scatterAdd(x, [0, 2, 0], u, 1), [X, randomArray([3, 3], 13)]],
    ["diag / tril", (x) => np.add(np.diag(np.diag(x)), np.tril(x, -1)), [randomArray([4, 4], 14)]],
    ["erf / erfinv", (x) => np.add(np.erf(x), np.erfinv(np.multiply(x, 0.9))), [X]],
    ["log1p / expm1", (x) => np.add(np.log1p(np.square(x)), np.expm1(x)), [X]],
    ["mod / divide / power", (x, y) => np.add(np.mod(x, 0.7), np.power(np.divide(np.abs(x), 2), y)), [X, randomArray([3, 4], 15)]],
  ];
  for (const [name, f, args] of cases) {
    it(name, () => checkGrads(f, args, { rtol: 1e-4, atol: 1e-4 }));
  }
});

describe("gradient values", () => {
  it("∇ logsumexp = softmax, ignoring −∞ entries", () => {
    const x = np.array([0, Math.log(3), -Infinity], { dtype: "float64" });
    expectArray(grad((v: NdArray) => np.logsumexp(v))(x), [0.25, 0.75, 0], { rtol: 1e-12 });
    const g = grad((v: NdArray) => np.sum(np.logsumexp(v, 1)))(np.array([[-Infinity, -Infinity], [0, 0]], { dtype: "float64" }));
    expect((g.toArray() as number[][])[1]).toEqual([0.5, 0.5]);
  });
  it("∇ softplus = sigmoid, finite at large |x|", () => {
    const x = np.array([-800, 0, 800], { dtype: "float64" });
    expectArray(grad((v: NdArray) => np.sum(np.softplus(v)))(x), [0, 0.5, 1], { rtol: 1e-12 });
  });
  it("∇ where does not leak NaN from the unselected branch's value", () => {
    const g = grad((v: NdArray) => np.sum(np.where(np.greater(v, 0), v, 0)))(np.array([-1, 2]));
    expect(g.toArray()).toEqual([0, 1]);
  });
  it("∇ var = 2(x − mean)/(n − ddof)", () => {
    const x = np.array([1, 2, 4], { dtype: "float64" });
    expectArray(grad((v: NdArray) => np.var(v, null, { ddof: 1 }))(x), [(2 * (1 - 7 / 3)) / 2, (2 * (2 - 7 / 3)) / 2, (2 * (4 - 7 / 3)) / 2], { rtol: 1e-12 });
  });
  it("∇ take accumulates repeated indices (embedding gradient)", () => {
    const emb = np.zeros([3, 2]);
    const g = grad((e: NdArray) => np.sum(np.take(e, ints([0, 2, 0, 0]), 0)))(emb);
    expect(g.toArray()).toEqual([[3, 3], [0, 0], [1, 1]]);
  });
});

describe("vmap of np functions equals a loop", () => {
  const cases: [string, (...xs: NdArray[]) => NdArray, NdArray[], number[]?][] = [
    ["logsumexp", (x) => np.logsumexp(x, -1), [X]],
    ["var/std", (x) => np.add(np.var(x, 0), np.std(x, 0, { ddof: 1 })), [X]],
    ["matmul 1-D", (x, y) => np.matmul(x, y), [randomArray([4], 3), Y]],
    ["einsum", (x, y) => np.einsum("ij,jk->ki", x, y), [X, Y]],
    ["takeAlongAxis", (x) => np.takeAlongAxis(x, ints([[1], [0], [3]]), 1), [X]],
    ["take with batched indices", (x, i) => np.take(x, i, 1), [X, ints([3, 0])]],
    ["pad reflect", (x) => np.pad(x, [[1, 1], [2, 0]], { mode: "reflect" }), [X]],
    ["slice / flip", (x) => np.flip(np.slice(x, "1:", "::-2"), 0), [X]],
    ["concatenate / split", (x) => np.concatenate(np.split(x, 2, 1).reverse(), 0), [X]],
    ["where / clip", (x, y) => np.where(np.greater(x, y), np.clip(x, -0.2, 0.2), y), [X, randomArray([3, 4], 9)]],
    ["scatterAdd", (x, u) => np.scatterAdd(x, [1, 1], u, 0), [X, randomArray([2, 4], 10)]],
    ["cumsum / argmax", (x) => np.add(np.cumsum(x, 0), np.argmax(x, 1, { keepdims: true })), [X]],
    ["diagonal / tril", (x) => np.add(np.diagonal(np.tril(x)), 1), [randomArray([3, 3], 11)]],
    ["takeAlongAxis with batched indices", (x, i) => np.takeAlongAxis(x, i, 1), [X, ints([[1, 0], [3, 3], [0, -2]])]],
    ["scatterAdd with batched indices", (x, i) => np.scatterAdd(x, i, 1, 1), [X, ints([[1, 0], [3, 3], [0, 2]])]],
    ["oneHot", (i) => np.oneHot(i, 4), [ints([[1, 0], [3, 3]])]],
    ["einsum trace / diag", (m) => np.add(np.einsum("ii->", m), np.diag(m)), [randomArray([3, 3], 12)]],
    ["tensordot / dot N-D", (a, b) => np.add(np.sum(np.tensordot(a, b, 1)), np.sum(np.dot(a, np.ones([5, 4, 2])))), [randomArray([2, 3, 4], 13), randomArray([4, 2], 14)]],
    ["linspace / eye constants", (a) => np.add(np.matmul(np.eye(4), np.transpose(a)), np.linspace(0, 1, 3)), [X]],
  ];
  for (const [name, f, args, unbatched] of cases) {
    it(name, () => checkVmap(f, args, { unbatched: unbatched ?? [] }));
  }
  it("vmap(grad) of a per-example loss", () => {
    const w = randomArray([4], 20);
    const xs = randomArray([6, 4], 21);
    const loss = (w_: NdArray, x: NdArray) => np.softplus(np.dot(x, w_));
    const perEx = vmap(grad(loss), { inAxes: [null, 0] })(w, xs);
    expect(perEx.shape).toEqual([6, 4]);
    for (let i = 0; i < 6; i++) expectArray(np.slice(perEx, i), grad(loss)(w, np.slice(xs, i)).toArray(), { rtol: 1e-12 });
  });
});
