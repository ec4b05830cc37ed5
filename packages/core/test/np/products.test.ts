/** matmul, dot, outer, inner, tensordot, einsum (hand-computed; NumPy sweeps in fixtures.test.ts). */
import { describe, expect, it } from "vitest";
import { ShapeError, np } from "../../src/index.js";
import { randomArray } from "../../src/testing/index.js";
import { expectArray } from "./_util.js";

const A = np.array([[1, 2], [3, 4], [5, 6]]); // [3,2]
const B = np.array([[1, 0, -1], [2, 1, 0]]); // [2,3]
const v = np.array([1, -1]);

describe("matmul", () => {
  it("2-D", () => {
    expect(np.matmul(A, B).toArray()).toEqual([[5, 2, -1], [11, 4, -3], [17, 6, -5]]);
    expect(np.matmul(B, A).toArray()).toEqual([[-4, -4], [5, 8]]);
  });
  it("1-D operands are promoted and the axis removed", () => {
    expect(np.matmul(A, v).toArray()).toEqual([-1, -1, -1]);
    expect(np.matmul(v, B).toArray()).toEqual([-1, -1, -1]);
    expect(np.matmul(v, v).shape).toEqual([]);
    expect(np.matmul(v, v).item()).toBe(2);
  });
  it("batch dimensions broadcast", () => {
    const x = randomArray([2, 1, 3, 4], 1);
    const y = randomArray([5, 4, 2], 2);
    const z = np.matmul(x, y);
    expect(z.shape).toEqual([2, 5, 3, 2]);
    // z[i, j] = x[i, 0] @ y[j]
    expectArray(np.slice(z, 1, 3), np.matmul(np.slice(x, 1, 0), np.slice(y, 3)).toArray(), { rtol: 1e-12 });
    expect(np.matmul(randomArray([3, 4], 3), y).shape).toEqual([5, 3, 2]);
    expect(np.matmul(x, randomArray([4], 4)).shape).toEqual([2, 1, 3]);
    expect(np.matmul(randomArray([4], 4), y).shape).toEqual([5, 2]);
  });
  it("promotes dtypes", () => {
    expect(np.matmul(np.arange(4).reshape([2, 2]), np.arange(4).reshape([2, 2])).dtype).toBe("int32");
    expect(np.matmul(np.arange(4).reshape([2, 2]), np.eye(2)).dtype).toBe("float32");
    expect(np.matmul(np.eye(2), np.eye(2, 2, { dtype: "float64" })).dtype).toBe("float64");
  });
  it("errors name both operands", () => {
    expect(() => np.matmul(np.ones([3, 4]), np.ones([5, 2]))).toThrow(/matmul.*f32\[3,4\].*f32\[5,2\]/);
    expect(() => np.matmul(np.ones([2, 3, 4]), np.ones([3, 4, 2]))).toThrow(/matmul.*f32\[2,3,4\].*f32\[3,4,2\]/);
    expect(() => np.matmul(2, np.ones([3]))).toThrow(ShapeError);
  });
});

