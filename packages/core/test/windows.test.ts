/** reduce_window and select_and_{gather,scatter}_add: kernels vs hand values and a naive loop, errors, grads, vmap. */
import { describe, expect, test } from "vitest";
import { DTypeError, ShapeError, ShapedArray, grad, lax, makeJaxpr, np, vjp, vmap } from "../src/index.js";
import type { NdArray } from "../src/index.js";
import type { Padding, PrimParams } from "../src/primitives.js";
import { reduceWindowRules, selectAndGatherAddRules, selectAndScatterAddRules } from "../src/rules/windows.js";
import { flatAt, forEachIndex, assertAllclose, checkGrads, checkVmap, randomArray } from "../src/testing/index.js";

type Win = { windowDimensions: number[]; windowStrides: number[]; padding: Padding };
type SelectParams = PrimParams["select_and_gather_add"];

const rw = (x: NdArray, op: "sum" | "max" | "min", p: Win) => lax.reduceWindow(x, op, p.windowDimensions, p.windowStrides, p.padding);
const sel = (op: "max" | "min", p: Win): SelectParams => ({ op, ...p });



/** Windows shape by the definition. */
function naiveWindowsShape(shape: readonly number[], p: Win): number[] {
  return shape.map((n, d) => Math.max(0, Math.floor((n + p.padding[d]![0] + p.padding[d]![1] - p.windowDimensions[d]!) / p.windowStrides[d]!) + 1));
}

/** For each window, the in-bounds flat indices it covers, in row-major window order. */
function naiveWindows(shape: readonly number[], p: Win): { outShape: number[]; members: number[][] } {
  const outShape = naiveWindowsShape(shape, p);
  const members: number[][] = [];
  forEachIndex(outShape, (o) => {
    const m: number[] = [];
    forEachIndex(p.windowDimensions, (k) => {
      const i = o.map((v, d) => v * p.windowStrides[d]! + k[d]! - p.padding[d]![0]);
      if (i.every((v, d) => v >= 0 && v < shape[d]!)) m.push(flatAt(shape, i));
    });
    members.push(m);
  });
  return { outShape, members };
}

function naiveReduce(x: NdArray, op: "sum" | "max" | "min", p: Win): { shape: number[]; data: number[] } {
  const xs = Array.from(x.toTypedArray(), Number);
  const { outShape, members } = naiveWindows(x.shape, p);
  const init = op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
  const f = op === "sum" ? (a: number, b: number) => a + b : op === "max" ? Math.max : Math.min;
  return { shape: outShape, data: members.map((m) => m.reduce((a, i) => f(a, xs[i]!), init)) };
}

/** Index of the first extreme element of each window (−1 for an all-padding window). */
function naiveSelect(x: NdArray, op: "max" | "min", p: Win): { shape: number[]; picks: number[] } {
  const xs = Array.from(x.toTypedArray(), Number);
  const { outShape, members } = naiveWindows(x.shape, p);
  const picks = members.map((m) => m.reduce((best, i) => (best < 0 || (op === "max" ? xs[i]! > xs[best]! : xs[i]! < xs[best]!) ? i : best), -1));
  return { shape: outShape, picks };
}

const cases: { name: string; shape: number[]; p: Win }[] = [
  { name: "1-D overlapping", shape: [9], p: { windowDimensions: [3], windowStrides: [1], padding: [[0, 0]] } },
  { name: "1-D strided, padded", shape: [8], p: { windowDimensions: [3], windowStrides: [2], padding: [[1, 2]] } },
  { name: "2-D pooling 2×2 stride 2", shape: [6, 7], p: { windowDimensions: [2, 2], windowStrides: [2, 2], padding: [[0, 0], [0, 0]] } },
  { name: "NCHW 3×3 stride 2 SAME-style", shape: [2, 3, 7, 6], p: { windowDimensions: [1, 1, 3, 3], windowStrides: [1, 1, 2, 2], padding: [[0, 0], [0, 0], [1, 1], [1, 0]] } },
  { name: "NHWC pooling", shape: [2, 5, 4, 3], p: { windowDimensions: [1, 2, 2, 1], windowStrides: [1, 1, 2, 1], padding: [[0, 0], [0, 1], [0, 0], [0, 0]] } },
  { name: "negative padding, window over the batch axis", shape: [3, 8], p: { windowDimensions: [2, 3], windowStrides: [1, 2], padding: [[0, 0], [-1, 1]] } },
  { name: "3-D with a window larger than the stride", shape: [4, 5, 3], p: { windowDimensions: [3, 2, 2], windowStrides: [1, 2, 1], padding: [[1, 1], [0, 0], [1, 0]] } },
  { name: "window larger than input (empty output)", shape: [2, 3], p: { windowDimensions: [1, 5], windowStrides: [1, 1], padding: [[0, 0], [0, 0]] } },
];

