import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, type NdArray, getBackend, grad, jit, lax, np, referenceBackend, setBackend, wasmBackend } from "../../src/index.js";
import { assertAllclose, checkJit, randomArray } from "../../src/testing/index.js";

/** jit over an untyped program (the tests build them from arrays of arguments). */
const jitAny = jit as unknown as (f: unknown) => ((...a: NdArray[]) => unknown) & { lower(...a: NdArray[]): { plan: string; jaxpr: string } };

// jit's fused elementwise groups on the wasm block interpreter: bit-identical to the eager wasm ops,
// within float32 rounding of the reference, on sizes that exercise block (1024) and chunk (8192)
// boundaries, partial vectors and broadcast runs that straddle both.
let wasm: Backend;
let previous: Backend;
beforeAll(async () => {
  previous = getBackend();
  const be = await wasmBackend();
  if (!be) throw new Error("WebAssembly SIMD unavailable");
  wasm = be;
});
afterAll(() => setBackend(previous));

function onWasm<T>(f: () => T): T {
  setBackend(wasm);
  try {
    return f();
  } finally {
    setBackend(previous);
  }
}

const f32 = (shape: number[], seed: number, lo = -2, hi = 2) => randomArray(shape, seed, { dtype: "float32", lo, hi });

/** The plan of jit(f) on the wasm backend. */
const planOf = (f: (...a: NdArray[]) => unknown, args: NdArray[]) => onWasm(() => jitAny(f).lower(...args).plan);

// Shapes: odd totals (partial vectors), one block plus a bit, several chunks plus a partial one.
const SHAPES: number[][] = [[257], [3, 341], [1025], [7, 1201], [8192 * 2 + 37]];

