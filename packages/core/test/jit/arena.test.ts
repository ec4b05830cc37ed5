import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, type NdArray, getBackend, grad, jit, lax, np, referenceBackend, setBackend, tree, valueAndGrad, wasmBackend, wasmMemoryOf } from "../../src/index.js";
import { assertAllclose, randomArray } from "../../src/testing/index.js";
import { STREAM_CHUNK } from "../../src/backend/wasm/reduce.js";

/** jit over an untyped program (the tests build them from arrays of arguments). */
const jitAny = jit as unknown as (f: unknown) => ((...a: NdArray[]) => unknown) & { lower(...a: NdArray[]): { plan: string; jaxpr: string } };

// jit plans with device memory: intermediates laid out in one wasm region by liveness, device and
// host steps mixed. Each program is compared bit for bit with the same backend without the arena
// (every kernel copying in and out, as eager ops do) and within rounding with the reference.
let arena: Backend;
let copying: Backend;
let previous: Backend;
beforeAll(async () => {
  previous = getBackend();
  arena = (await wasmBackend())!;
  copying = (await wasmBackend({ arena: false }))!;
});
afterAll(() => setBackend(previous));

function on<T>(be: Backend, f: () => T): T {
  const prev = setBackend(be);
  try {
    return f();
  } finally {
    setBackend(prev);
  }
}

const f32 = (shape: number[], seed: number) => randomArray(shape, seed, { dtype: "float32" });
const flat = (x: unknown): NdArray[] => tree.leaves(x as never) as NdArray[];

/** jit(f) on the arena backend equals it on the copying backend exactly, and the reference within tol. */
function agree(f: (...a: NdArray[]) => unknown, args: NdArray[], tol = 1e-5): string {
  const got = flat(on(arena, () => jitAny(f)(...args)));
  const want = flat(on(copying, () => jitAny(f)(...args)));
  const ref = flat(on(referenceBackend, () => f(...args)));
  got.forEach((g, i) => {
    expect(g.shape).toEqual(want[i]!.shape);
    expect(g.dtype).toBe(want[i]!.dtype);
    expect(Array.from(g.toTypedArray() as ArrayLike<number>)).toEqual(Array.from(want[i]!.toTypedArray() as ArrayLike<number>));
    assertAllclose(g, ref[i]!, { rtol: tol, atol: tol });
  });
  return on(arena, () => jitAny(f).lower(...args).plan);
}

