import { describe, expect, it } from "vitest";
import { type NdArray, lax, np, referenceBackend, setBackend, wasmBackend } from "../../src/index.js";
import { assertAllclose, randomArray } from "../../src/testing/index.js";
import { wasmAgainstReference } from "./wasm-vs-reference.js";
import { FLOATS, LENGTHS, SPECIAL, expectUlps, values } from "./wasm-agreement.js";

// Every wasm kernel against the reference on awkward sizes, layouts and special values; minWork 0
// forces the wasm path even for tiny problems.
const both = wasmAgainstReference();

const SIZES = [1, 2, 3, 7, 8, 9, 16, 33];

describe("wasm dot_general", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const tol = dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-12 };
    it(`${dtype}: every m, k, n in ${SIZES.join(",")} and all four transpose patterns`, () => {
      let seed = 1;
      for (const m of SIZES) for (const k of SIZES) for (const n of [1, 5, 33]) {
        const a = randomArray([m, k], seed++, { dtype });
        const b = randomArray([k, n], seed++, { dtype });
        const at = np.transpose(a);
        const bt = np.transpose(b);
        for (const [name, f] of [
          ["NN", () => lax.dotGeneral(a, b, [[1], [0]])],
          ["TN", () => lax.dotGeneral(at, b, [[0], [0]])],
          ["NT", () => lax.dotGeneral(a, bt, [[1], [1]])],
          ["TT", () => lax.dotGeneral(at, bt, [[0], [1]])],
        ] as const) {
          const [got, want] = both(f);
          assertAllclose(got, want, tol, `${name} ${m}x${k}x${n}`);
        }
      }
    });
    it(`${dtype}: batch dims, permuted operands and NaN/Inf`, () => {
      const a = randomArray([4, 3, 5, 6], 3, { dtype });
      const b = randomArray([5, 4, 6, 2], 4, { dtype });
      const [g1, w1] = both(() => lax.dotGeneral(a, b, [[3], [2]], [[0, 2], [1, 0]]));
      assertAllclose(g1, w1, tol);
      const special = np.array([[1, NaN, 2], [Infinity, 1, 0], [-Infinity, 0, 1]], { dtype });
      const [g2, w2] = both(() => np.matmul(special, np.array([[1, 2], [0, 1], [3, -1]], { dtype })));
      assertAllclose(g2, w2, tol);
      const [g3, w3] = both(() => lax.dotGeneral(np.zeros([3, 0], { dtype }), np.zeros([0, 4], { dtype }), [[1], [0]]));
      expect(g3.toArray()).toEqual(w3.toArray());
    });
  }
});

describe("wasm conv_general_dilated", () => {
  const cases: [string, () => NdArray][] = [];
  const x = randomArray([2, 4, 9, 7], 5, { dtype: "float32" });
  const w = randomArray([6, 4, 3, 2], 6, { dtype: "float32" });
  cases.push(["plain", () => lax.convGeneralDilated(x, w, [1, 1], [[0, 0], [0, 0]])]);
  cases.push(["strides + SAME-ish padding", () => lax.convGeneralDilated(x, w, [2, 3], [[1, 1], [0, 1]])]);
  cases.push(["rhs dilation", () => lax.convGeneralDilated(x, w, [1, 1], [[2, 2], [1, 1]], { rhsDilation: [2, 2] })]);
  cases.push(["lhs dilation (im2col path)", () => lax.convGeneralDilated(x, w, [1, 1], [[2, 2], [1, 1]], { lhsDilation: [2, 2] })]);
  cases.push(["negative padding (im2col path)", () => lax.convGeneralDilated(x, w, [1, 1], [[-1, 0], [0, -1]])]);
  cases.push(["feature groups", () => lax.convGeneralDilated(x, randomArray([6, 2, 3, 3], 7, { dtype: "float32" }), [1, 1], [[1, 1], [1, 1]], { featureGroupCount: 2 })]);
  cases.push(["NHWC / HWIO", () => np.conv(np.transpose(x, [0, 2, 3, 1]), np.transpose(w, [2, 3, 1, 0]), { layout: ["NHWC", "HWIO", "NHWC"], padding: "SAME" })]);
  cases.push(["float64 1×1", () => lax.convGeneralDilated(np.astype(x, "float64"), randomArray([3, 4, 1, 1], 8), [1, 1], [[0, 0], [0, 0]])]);
  for (const [name, f] of cases) {
    it(name, () => {
      const [got, want] = both(f);
      assertAllclose(got, want, { rtol: 1e-5, atol: 1e-5 }, name);
    });
  }
  it("gradients of a conv net agree across backends", async () => {
    const { grad } = await import("../../src/index.js");
    const loss = (k: NdArray, inp: NdArray) => np.sum(np.tanh(np.conv(inp, k, { padding: "SAME", strides: [2, 2] })).mul(np.conv(inp, k, { padding: "SAME", strides: [2, 2] })));
    const [g, r] = both(() => grad(loss, { argnums: 1 })(w, x) as NdArray);
    assertAllclose(g, r, { rtol: 1e-4, atol: 1e-4 });
    const [gw, rw] = both(() => grad(loss)(w, x) as NdArray);
    assertAllclose(gw, rw, { rtol: 1e-4, atol: 1e-4 });
  });
});