describe("dot / outer / inner", () => {
  it("dot", () => {
    expect(np.dot(v, v).item()).toBe(2);
    expect(np.dot(A, B).toArray()).toEqual(np.matmul(A, B).toArray());
    expect(np.dot(A, v).toArray()).toEqual([-1, -1, -1]);
    expect(np.dot(2, v).toArray()).toEqual([2, -2]);
    expect(np.dot(np.ones([2, 3, 4]), np.ones([5, 4, 6])).shape).toEqual([2, 3, 5, 6]);
    expect(() => np.dot(A, A)).toThrow(/dot.*f32\[3,2\].*f32\[3,2\]/);
  });
  it("outer", () => {
    expect(np.outer(np.array([1, 2]), np.array([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(np.outer(A, v).shape).toEqual([6, 2]);
  });
  it("inner", () => {
    expect(np.inner(v, v).item()).toBe(2);
    expect(np.inner(A, np.array([[1, 1], [0, 1]])).toArray()).toEqual([[3, 2], [7, 4], [11, 6]]);
    expect(() => np.inner(A, B)).toThrow(ShapeError);
  });
});

describe("tensordot", () => {
  it("axes as a count or as lists", () => {
    const x = np.arange(24).reshape([2, 3, 4]).astype("float32");
    const y = np.arange(12).reshape([3, 4]).astype("float32");
    const full = np.tensordot(x, y, 2);
    expect(full.shape).toEqual([2]);
    expect(full.toArray()).toEqual([np.sum(np.multiply(np.slice(x, 0), y)).item(), np.sum(np.multiply(np.slice(x, 1), y)).item()]);
    expect(np.tensordot(x, y, [[1, 2], [0, 1]]).toArray()).toEqual(full.toArray());
    expect(np.tensordot(x, y, [[-2, -1], [-2, -1]]).toArray()).toEqual(full.toArray());
    expect(np.tensordot(x, np.ones([4, 5]), 1).shape).toEqual([2, 3, 5]);
    expect(np.tensordot(np.ones([2]), np.ones([3]), 0).shape).toEqual([2, 3]);
    expect(np.tensordot(x, y, [[1], [0]]).shape).toEqual([2, 4, 4]);
    expect(() => np.tensordot(x, y, [[0], [0]])).toThrow(/tensordot.*f32\[2,3,4\].*f32\[3,4\]/);
    expect(() => np.tensordot(x, y, 3)).toThrow(RangeError);
    expect(() => np.tensordot(x, y, [[0, 1], [0]])).toThrow(ShapeError);
    expect(() => np.tensordot(x, y, [[3], [0]])).toThrow(/tensordot.*axis 3.*f32\[2,3,4\]/);
  });
});

describe("einsum", () => {
  const x = randomArray([3, 4], 1);
  const y = randomArray([4, 5], 2);
  it("matmul, implicit output", () => {
    expectArray(np.einsum("ij,jk->ik", x, y), np.matmul(x, y).toArray(), { rtol: 1e-12 });
    expectArray(np.einsum("ij,jk", x, y), np.matmul(x, y).toArray(), { rtol: 1e-12 });
    expectArray(np.einsum(" ij , jk -> ik ", x, y), np.matmul(x, y).toArray(), { rtol: 1e-12 });
  });
  it("batch matmul", () => {
    const p = randomArray([2, 3, 4], 3);
    const q = randomArray([2, 4, 5], 4);
    expectArray(np.einsum("bij,bjk->bik", p, q), np.matmul(p, q).toArray(), { rtol: 1e-12 });
  });
  it("trace, diagonal, transpose, sums", () => {
    const m = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(np.einsum("ii->", m).item()).toBe(15);
    expect(np.einsum("ii", m).item()).toBe(15);
    expect(np.einsum("ii->i", m).toArray()).toEqual([1, 5, 9]);
    expect(np.einsum("ij->ji", m).toArray()).toEqual(np.transpose(m).toArray());
    expect(np.einsum("ji", m).toArray()).toEqual(np.transpose(m).toArray());
    expect(np.einsum("ij->", m).item()).toBe(45);
    expect(np.einsum("ij->i", m).toArray()).toEqual([6, 15, 24]);
  });
  it("outer, inner, Hadamard", () => {
    const a = np.array([1, 2]);
    const b = np.array([3, 4, 5]);
    expect(np.einsum("i,j->ij", a, b).toArray()).toEqual(np.outer(a, b).toArray());
    expect(np.einsum("i,i->", a, a).item()).toBe(5);
    expect(np.einsum("i,i->i", a, a).toArray()).toEqual([1, 4]);
  });
  it("three operands", () => {
    const z = randomArray([5, 2], 5);
    expectArray(np.einsum("ij,jk,kl->il", x, y, z), np.matmul(np.matmul(x, y), z).toArray(), { rtol: 1e-12 });
    const a = randomArray([4], 6);
    expect(np.einsum("i,i,i->", a, a, a).item()).toBeCloseTo(np.sum(np.power(a, 3)).item() as number, 12);
    // bilinear form xᵀ M y
    const u = randomArray([3], 7);
    const w = randomArray([4], 8);
    expect(np.einsum("i,ij,j->", u, x, w).item()).toBeCloseTo(np.dot(u, np.dot(x, w)).item() as number, 12);
  });
  it("errors", () => {
    expect(() => np.einsum("ij,jk->ik", x)).toThrow(/einsum.*2 operand subscripts.*1 operand/);
    expect(() => np.einsum("ijk->i", x)).toThrow(/einsum.*f64\[3,4\]/);
    expect(() => np.einsum("ij,jk->ik", x, x)).toThrow(/einsum.*label j/);
    expect(() => np.einsum("ij->k", x)).toThrow(ShapeError);
    expect(() => np.einsum("ij->ii", x)).toThrow(ShapeError);
    expect(() => np.einsum("...ij->...ji", x)).toThrow(/ellipsis/);
    expect(() => np.einsum("i1->i", x)).toThrow(TypeError);
  });
});
