/** A jitted training step run 10,000 times keeps memory flat and never retraces unless a shape changes. */
import { describe, expect, it } from "vitest";
import { getBackend, jit, np, valueAndGrad, wasmMemoryOf, type NdArray } from "../../src/index.js";
import { randomArray } from "../../src/testing/index.js";

type Params = { w1: NdArray; b1: NdArray; w2: NdArray; b2: NdArray };

const loss = (p: Params, x: NdArray, y: NdArray) => {
  const h = np.tanh(np.matmul(x, p.w1).add(p.b1));
  const out = np.matmul(h, p.w2).add(p.b2);
  return np.mean(np.square(out.sub(y)));
};

/** One SGD step, written inline with np ops. */
const step = (p: Params, x: NdArray, y: NdArray): [Params, NdArray] => {
  const [l, g] = valueAndGrad(loss)(p, x, y) as [NdArray, Params];
  const lr = 0.05;
  return [{ w1: p.w1.sub(g.w1.mul(lr)), b1: p.b1.sub(g.b1.mul(lr)), w2: p.w2.sub(g.w2.mul(lr)), b2: p.b2.sub(g.b2.mul(lr)) }, l];
};

const MB = 1024 * 1024;
const mem = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers, rss: m.rss };
};

describe("jit memory", () => {
  it("a jitted training step called 10,000 times keeps the heap flat and the cache at one entry", () => {
    const f32 = { dtype: "float32" } as const;
    let params: Params = {
      w1: randomArray([4, 16], 1, { ...f32, lo: -0.5, hi: 0.5 }),
      b1: np.zeros([16]),
      w2: randomArray([16, 1], 2, { ...f32, lo: -0.5, hi: 0.5 }),
      b2: np.zeros([1]),
    };
    const x = randomArray([8, 4], 3, f32);
    const y = np.sum(np.sin(x), 1, { keepdims: true });
    const jstep = jit(step);
    let l: NdArray | undefined;
    const first = Number(jstep(params, x, y)[1].item());
    // Warm-up: compile, fill caches, let the JIT compiler settle.
    for (let i = 0; i < 500; i++) [params, l] = jstep(params, x, y);
    const before = mem();
    // On the wasm backend: the kernels' memory and the arena's top (plans take and give back a region per call).
    const wasmBefore = wasmMemoryOf(getBackend());
    const t0 = performance.now();
    const N = 10_000;
    let peakHeap = before.heap;
    for (let i = 0; i < N; i++) {
      [params, l] = jstep(params, x, y);
      if (i % 500 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const ms = performance.now() - t0;
    const after = mem();
    const growth = (after.heap - before.heap) / MB;
    console.log(
      `${N} jitted steps in ${ms.toFixed(0)} ms (${((ms * 1000) / N).toFixed(1)} µs/step); heapUsed ${(before.heap / MB).toFixed(1)} → ${(after.heap / MB).toFixed(1)} MB ` +
        `(growth ${growth.toFixed(1)} MB, peak ${(peakHeap / MB).toFixed(1)} MB); arrayBuffers ${(before.buffers / MB).toFixed(1)} → ${(after.buffers / MB).toFixed(1)} MB; ` +
        `rss ${(before.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB; loss ${first.toFixed(4)} → ${Number(l!.item()).toExponential(2)}`,
    );
    // Without gc() the heap saws up and down between collections: a generous bound on net growth.
    expect(growth).toBeLessThan(50);
    expect((after.buffers - before.buffers) / MB).toBeLessThan(50);
    expect(Number(l!.item())).toBeLessThan(first);
    expect(jstep.cacheInfo()).toEqual({ hits: 500 + N, misses: 1, size: 1 });
    const wasmAfter = wasmMemoryOf(getBackend());
    if (wasmBefore && wasmAfter) {
      console.log(`wasm memory ${wasmBefore.bytes} → ${wasmAfter.bytes} bytes; arena top ${wasmBefore.top} → ${wasmAfter.top}`);
      expect(wasmAfter.top).toBe(wasmBefore.top);
      expect(wasmAfter.bytes).toBe(wasmBefore.bytes);
    }
  });

  it("retraces on a shape change and not otherwise", () => {
    const params: Params = { w1: np.ones([4, 16]).mul(0.1), b1: np.zeros([16]), w2: np.ones([16, 1]).mul(0.1), b2: np.zeros([1]) };
    const jstep = jit(step);
    const x8 = np.ones([8, 4]);
    jstep(params, x8, np.ones([8, 1]));
    jstep(params, x8.mul(2), np.zeros([8, 1])); // new values, same shapes: cached
    expect(jstep.cacheInfo()).toEqual({ hits: 1, misses: 1, size: 1 });
    jstep(params, np.ones([5, 4]), np.ones([5, 1])); // new batch size: retrace
    expect(jstep.cacheInfo()).toEqual({ hits: 1, misses: 2, size: 2 });
    jstep(params, x8, np.ones([8, 1])); // back to the first shape: cached
    jstep(params, np.ones([5, 4]), np.ones([5, 1]));
    expect(jstep.cacheInfo()).toEqual({ hits: 3, misses: 2, size: 2 });
    jstep(params, np.astype(x8, "float64"), np.ones([8, 1])); // dtype change: retrace
    expect(jstep.cacheInfo()).toEqual({ hits: 3, misses: 3, size: 3 });
  });
});