// ---- elementwise, select programs and pooling windows (reductions: wasm-reduce.test.ts) ----

describe("wasm elementwise", () => {
  // f32 transcendentals are ≤ 1.5 ulp from exact and the reference is within 0.5 ulp: 2 ulp apart at most.
  const UNARY: [string, (x: NdArray) => NdArray, number, number, number][] = [
    ["neg", lax.neg, 0, -4, 4], ["abs", lax.abs, 0, -4, 4], ["sign", lax.sign, 0, -4, 4], ["floor", lax.floor, 0, -4, 4],
    ["ceil", lax.ceil, 0, -4, 4], ["round", lax.round, 0, -4, 4], ["sqrt", lax.sqrt, 0, 0, 100], ["rsqrt", lax.rsqrt, 1, 0, 100],
    ["exp", lax.exp, 2, -90, 90], ["expm1", lax.expm1, 2, -20, 20], ["log", lax.log, 2, 0, 1000], ["log1p", lax.log1p, 2, -1, 100],
    ["tanh", lax.tanh, 2, -10, 10], ["logistic", lax.logistic, 2, -30, 30], ["erf", lax.erf, 2, -5, 5],
    ["sin", lax.sin, 2, -10, 10], ["cos", lax.cos, 2, -10, 10], ["tan", lax.tan, 2, -1.5, 1.5], ["asin", lax.asin, 2, -1, 1],
    ["acos", lax.acos, 2, -1, 1], ["atan", lax.atan, 2, -50, 50], ["sinh", lax.sinh, 2, -20, 20], ["cosh", lax.cosh, 2, -20, 20],
  ];
  for (const dtype of FLOATS) {
    for (const [name, f, ulps, lo, hi] of UNARY) {
      it(`${name} ${dtype}: lengths 0..33 and larger, with NaN/±Inf/±0/denormals`, () => {
        // f64 transcendentals stay on V8's Math (bit-identical); sqrt and rsqrt are correctly rounded in both.
        const tol = dtype === "float64" ? 0 : ulps;
        for (const n of LENGTHS) {
          const x = values(n, n + 1, dtype, lo, hi);
          const [got, want] = both(() => f(x));
          expectUlps(got, want, tol, `${name}[${n}]`);
        }
        const [g2, w2] = both(() => f(np.reshape(values(3 * 5 * 7, 9, dtype, lo, hi), [3, 5, 7])));
        expectUlps(g2, w2, tol, `${name} 3×5×7`);
      });
    }
  }

  const BINARY: [string, (a: NdArray, b: NdArray) => NdArray, number][] = [
    ["add", lax.add, 0], ["sub", lax.sub, 0], ["mul", lax.mul, 0], ["div", lax.div, 0],
    ["max", lax.max, 0], ["min", lax.min, 0], ["pow", lax.pow, 2], ["atan2", lax.atan2, 2],
  ];
  for (const dtype of FLOATS) {
    for (const [name, f, ulps] of BINARY) {
      it(`${name} ${dtype}: lengths 0..33 and larger, and every pair of special values`, () => {
        const tol = dtype === "float64" ? 0 : ulps;
        // Zeros keep their sign everywhere: max/min are IEEE maximum/minimum (−0 below +0) in both backends.
        const signedZero = true;
        for (const n of LENGTHS) {
          const a = values(n, 2 * n + 1, dtype);
          const b = values(n, 2 * n + 2, dtype, name === "pow" ? -3 : -4, name === "pow" ? 3 : 4);
          const [got, want] = both(() => f(a, b));
          expectUlps(got, want, tol, `${name}[${n}]`, signedZero);
          const [g2, w2] = both(() => f(a, a));
          expectUlps(g2, w2, tol, `${name}(a, a)[${n}]`, signedZero);
        }
        const s = SPECIAL.length;
        const a = np.array(SPECIAL.flatMap((v) => SPECIAL.map(() => v)), { dtype });
        const b = np.array(SPECIAL.flatMap(() => SPECIAL), { dtype });
        expect(a.size).toBe(s * s);
        const [got, want] = both(() => f(a, b));
        expectUlps(got, want, tol, `${name} special pairs`, signedZero);
      });
    }
  }

  it("integer and bool operands stay on the reference kernels", () => {
    const a = np.array([1, -2, 3, 7], { dtype: "int32" });
    const b = np.array([2, 2, -2, 3], { dtype: "int32" });
    for (const f of [lax.add, lax.mul, lax.div, lax.max]) {
      const [got, want] = both(() => f(a, b));
      expect(got.dtype).toBe("int32");
      expect(got.toArray()).toEqual(want.toArray());
    }
    const [g, w] = both(() => lax.neg(a));
    expect(g.toArray()).toEqual(w.toArray());
  });
});