describe("jit arena plans", () => {
  it("an MLP training step runs its GEMMs, reductions and fused epilogues on device", () => {
    type P = { w1: NdArray; b1: NdArray; w2: NdArray; b2: NdArray };
    const loss = (p: P, x: NdArray, y: NdArray) => np.mean(np.square(np.matmul(np.maximum(np.matmul(x, p.w1).add(p.b1), 0), p.w2).add(p.b2).sub(y)));
    const step = (p: P, x: NdArray, y: NdArray) => {
      const [l, g] = valueAndGrad(loss)(p, x, y) as [NdArray, P];
      return [{ w1: p.w1.sub(g.w1.mul(0.1)), b1: p.b1.sub(g.b1.mul(0.1)), w2: p.w2.sub(g.w2.mul(0.1)), b2: p.b2.sub(g.b2.mul(0.1)) }, l];
    };
    const p: P = { w1: f32([40, 64], 1), b1: f32([64], 2), w2: f32([64, 24], 3), b2: f32([24], 4) };
    const plan = agree(((pp: P, x: NdArray, y: NdArray) => step(pp, x, y)) as never, [p as never, f32([48, 40], 5), f32([48, 24], 6)]);
    expect(plan).toMatch(/device arena \d+ bytes \(\d+ of \d+ steps on device\)/);
    expect(plan).toMatch(/dot_general -> f32\[48,64\] \(\d+ B\) \[device\]/);
    expect(plan).toMatch(/fused\[wasm\]\{[^}]*\} -> [^\n]*\[device\]/);
  });

  it("host steps between device steps (gather, iota, cumsum, int ops) move values across correctly", () => {
    const f = (x: NdArray, idx: NdArray) => {
      const h = np.tanh(np.matmul(x, np.transpose(x)));
      const picked = np.take(h, idx, 0); // gather: host
      const c = np.cumsum(picked, 1); // host
      const r = np.reshape(c, [-1]); // alias of a host value
      return [np.sum(np.exp(r.mul(0.1))), np.matmul(picked, h), r, lax.convertElementType(np.greater(h, 0), "float32")];
    };
    const plan = agree(f as never, [f32([30, 20], 7), np.array([3, 0, 29, 7, 7, 12], { dtype: "int32" })]);
    expect(plan).toContain("[host]");
    expect(plan).toContain("[device]");
  });

  it("reductions over non-adjacent axes (bias gradients of NCHW convs) run on device and associate as eager", () => {
    const f = (x: NdArray) => [np.sum(np.tanh(x), [0, 2, 3]), np.max(x.mul(2), [0, 3]), np.sum(x, [1])];
    const plan = agree(f as never, [f32([6, 5, 17, 19], 19)]);
    expect(plan).toMatch(/reduce_sum -> f32\[5\] \(\d+ B\) \[device\]/);
    expect(plan).toMatch(/reduce_max -> f32\[5,17\] \(\d+ B\) \[device\]/);
  });

  it("a full reduction or fused chain of plan inputs that feeds only plan outputs streams on the host, as eager does", () => {
    const x = f32([2 * STREAM_CHUNK + 5], 22);
    const y = f32([2 * STREAM_CHUNK + 5], 23);
    for (const [what, f, args, step] of [
      ["sum", (a: NdArray) => np.sum(a), [x], /reduce_sum -> f32\[\] \(4 B\) \[host\]/],
      ["max then scale", (a: NdArray) => np.max(a).mul(2), [x], /reduce_max -> f32\[\] \(4 B\) \[host\]/],
      ["tanh(x·y + 1)", (a: NdArray, b: NdArray) => np.tanh(a.mul(b).add(1)), [x, y], /fused\[wasm\]\{mul,[^}]*tanh\} -> f32\[\d+\] \(\d+ B\) \[host\]/],
    ] as const) {
      const plan = agree(f as never, [...args], 1e-4);
      expect(plan, what).toMatch(step);
      expect(plan, what).toContain("(0 of");
      // The eager streamed kernels themselves, so jit and eager give the same bits.
      const eager = flat(on(arena, () => (f as (...a: NdArray[]) => NdArray)(...args)));
      const jitted = flat(on(arena, () => jitAny(f)(...args)));
      expect(Array.from(jitted[0]!.toTypedArray() as Float32Array), what).toEqual(Array.from(eager[0]!.toTypedArray() as Float32Array));
    }
    // An input that two steps read is staged once, and a chain whose value a later step reads stays on device.
    expect(agree(((a: NdArray) => [np.sum(a), np.max(a)]) as never, [x])).toMatch(/reduce_sum -> f32\[\] \(4 B\) \[device\]/);
    expect(agree((a: NdArray) => np.sum(np.exp(a.mul(0.1)), [0]).add(np.ones([1])), [x])).toMatch(/fused\[wasm\]\{[^}]*exp\} -> [^\n]*\[device\]/);
  });

  it("lone elementwise ops and argmax/argmin run on device", () => {
    const f = (x: NdArray) => {
      const m = np.matmul(x, x);
      return [np.log1p(np.abs(m)), np.argmax(m, 1), np.argmin(m, 0), np.negative(np.sum(m, 0))];
    };
    const plan = agree(f as never, [f32([40, 40], 14)]);
    expect(plan).toMatch(/argmax -> i32\[40\] \(\d+ B\) \[device\]/);
    expect(plan).toMatch(/argmin -> i32\[40\] \(\d+ B\) \[device\]/);
  });

  it("max pooling and its adjoint run on device; min pooling and overlapping windows stay correct on the host path", () => {
    const pool = (x: NdArray, op: "max" | "min", k: number, s: number) =>
      lax.reduceWindow(x, op, [1, 1, k, k], [1, 1, s, s], [[0, 0], [0, 0], [0, 0], [0, 0]]);
    const f = (x: NdArray) => np.sum(np.tanh(pool(np.maximum(x, 0), "max", 2, 2)).mul(x.sum()));
    const x = f32([4, 3, 14, 15], 16);
    const plan = agree(grad(f), [x], 1e-4);
    expect(plan).toMatch(/reduce_window -> f32\[4,3,7,7\] \(\d+ B\) \[device\]/);
    expect(plan).toMatch(/select_and_scatter_add -> f32\[4,3,14,15\] \(\d+ B\) \[device\]/);
    const g = (x: NdArray) => np.sum(pool(x, "min", 2, 2).mul(2)).add(np.sum(pool(x, "max", 3, 1)));
    agree(grad(g), [x], 1e-4);
  });

  it("convolutions and their gradients (forward, input and filter gradient) run on device", () => {
    const conv = (x: NdArray, w: NdArray) => np.conv(x, w, { padding: "SAME" });
    const loss = (w: NdArray, x: NdArray) => np.sum(np.tanh(conv(np.maximum(conv(x, w), 0), w)));
    const w = f32([6, 6, 3, 3], 17).mul(0.3);
    const x = f32([5, 6, 13, 12], 18);
    const plan = agree(grad(loss), [w, x], 1e-4);
    expect(plan).not.toMatch(/conv_general_dilated -> [^\n]*\[host\]/);
    expect(plan.match(/conv_general_dilated -> [^\n]*\[device\]/g)?.length).toBeGreaterThanOrEqual(3);
    // Input gradients with respect to x as well, and a strided conv.
    const strided = (x: NdArray, w: NdArray) => np.sum(np.square(np.conv(x, w, { strides: [2, 2], padding: "SAME" })));
    agree(grad(strided, { argnums: [0, 1] }) as never, [x, w], 1e-4);
  });

  it("on a threaded backend (shared memory, worker pool) plans give the single-threaded bits", async () => {
    const threaded = (await wasmBackend({ threads: 2, threadMinWork: 0 }))!;
    const loss = (w: NdArray, x: NdArray) => np.sum(np.tanh(np.matmul(np.maximum(np.conv(x, w, { padding: "SAME" }), 0).reshape([8, -1]), np.ones([8 * 15 * 16, 3]))));
    const args = [f32([8, 4, 3, 3], 20).mul(0.3), f32([8, 4, 15, 16], 21)];
    const want = on(copying, () => jitAny(grad(loss))(...args)) as NdArray;
    const got = on(threaded, () => jitAny(grad(loss))(...args)) as NdArray;
    expect(Array.from(got.toTypedArray() as Float32Array)).toEqual(Array.from(want.toTypedArray() as Float32Array));
    expect(on(threaded, () => jitAny(grad(loss)).lower(...args).plan)).toMatch(/conv_general_dilated -> [^\n]*\[device\]/);
  });

  it("outputs that are inputs, reshapes of inputs, literals and bool masks come out right", () => {
    const f = (x: NdArray, y: NdArray) => [x, np.reshape(y, [10, 30]), np.greater(x, 0.2), lax.full([3], 2.5, "float32"), np.matmul(np.reshape(x, [20, 15]), np.reshape(y, [15, 20]))];
    agree(f as never, [f32([300], 8), f32([300], 9)]);
  });

  it("liveness reuses bytes: a chain of 12 products needs a few buffers, not 12", () => {
    const f = (x: NdArray, w: NdArray) => {
      let h = x;
      for (let i = 0; i < 12; i++) h = np.tanh(np.matmul(h, w));
      return h;
    };
    const plan = agree(f, [f32([96, 96], 10), f32([96, 96], 11).mul(0.2)]);
    const bytes = Number(/device arena (\d+) bytes/.exec(plan)![1]);
    const one = 96 * 96 * 4;
    // Inputs, output and a couple of live intermediates at any time; 26 values in all.
    expect(bytes).toBeLessThanOrEqual(6 * one);
    expect(bytes).toBeGreaterThanOrEqual(3 * one);
  });

  it("nested jit, grad of jit and jit of grad agree, and runs leave wasm memory where they found it", () => {
    const inner = jit((a: NdArray) => np.tanh(np.matmul(a, a)).mul(2));
    const f = (x: NdArray) => np.sum(inner(np.exp(x.mul(0.1))).mul(x));
    const x = f32([24, 24], 12);
    agree(f, [x]);
    agree(grad(f), [x], 1e-4);
    const before = wasmMemoryOf(arena)!;
    const g = jit(grad(f));
    on(arena, () => {
      for (let i = 0; i < 50; i++) g(x);
    });
    const after = wasmMemoryOf(arena)!;
    expect(after.top).toBe(before.top);
    expect(after.bytes).toBeLessThanOrEqual(before.bytes + 4 * 1024 * 1024);
  });
});