describe("reduce_window impl", () => {
  test("by hand", () => {
    const x = np.array([[1, 5, 2], [3, 0, 4]]);
    const p: Win = { windowDimensions: [2, 2], windowStrides: [1, 1], padding: [[0, 0], [0, 1]] };
    expect(rw(x, "sum", p).toArray()).toEqual([[9, 11, 6]]);
    expect(rw(x, "max", p).toArray()).toEqual([[5, 5, 4]]);
    // Padding contributes the identity (+inf for min), so it never wins.
    expect(rw(x, "min", p).toArray()).toEqual([[0, 0, 2]]);
    const p1: Win = { windowDimensions: [3], windowStrides: [2], padding: [[1, 1]] };
    expect(rw(np.array([1, 2, 3, 4, 5]), "sum", p1).toArray()).toEqual([3, 9, 9]);
  });

  for (const [k, c] of cases.entries()) {
    test(`${c.name} matches a naive loop`, () => {
      const x = randomArray(c.shape, 10 + k);
      for (const op of ["sum", "max", "min"] as const) {
        const want = naiveReduce(x, op, c.p);
        expect([...reduceWindowRules.abstractEval([x.aval], { op, ...c.p })[0]!.shape]).toEqual(want.shape);
        const y = rw(x, op, c.p);
        expect([...y.shape]).toEqual(want.shape);
        assertAllclose(y, want.data, { rtol: 1e-12, atol: 1e-12 });
        assertAllclose(rw(x.astype("float32"), op, c.p), want.data, { rtol: 1e-5, atol: 1e-6 });
      }
    });
  }

  test("integer max/min pad with the dtype's extremes, not ±inf", () => {
    const p: Win = { windowDimensions: [2], windowStrides: [1], padding: [[1, 1]] };
    expect(rw(np.array([-5, -7], { dtype: "int32" }), "max", p).toArray()).toEqual([-5, -5, -7]);
    expect(rw(np.array([5, 7], { dtype: "int32" }), "min", p).toArray()).toEqual([5, 5, 7]);
    expect(rw(np.array([5, 7], { dtype: "uint32" }), "min", p).toArray()).toEqual([5, 5, 7]);
    expect(rw(np.array([5, 7], { dtype: "int32" }), "sum", p).toArray()).toEqual([5, 12, 7]);
  });

  test("max and min propagate NaN", () => {
    const p: Win = { windowDimensions: [2], windowStrides: [1], padding: [[0, 0]] };
    const y = rw(np.array([1, NaN, 2, 3]), "max", p).toArray() as number[];
    expect(y[0]).toBeNaN();
    expect(y[1]).toBeNaN();
    expect(y[2]).toBe(3);
  });

  test("staged shape matches the evaluated shape", () => {
    const c = cases[3]!;
    const x = randomArray(c.shape, 3);
    const staged = makeJaxpr((a: NdArray) => rw(a, "max", c.p))(x);
    expect([...staged.outAvals[0]!.shape]).toEqual([...rw(x, "max", c.p).shape]);
  });
});