describe("wasm programs for select_n, comparisons, boolean logic and conversions", () => {
  // Exact operations: the wasm results must equal the reference's bit for bit, at sizes below the
  // program threshold (reference), across a block (1024) and across chunks (8192).
  const SIZES = [255, 256, 257, 1031, 8192 * 2 + 13];
  const special = (n: number, seed: number) => {
    const v = values(n, seed, "float32");
    // A quarter special values, placed so that every pairing with the other operand occurs.
    return np.where(np.less(values(n, seed + 1, "float32"), -0.5), np.array(SPECIAL.map((_, i) => SPECIAL[(i * 7 + seed) % SPECIAL.length]!).concat(Array(Math.max(0, n - SPECIAL.length)).fill(0.5)).slice(0, n), { dtype: "float32" }), v);
  };
  const exact = (got: NdArray, want: NdArray, what: string) => {
    expect(got.dtype, what).toBe(want.dtype);
    expect(Array.from(got.toTypedArray() as ArrayLike<number>), what).toEqual(Array.from(want.toTypedArray() as ArrayLike<number>));
  };
  for (const n of SIZES) {
    it(`n = ${n}`, () => {
      const a = special(n, n);
      // Half of b equals a: ties separate lt/le, gt/ge, eq/ne.
      const b = np.where(np.greater(values(n, n + 7, "float32"), 0), a, special(n, n + 3));
      const m = np.greater(a, 0);
      const k = np.less(b, 0.25);
      for (const [name, f] of [["eq", lax.eq], ["ne", lax.ne], ["lt", lax.lt], ["le", lax.le], ["gt", lax.gt], ["ge", lax.ge]] as const) {
        const [got, want] = both(() => f(a, b));
        exact(got, want, `${name}[${n}]`);
        const [g2, w2] = both(() => f(m, k));
        exact(g2, w2, `${name} bool[${n}]`);
      }
      for (const [name, f] of [["and", lax.and], ["or", lax.or], ["xor", lax.xor]] as const) {
        const [got, want] = both(() => f(m, k));
        exact(got, want, `${name}[${n}]`);
      }
      const cases: [string, () => NdArray][] = [
        ["not", () => lax.not(m)],
        ["select_n f32", () => lax.selectN(m, a, b)],
        ["select_n bool", () => lax.selectN(k, m, lax.not(m))],
        ["f32 -> bool", () => lax.convertElementType(a, "bool")],
        ["bool -> f32", () => lax.convertElementType(m, "float32")],
      ];
      for (const [name, f] of cases) {
        const [got, want] = both(f);
        exact(got, want, `${name}[${n}]`);
      }
    });
  }
});

