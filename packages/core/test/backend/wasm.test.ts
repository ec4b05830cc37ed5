import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, type NdArray, getBackend, lax, np, referenceBackend, setBackend, wasmBackend } from "../../src/index.js";
import { assertAllclose, randomArray } from "../../src/testing/index.js";

// Every wasm kernel against the reference on awkward sizes, layouts and special values; minWork 0
// forces the wasm path even for tiny problems.
let wasm: Backend;
let previous: Backend;
beforeAll(async () => {
  previous = getBackend();
  const be = await wasmBackend({ minWork: 0 });
  if (!be) throw new Error("WebAssembly SIMD unavailable");
  wasm = be;
});
afterAll(() => setBackend(previous));

function both<T extends NdArray>(f: () => T): [T, T] {
  setBackend(referenceBackend);
  const r = f();
  setBackend(wasm);
  try {
    return [f(), r];
  } finally {
    setBackend(previous);
  }
}

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