describe("select_and_gather_add / select_and_scatter_add impl", () => {
  test("by hand: first occurrence wins ties; overlapping windows sum", () => {
    const x = np.array([1, 3, 3, 2, 0]);
    const p = sel("max", { windowDimensions: [2], windowStrides: [1], padding: [[0, 0]] });
    const t = np.array([10, 20, 30, 40, 50]);
    // Windows {1,3} {3,3} {3,2} {2,0}: argmax 1, 1 (first of the tie), 2, 3.
    expect(lax.selectAndGatherAdd(t, x, p).toArray()).toEqual([20, 20, 30, 40]);
    expect(lax.selectAndScatterAdd(np.array([1, 2, 4, 8]), x, p).toArray()).toEqual([0, 3, 4, 8, 0]);
    const pmin = sel("min", { windowDimensions: [3], windowStrides: [2], padding: [[1, 1]] });
    // Windows {pad,1,3} {3,3,2} {2,0,pad}: argmin 0, 3, 4; padding is never selected.
    expect(lax.selectAndGatherAdd(t, x, pmin).toArray()).toEqual([10, 40, 50]);
    expect(lax.selectAndScatterAdd(np.array([1, 2, 4]), x, pmin).toArray()).toEqual([1, 0, 0, 2, 4]);
  });

  test("an all-padding window selects nothing", () => {
    const p = sel("max", { windowDimensions: [2], windowStrides: [2], padding: [[2, 0]] });
    expect(lax.selectAndGatherAdd(np.array([7, 8]), np.array([1, 2]), p).toArray()).toEqual([0, 8]);
    expect(lax.selectAndScatterAdd(np.array([5, 6]), np.array([1, 2]), p).toArray()).toEqual([0, 6]);
  });

  for (const [k, c] of cases.entries()) {
    test(`${c.name} matches a naive loop`, () => {
      const x = randomArray(c.shape, 20 + k);
      const t = randomArray(c.shape, 30 + k);
      const td = Array.from(t.toTypedArray(), Number);
      for (const op of ["max", "min"] as const) {
        const { shape, picks } = naiveSelect(x, op, c.p);
        const gathered = lax.selectAndGatherAdd(t, x, sel(op, c.p));
        expect([...gathered.shape]).toEqual(shape);
        assertAllclose(gathered, picks.map((i) => (i < 0 ? 0 : td[i]!)), { rtol: 0, atol: 0 });
        const s = randomArray(shape, 40 + k);
        const sd = Array.from(s.toTypedArray(), Number);
        const scattered = new Array<number>(x.size).fill(0);
        picks.forEach((i, w) => i >= 0 && (scattered[i] = scattered[i]! + sd[w]!));
        const got = lax.selectAndScatterAdd(s, x, sel(op, c.p));
        expect([...got.shape]).toEqual([...x.shape]);
        assertAllclose(got, scattered, { rtol: 1e-12, atol: 1e-12 });
      }
    });
  }

  test("the pair are adjoint: <gather(t), s> = <t, scatter(s)>", () => {
    const c = cases[3]!;
    const x = randomArray(c.shape, 1);
    const t = randomArray(c.shape, 2);
    const p = sel("max", c.p);
    const s = randomArray([...lax.selectAndGatherAdd(t, x, p).shape], 3);
    const dot = (a: NdArray, b: NdArray) => np.sum(np.multiply(a, b)).item() as number;
    expect(dot(lax.selectAndGatherAdd(t, x, p), s)).toBeCloseTo(dot(t, lax.selectAndScatterAdd(s, x, p)), 12);
  });
});