describe("wasm pooling windows", () => {
  type Case = { shape: number[]; window: number[]; strides: number[]; padding: [number, number][] };
  const pad0 = (r: number): [number, number][] => Array.from({ length: r }, () => [0, 0]);
  const nchw = (shape: number[], kh: number, kw: number, sh: number, sw: number, ph: [number, number], pw: [number, number]): Case =>
    ({ shape, window: [1, 1, kh, kw], strides: [1, 1, sh, sw], padding: [[0, 0], [0, 0], ph, pw] });
  const CASES: [string, Case][] = [
    ["2×2 stride 2", nchw([2, 3, 8, 8], 2, 2, 2, 2, [0, 0], [0, 0])],
    ["2×2 stride 2, odd sizes (dropped edge)", nchw([2, 3, 7, 9], 2, 2, 2, 2, [0, 0], [0, 0])],
    ["3×3 stride 1 SAME (overlapping, padded)", nchw([1, 2, 5, 6], 3, 3, 1, 1, [1, 1], [1, 1])],
    ["3×2 strides (2, 1), uneven padding", nchw([2, 1, 7, 5], 3, 2, 2, 1, [0, 2], [1, 0])],
    ["window larger than the input", nchw([1, 2, 2, 3], 4, 4, 1, 2, [2, 2], [1, 2])],
    ["1×1", nchw([1, 1, 3, 3], 1, 1, 1, 1, [0, 0], [0, 0])],
    ["3-d input, last two axes", { shape: [3, 7, 5], window: [1, 3, 3], strides: [1, 2, 2], padding: [[0, 0], [1, 1], [1, 1]] }],
    ["1-d input", { shape: [17], window: [3], strides: [2], padding: [[1, 1]] }],
    ["2-d input", { shape: [6, 9], window: [2, 3], strides: [2, 3], padding: pad0(2) }],
    ["window over a leading axis (reference path)", { shape: [4, 2, 5, 5], window: [2, 1, 2, 2], strides: [2, 1, 1, 1], padding: pad0(4) }],
  ];
  for (const dtype of FLOATS) {
    for (const [name, c] of CASES) {
      it(`${dtype} ${name}: reduce_window max/min/sum and select_and_scatter_add max/min`, () => {
        const size = c.shape.reduce((a, b) => a * b, 1);
        // Rounded values make ties; NaN and ±Inf are spliced in.
        const ties = np.reshape(np.round(values(size, size, dtype, -3, 3, [])), c.shape);
        const special = np.reshape(values(size, size + 1, dtype, -3, 3, [NaN, Infinity, -Infinity, -0, 0, NaN]), c.shape);
        const smooth = np.reshape(values(size, size + 2, dtype, -3, 3, []), c.shape);
        for (const [label, x] of [["ties", ties], ["special", special], ["smooth", smooth]] as const) {
          for (const op of ["max", "min", "sum"] as const) {
            const [got, want] = both(() => lax.reduceWindow(x, op, c.window, c.strides, c.padding));
            // Window sums are f64 sums scaled by 1/K then K: exact for K a power of two, else within an
            // ulp (an exact f64 sum of f32 values often lies on an f32 rounding tie) or 2 ulp in f64.
            const k = c.window.reduce((a, b) => a * b, 1);
            const sumUlps = (k & (k - 1)) === 0 ? 0 : dtype === "float32" ? 1 : 2;
            expectUlps(got, want, op === "sum" ? sumUlps : 0, `${op} ${label}`);
          }
          const windows = lax.reduceWindow(x, "max", c.window, c.strides, c.padding);
          const source = np.reshape(values(windows.size, 5, dtype, -2, 2, []), windows.shape);
          for (const op of ["max", "min"] as const) {
            const params = { op, windowDimensions: c.window, windowStrides: c.strides, padding: c.padding };
            const [got, want] = both(() => lax.selectAndScatterAdd(source, x, params));
            expectUlps(got, want, 0, `select_and_scatter_add ${op} ${label}`);
          }
        }
      });
    }
  }
  it("max-pool gradients through the wasm kernels match the reference", async () => {
    const { grad } = await import("../../src/index.js");
    const x = randomArray([2, 3, 12, 12], 11, { dtype: "float32" });
    const loss = (v: NdArray) => np.sum(np.tanh(lax.reduceWindow(v, "max", [1, 1, 3, 3], [1, 1, 2, 2], [[0, 0], [0, 0], [1, 1], [1, 1]])));
    const [g, r] = both(() => grad(loss)(x) as NdArray);
    assertAllclose(g, r, { rtol: 1e-6, atol: 1e-6 });
  });
});

describe("wasm thresholds", () => {
  it("minWork forces every kernel; per-kernel thresholds keep small problems in JS", async () => {
    const forced = await wasmBackend({ minWork: 0 });
    const lazy = await wasmBackend({ thresholds: { elementwiseMath: 1e9 } });
    const off = await wasmBackend({ thresholds: { elementwiseMath: Infinity } });
    expect(forced && lazy && off).toBeTruthy();
    expect(Object.keys(forced!.kernels)).toEqual(expect.arrayContaining(["exp", "tanh", "add", "reduce_sum", "argmax", "reduce_window", "select_and_scatter_add"]));
    // An infinite threshold leaves the primitives out of the table (so jit keeps fusing them in JS).
    expect(Object.keys(off!.kernels)).not.toContain("exp");
    expect(Object.keys(off!.kernels)).toContain("add");
    const x = values(100, 3, "float32", -10, 10, []);
    setBackend(referenceBackend);
    const want = lax.exp(x);
    setBackend(lazy!);
    try {
      // Above no threshold: the reference's bits exactly.
      expectUlps(lax.exp(x), want, 0, "exp on the reference path");
    } finally {
      setBackend(both.previous());
    }
  });
});
