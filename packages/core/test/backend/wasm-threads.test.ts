/** The wasm backend's `threads` option: GEMMs, convs and Winograd filter gradients on a worker pool against the reference and the single-threaded backend. */
import { describe, expect, it } from "vitest";
import { type Backend, type NdArray, jit, lax, np, referenceBackend, setBackend, vjp, wasmBackend } from "../../src/index.js";
import { assertAllclose, randomArray } from "../../src/testing/index.js";
import { wasmAgainstReference } from "./wasm-vs-reference.js";

const both = wasmAgainstReference();

/** f's result on backend `be`, the previous backend restored afterwards. */
function run<T>(be: Backend, f: () => T): T {
  setBackend(be);
  try {
    return f();
  } finally {
    setBackend(both.previous());
  }
}

describe("wasm threads option", () => {
  it("passes threadSpinMs to the pool (0: workers sleep at once) and still computes the same GEMM", async () => {
    const { threadPoolOf } = await import("../../src/backend/wasm/backend.js");
    const sleepy = await wasmBackend({ threads: 2, minWork: 0, threadMinWork: 0, threadSpinMs: 0 });
    const pool = threadPoolOf(sleepy!)!;
    expect(pool.spinMs).toBe(0);
    const a = randomArray([131, 90], 7, { dtype: "float32" }), b = randomArray([90, 40], 8, { dtype: "float32" });
    const calls = pool.parallelCalls;
    const got = run(sleepy!, () => np.matmul(a, b));
    expect(pool.parallelCalls).toBe(calls + 1);
    expect(got.toArray()).toEqual(run(both.wasm(), () => np.matmul(a, b)).toArray());
    pool.release();
  });

  it("threads: 2 splits large GEMMs over a worker pool and matches the reference and the single-threaded backend", async () => {
    const { threadPoolOf } = await import("../../src/backend/wasm/backend.js");
    const threaded = await wasmBackend({ threads: 2, minWork: 0, threadMinWork: 0 });
    expect(threaded).not.toBeNull();
    const pool = threadPoolOf(threaded!);
    expect(pool, "a pool where shared memory and worker_threads exist (Node)").toBeDefined();
    expect(pool!.threads).toBe(2);
    expect(pool!.spinMs, "the pool's default spin").toBe(1);
    expect(threadPoolOf(both.wasm())).toBeUndefined();
    let seed = 100;
    for (const dtype of ["float32", "float64"] as const) {
      const tol = dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-12 };
      for (const [m, k, n] of [[9, 17, 5], [33, 70, 41], [131, 300, 77], [257, 9, 130]] as const) {
        const a = randomArray([m, k], seed++, { dtype });
        const b = randomArray([k, n], seed++, { dtype });
        for (const f of [() => np.matmul(a, b), () => lax.dotGeneral(np.transpose(a), b, [[0], [0]])]) {
          const want = run(referenceBackend, f);
          assertAllclose(run(threaded!, f), want, tol, `threaded ${dtype} ${m}x${k}x${n}`);
          assertAllclose(run(threaded!, f), run(both.wasm(), f), tol, `threaded vs single ${dtype} ${m}x${k}x${n}`);
        }
      }
      // Batched products: one split GEMM per batch element.
      const x = randomArray([3, 20, 30], seed++, { dtype }), y = randomArray([3, 30, 11], seed++, { dtype });
      assertAllclose(run(threaded!, () => np.matmul(x, y)), run(referenceBackend, () => np.matmul(x, y)), tol, "batched");
    }
    expect(pool!.parallelCalls).toBeGreaterThan(0);
    // The im2col conv path runs its GEMM on the pool too.
    const before = pool!.parallelCalls;
    const cx = randomArray([2, 4, 9, 7], 5, { dtype: "float32" }), cw = randomArray([6, 4, 3, 2], 6, { dtype: "float32" });
    const conv = () => lax.convGeneralDilated(cx, cw, [1, 1], [[2, 2], [1, 1]], { lhsDilation: [2, 2] });
    assertAllclose(run(threaded!, conv), run(referenceBackend, conv), { rtol: 1e-5, atol: 1e-5 }, "conv (im2col) threaded");
    expect(pool!.parallelCalls).toBeGreaterThan(before);
    pool!.release();
  });

  it("threads: 2 splits large direct convs over the batch, bit for bit equal to the single-threaded backend", async () => {
    const { threadPoolOf } = await import("../../src/backend/wasm/backend.js");
    const threaded = await wasmBackend({ threads: 2, minWork: 0, threadMinWork: 0 });
    const pool = threadPoolOf(threaded!)!;
    expect(pool).toBeDefined();
    let seed = 300;
    for (const dtype of ["float32", "float64"] as const) {
      // Odd batch, SAME padding, strides; grouped NHWC; a single image (stays on the calling thread).
      const cases = [
        { x: [5, 3, 9, 8], w: [4, 3, 3, 3], strides: [1, 1], pad: [[1, 1], [1, 1]], opts: {} },
        { x: [3, 6, 11, 10], w: [6, 2, 3, 2], strides: [2, 1], pad: [[0, 1], [1, 0]], opts: { featureGroupCount: 3 } },
        { x: [4, 7, 9, 6], w: [3, 3, 3, 8], strides: [1, 2], pad: [[1, 1], [0, 0]], opts: { featureGroupCount: 2, dimensionNumbers: { lhs: [0, 3, 1, 2], rhs: [3, 2, 0, 1], out: [0, 3, 1, 2] } } },
        { x: [1, 3, 9, 8], w: [4, 3, 3, 3], strides: [1, 1], pad: [[1, 1], [1, 1]], opts: {} },
        // 3×3, unit stride, 8 channels in and out: the f32 forward runs Winograd's F(2×2, 3×3) per slice.
        { x: [5, 8, 9, 7], w: [8, 8, 3, 3], strides: [1, 1], pad: [[1, 1], [1, 1]], opts: {} },
      ] as const;
      for (const c of cases) {
        const x = randomArray([...c.x], seed++, { dtype }), w = randomArray([...c.w], seed++, { dtype });
        const conv = () => lax.convGeneralDilated(x, w, [...c.strides], c.pad.map((p) => [...p]) as [number, number][], c.opts);
        const before = pool.parallelCalls;
        const got = run(threaded!, conv);
        expect(pool.parallelCalls, `${dtype} ${c.x} parallel`).toBe(before + (c.x[0] >= 2 ? 1 : 0));
        expect(got.toArray(), `${dtype} ${c.x} vs single`).toEqual(run(both.wasm(), conv).toArray());
        assertAllclose(got, run(referenceBackend, conv), dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-12 }, `${dtype} ${c.x} vs reference`);
      }
    }
    pool.release();
  });

  it("threads: 2 splits large Winograd filter gradients over output channels, bit for bit equal to the single-threaded backend, eagerly and under jit", async () => {
    const { threadPoolOf } = await import("../../src/backend/wasm/backend.js");
    const threaded = await wasmBackend({ threads: 2, minWork: 0, threadMinWork: 0 });
    const pool = threadPoolOf(threaded!)!;
    // 3×3 SAME, 16 → 20 channels: the rhs transpose of this conv is the module's Winograd filter gradient.
    const f32 = { dtype: "float32" } as const;
    const x = randomArray([3, 16, 9, 8], 410, f32), w = randomArray([20, 16, 3, 3], 411, f32), dy = randomArray([3, 20, 9, 8], 412, f32);
    const conv = (k: NdArray) => lax.convGeneralDilated(x, k, [1, 1], [[1, 1], [1, 1]]);
    const dw = (k: NdArray) => (vjp(conv, k)[1](dy) as NdArray[])[0]!;
    // Eagerly the vjp also runs the forward conv (split over the batch); jit drops it, leaving the filter gradient alone.
    for (const [what, f, calls] of [["eager", dw, 2], ["jit", jit(dw), 1]] as const) {
      const before = pool.parallelCalls;
      const got = run(threaded!, () => f(w));
      expect(pool.parallelCalls - before, `${what} parallel calls`).toBe(calls);
      expect(got.toArray(), `${what} vs single`).toEqual(run(both.wasm(), () => f(w)).toArray());
      assertAllclose(got, run(referenceBackend, () => f(w)), { rtol: 1e-4, atol: 1e-4 }, `${what} vs reference`);
    }
    pool.release();
  });

  it("threads: 2 runs elementwise ops and programs on host arrays, reductions and pooling on an unshared module, with the single-threaded backend's bits", async () => {
    const { threadPoolOf, wasmMemoryOf } = await import("../../src/backend/wasm/backend.js");
    const threaded = (await wasmBackend({ threads: 2 }))!;
    const before = wasmMemoryOf(threaded)!.bytes;
    // 2^22 f32 (16 MiB) per operand: staged in the shared memory, they would have to grow it.
    const x = randomArray([1 << 22], 7, { dtype: "float32" });
    const y = randomArray([1 << 22], 8, { dtype: "float32" });
    const img = randomArray([8, 16, 128, 128], 9, { dtype: "float32" });
    const fused = jit((p: NdArray, q: NdArray) => np.tanh(np.add(np.multiply(p, q), 1)));
    const ops: [string, () => NdArray][] = [
      ["tanh", () => np.tanh(x)],
      ["mul", () => np.multiply(x, y)],
      ["sum", () => np.sum(x)],
      ["max over an axis", () => np.max(np.reshape(x, [1024, 4096]), 1)],
      ["argmax", () => np.argmax(np.reshape(x, [4096, 1024]), 1)],
      ["select (a program)", () => np.where(np.greater(x, 0), x, y)],
      ["jit tanh(x·y+1) (a fused group on host arrays)", () => fused(x, y)],
      ["max pool", () => lax.reduceWindow(img, "max", [1, 1, 2, 2], [1, 1, 2, 2], [[0, 0], [0, 0], [0, 0], [0, 0]])],
    ];
    const bytes = (a: NdArray) => {
      const d = a.toTypedArray();
      return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    };
    for (const [name, f] of ops) expect(bytes(run(threaded, f)).equals(bytes(run(both.wasm(), f))), name).toBe(true);
    expect(wasmMemoryOf(threaded)!.bytes, "the pool's shared memory did not grow").toBe(before);
    threadPoolOf(threaded)?.release();
  });

  it("threads: 1 (the default) is single-threaded", async () => {
    const { threadPoolOf } = await import("../../src/backend/wasm/backend.js");
    const be = await wasmBackend({ threads: 1 });
    expect(be).not.toBeNull();
    expect(threadPoolOf(be!)).toBeUndefined();
  });
});