describe("window errors", () => {
  const f32 = (s: number[]) => new ShapedArray(s, "float32");
  const p2: Win = { windowDimensions: [2, 2], windowStrides: [1, 1], padding: [[0, 0], [0, 0]] };
  test("reduce_window validates its params and dtype", () => {
    const ev = (s: number[], p: Win) => reduceWindowRules.abstractEval([f32(s)], { op: "max", ...p });
    expect(() => ev([4, 4, 4], p2)).toThrow(ShapeError);
    expect(() => ev([4, 4, 4], p2)).toThrow("reduceWindow: windowDimensions [2,2] must hold 3 positive integers, one per dimension of f32[4,4,4]");
    expect(() => ev([4, 4], { ...p2, windowStrides: [0, 1] })).toThrow(/windowStrides/);
    expect(() => ev([4, 4], { ...p2, padding: [[0, 0]] })).toThrow(/padding/);
    expect(() => ev([4, 4], { ...p2, padding: [[-3, -2], [0, 0]] })).toThrow(/removes more than dimension 0 of f32\[4,4\]/);
    expect(() => rw(np.array([true, false]), "max", { windowDimensions: [1], windowStrides: [1], padding: [[0, 0]] })).toThrow(DTypeError);
  });
  test("the select pair checks shapes and dtypes", () => {
    const p = sel("max", p2);
    expect(() => selectAndGatherAddRules.abstractEval([f32([4, 3]), f32([4, 4])], p)).toThrow(/tangent f32\[4,3\] and operand f32\[4,4\] must have the same shape/);
    expect(() => selectAndGatherAddRules.abstractEval([new ShapedArray([4, 4], "int32"), f32([4, 4])], p)).toThrow(DTypeError);
    expect(() => selectAndScatterAddRules.abstractEval([f32([3, 4]), f32([4, 4])], p)).toThrow(/source f32\[3,4\] must have the windows' shape \[3,3\] of operand f32\[4,4\]/);
    expect([...selectAndScatterAddRules.abstractEval([f32([3, 3]), f32([4, 4])], p)[0]!.shape]).toEqual([4, 4]);
  });
});

/** Small float64 cases for derivative and vmap checks. */
const small: { name: string; shape: number[]; p: Win }[] = [
  { name: "1-D strided, padded", shape: [7], p: { windowDimensions: [3], windowStrides: [2], padding: [[1, 1]] } },
  { name: "NCHW 2×2 overlapping, padded", shape: [1, 2, 4, 3], p: { windowDimensions: [1, 1, 2, 2], windowStrides: [1, 1, 1, 2], padding: [[0, 0], [0, 0], [0, 1], [1, 0]] } },
  { name: "negative padding", shape: [3, 6], p: { windowDimensions: [2, 2], windowStrides: [1, 2], padding: [[0, 0], [-1, 1]] } },
];

describe("window derivatives", () => {
  for (const [k, c] of small.entries()) {
    test(`reduce_window checkGrads order 2, ${c.name}`, () => {
      const x = randomArray(c.shape, 50 + k);
      for (const op of ["sum", "max", "min"] as const) {
        checkGrads((a) => rw(a, op, c.p), [x], { order: 2, modes: ["fwd", "rev"] });
        checkGrads((a) => np.sin(rw(np.multiply(a, a), op, c.p)), [x], { order: 2, modes: ["fwd", "rev"] });
      }
    });

    test(`select pair checkGrads order 2, ${c.name}`, () => {
      const x = randomArray(c.shape, 60 + k);
      const t = randomArray(c.shape, 70 + k);
      const windows = naiveWindowsShape(c.shape, c.p);
      const s = randomArray(windows, 80 + k);
      for (const op of ["max", "min"] as const) {
        const p = sel(op, c.p);
        // The operand only selects, so its derivative is zero (finite differences agree away from ties).
        checkGrads((a, b) => lax.selectAndGatherAdd(np.tanh(a), b, p), [t, x], { order: 2, modes: ["fwd", "rev"] });
        checkGrads((a, b) => lax.selectAndScatterAdd(np.tanh(a), b, p), [s, x], { order: 2, modes: ["fwd", "rev"] });
      }
    });
  }

  test("grad of max pooling by hand", () => {
    const x = np.array([[1, 5, 2], [3, 0, 4]], { dtype: "float64" });
    const p: Win = { windowDimensions: [2, 2], windowStrides: [1, 1], padding: [[0, 0], [0, 1]] };
    expect(grad((a: NdArray) => np.sum(rw(a, "max", p)))(x).toArray()).toEqual([[0, 2, 0], [0, 0, 1]]);
    expect(grad((a: NdArray) => np.sum(rw(a, "sum", p)))(x).toArray()).toEqual([[1, 2, 2], [1, 2, 2]]);
  });
});

describe("window vmap", () => {
  for (const [k, c] of small.entries()) {
    test(`checkVmap, ${c.name}`, () => {
      const x = randomArray(c.shape, 90 + k);
      const t = randomArray(c.shape, 100 + k);
      const s = randomArray(naiveWindowsShape(c.shape, c.p), 110 + k);
      for (const op of ["sum", "max", "min"] as const) checkVmap((a) => rw(a, op, c.p), [x], { rtol: 1e-12, atol: 1e-12 });
      for (const op of ["max", "min"] as const) {
        checkVmap((a, b) => lax.selectAndGatherAdd(a, b, sel(op, c.p)), [t, x], { rtol: 1e-12, atol: 1e-12 });
        checkVmap((a, b) => lax.selectAndScatterAdd(a, b, sel(op, c.p)), [s, x], { rtol: 1e-12, atol: 1e-12 });
      }
    });
  }

  test("vmap of grad of max pooling matches per-example grads", () => {
    const c = small[1]!;
    const xs = randomArray([3, ...c.shape], 5);
    const g = (a: NdArray) => grad((b: NdArray) => np.sum(np.square(rw(b, "max", c.p))))(a);
    const batched = vmap(g)(xs);
    for (let i = 0; i < 3; i++) {
      const xi = lax.reshape(lax.slice(xs, [i, 0, 0, 0, 0], [i + 1, ...c.shape]), c.shape);
      const gi = lax.reshape(lax.slice(batched, [i, 0, 0, 0, 0], [i + 1, ...c.shape]), c.shape);
      assertAllclose(gi, g(xi), { rtol: 1e-12, atol: 1e-12 });
    }
    // And the reverse nesting: grad of a vmapped loss.
    const [, pull] = vjp((a: NdArray) => vmap((b: NdArray) => np.sum(np.square(rw(b, "max", c.p))))(a), xs);
    assertAllclose((pull(np.ones([3], { dtype: "float64" })) as NdArray[])[0]!, batched, { rtol: 1e-12, atol: 1e-12 });
  });
});