describe("wasm fused elementwise programs", () => {
  it("transcendental chains run as one wasm program, bit-identical to eager wasm", () => {
    const f = (x: NdArray, y: NdArray) => np.tanh(x.mul(y).add(1)).mul(np.exp(np.negative(np.abs(x)))).sub(np.sigmoid(y.mul(3)));
    for (const [k, s] of SHAPES.entries()) {
      const args = [f32(s, 10 + k), f32(s, 20 + k)];
      onWasm(() => checkJit(f, args, { rtol: 0, atol: 0 }));
      // Against the reference: only the kernels' approximation error (a few ulp).
      setBackend(referenceBackend);
      const want = f(args[0]!, args[1]!);
      setBackend(previous);
      assertAllclose(onWasm(() => jit(f)(args[0]!, args[1]!)), want, { rtol: 2e-6, atol: 2e-6 });
    }
    expect(planOf(f, [f32([1025], 1), f32([1025], 2)])).toMatch(/^plan: 1 steps[\s\S]*fused\[wasm\]\{/);
  });

  it("comparisons, select, bool inputs and outputs, logical ops and conversions", () => {
    const f = (x: NdArray, y: NdArray, m: NdArray) => {
      const gt = lax.gt(x, y);
      const both = lax.and(gt, m);
      const either = lax.or(lax.not(gt), lax.xor(m, lax.le(x, lax.full(x.shape, 0.25, "float32"))));
      const picked = lax.selectN(both, lax.mul(x, y), lax.sub(x, y));
      const asFloat = lax.convertElementType(either, "float32");
      const back = lax.convertElementType(lax.add(picked, asFloat), "bool");
      return [picked.add(asFloat), both, back, lax.eq(x, lax.stopGradient(x)), lax.ne(y, x), lax.ge(x, y), lax.lt(y, x)];
    };
    for (const [k, s] of SHAPES.entries()) {
      const x = f32(s, 30 + k);
      // A third of y equals x, so ties separate lt from le and gt from ge.
      const y = np.where(np.greater(f32(s, 45 + k), 0.33), x, f32(s, 40 + k));
      const m = np.greater(f32(s, 50 + k), 0);
      onWasm(() => checkJit(f as never, [x, y, m], { rtol: 0, atol: 0 }));
    }
    expect(planOf(f as never, [f32([999], 1), f32([999], 2), np.greater(f32([999], 3), 0)])).toMatch(/fused\[wasm\]\{[^}]*select_n/);
  });

  it("NaN and infinities flow as in the eager ops (max/min propagate NaN, comparisons with NaN are false)", () => {
    const n = 1031;
    const vals = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 3.5];
    const x = np.array(Array.from({ length: n }, (_, i) => vals[i % vals.length]!));
    // Every ordered pair of special values occurs.
    const y = np.array(Array.from({ length: n }, (_, i) => vals[Math.floor(i / vals.length) % vals.length]!));
    const f = (a: NdArray, b: NdArray) => [np.maximum(a, b).add(np.minimum(a, b)), np.where(a.gt(b), a, b), np.where(a.ge(b), a, b.mul(2)), np.exp(a).mul(b), np.tanh(a.add(b))];
    onWasm(() => checkJit(f as never, [x, y], { rtol: 0, atol: 0 }));
  });

  it("broadcast operands (bias rows, per-row values, scalars, literals) are read at their own index", () => {
    const f = (x: NdArray, bias: NdArray, rows: NdArray, s: NdArray) =>
      np.maximum(x.add(bias).mul(rows).sub(s), 0).add(2.5).mul(np.exp(s));
    for (const [r, c] of [[3, 341], [64, 100], [5, 2049], [300, 37]] as const) {
      const args = [f32([r, c], 60 + r), f32([c], 61 + c), f32([r, 1], 62 + r), f32([], 63)];
      onWasm(() => checkJit(f, args, { rtol: 0, atol: 0 }));
    }
    // An NCHW bias (broadcast along axis 1 of four): inner = H·W, a run crossing block boundaries.
    const g = (x: NdArray, b: NdArray) => np.maximum(x.add(np.reshape(b, [1, 5, 1, 1])), 0);
    onWasm(() => checkJit(g, [f32([3, 5, 29, 31], 70), f32([5], 71)], { rtol: 0, atol: 0 }));
    expect(planOf(g, [f32([3, 5, 29, 31], 70), f32([5], 71)])).toMatch(/fused\[wasm\]\{broadcast_in_dim,add/);
  });

  it("a value that is both a group output and read later, and an output that aliases an input, come out right", () => {
    const f = (x: NdArray) => {
      const h = np.tanh(x.mul(2));
      const total = np.sum(h);
      return [h, h.mul(total), lax.stopGradient(x), lax.convertElementType(x, "float32")];
    };
    onWasm(() => checkJit(f as never, [f32([4099], 80)], { rtol: 0, atol: 0 }));
  });

  it("gradients of fused programs (ReLU masks, constant broadcasts rematerialised per consumer) match eager", () => {
    const loss = (w: NdArray, x: NdArray) => np.sum(np.square(np.maximum(np.matmul(x, w).add(0.1), 0)));
    const args = [f32([40, 50], 90), f32([64, 40], 91)];
    onWasm(() => checkJit(grad(loss), args, { rtol: 0, atol: 0 }));
    // The zeros of ReLU's select are a broadcast of a literal: no plan step may materialise them on their own.
    expect(planOf(grad(loss) as never, args)).not.toMatch(/fused\[\w+\]\{broadcast_in_dim\} -> f32\[64,50\]/);
  });

  it("groups the kernels cannot take (float64, int32) stay generated JS loops and stay exact", () => {
    const f = (x: NdArray, i: NdArray) => np.sin(x.mul(2)).add(np.astype(i, "float64"));
    const args = [randomArray([700], 95, { dtype: "float64" }), np.arange(700).astype("int32")];
    onWasm(() => checkJit(f, args, { rtol: 0, atol: 0 }));
    expect(planOf(f, args)).not.toContain("fused[wasm]");
  });

  it("can be turned off with wasmBackend({ fusion: false })", async () => {
    const be = (await wasmBackend({ fusion: false }))!;
    expect(be.fuse).toBeUndefined();
    const prev = setBackend(be);
    try {
      const f = (x: NdArray) => np.tanh(x.mul(2)).add(1);
      expect(jit(f).lower(f32([2048], 1)).plan).not.toContain("fused[wasm]");
      checkJit(f, [f32([2048], 1)], { rtol: 0, atol: 0 });
    } finally {
      setBackend(prev);
    }
  });
});
