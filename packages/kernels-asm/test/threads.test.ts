/** The worker pool: threaded GEMM, conv forward and conv filter gradient equal the single-threaded kernel on awkward sizes, idle release and respawn, no hanging process. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Arena, type ConvGeometry, type ConvOptions, KernelPool, type WorkerHost, contiguousStrides, encodeConv, nchwConv, sharedMemorySupported } from "../src/index.js";
import { uniformF32, uniformF64 } from "./_kernels.js";

let pool: KernelPool;
let arena: Arena;
beforeAll(async () => {
  const p = await KernelPool.create({ threads: 3, minWork: 0 });
  if (!p) throw new Error("no shared memory or worker threads in this runtime");
  pool = p;
  arena = new Arena(p.kernels);
});
afterAll(() => pool?.release());

type Case = { m: number; n: number; k: number; ta?: boolean; tb?: boolean; beta?: number; f64?: boolean; padC?: number };

/** Run one GEMM single-threaded and on the pool on the same inputs; the results must be identical. */
function check({ m, n, k, ta = false, tb = false, beta = 0, f64 = false, padC = 0 }: Case): void {
  arena.reset();
  const gen = f64 ? uniformF64 : uniformF32;
  const bytes = f64 ? 8 : 4;
  const a = gen(m * k, m + k), b = gen(k * n, n + k + 1), c0 = gen(m * (n + padC), 3);
  const pa = arena.put(a), pb = arena.put(b);
  const [rsa, csa] = ta ? [1, m] : [k, 1];
  const [rsb, csb] = tb ? [1, k] : [n, 1];
  const rsc = n + padC;
  const pc1 = arena.put(c0), pc2 = arena.put(c0);
  const single = f64 ? pool.kernels.gemm_f64 : pool.kernels.gemm_f32;
  expect(single(m, n, k, pa, rsa, csa, pb, rsb, csb, beta, pc1, rsc, 1)).toBe(0);
  const before = pool.parallelCalls;
  expect(pool.gemm(f64, m, n, k, pa, rsa, csa, pb, rsb, csb, beta, pc2, rsc, 1)).toBe(0);
  // Whole micro-tile row blocks: each element is computed by exactly the same operations.
  const view = (p: number) => Array.from(f64 ? arena.f64(p, m * rsc) : arena.f32(p, m * rsc));
  expect(view(pc2), `m=${m} n=${n} k=${k} ta=${ta} tb=${tb} beta=${beta} f64=${f64}`).toEqual(view(pc1));
  if (m >= 8 && k > 0 && n > 0) expect(pool.parallelCalls).toBe(before + 1);
  void bytes;
}

/** Run one conv forward single-threaded and on the pool on the same inputs; the results must be identical. */
function checkConv(g: ConvGeometry, f64 = false, seed = 1): void {
  arena.reset();
  const gen = f64 ? uniformF64 : uniformF32;
  const [xn, xc, xh, xw] = g.xStrides, [yn, yc, yh, yw] = g.yStrides;
  // Elements spanned by each view (strides may be padded or permuted).
  const span = (dims: number[], st: readonly number[]) => dims.reduce((acc, d, i) => acc + (d - 1) * st[i]!, 0) + 1;
  const xLen = span([g.n, g.c, g.h, g.w], [xn, xc, xh, xw]), yLen = span([g.n, g.o, g.oh, g.ow], [yn, yc, yh, yw]);
  const pg = arena.putI32(encodeConv(g));
  const px = arena.put(gen(xLen, seed)), pw = arena.put(gen((g.o * g.c / g.groups) * g.kh * g.kw, seed + 1));
  // Outputs start from the same garbage, so untouched padding must stay equal too.
  const y0 = gen(yLen, seed + 2);
  const py1 = arena.put(y0), py2 = arena.put(y0);
  const single = f64 ? pool.kernels.conv2d_forward_f64 : pool.kernels.conv2d_forward_f32;
  expect(single(pg, px, pw, py1)).toBe(0);
  const before = pool.parallelCalls;
  const mark = pool.kernels.arena_mark();
  expect(pool.conv2d(f64, pg, px, pw, py2)).toBe(0);
  expect(pool.kernels.arena_mark()).toBe(mark);
  const view = (p: number) => Array.from(f64 ? arena.f64(p, yLen) : arena.f32(p, yLen));
  expect(view(py2), `${JSON.stringify(g)} f64=${f64}`).toEqual(view(py1));
  expect(pool.parallelCalls).toBe(before + (g.n >= 2 && g.oh * g.ow > 0 ? 1 : 0));
}

/**
 * The f32 filter gradient of g single-threaded and through the pool on the same inputs (a NaN in x's
 * last element when `nan`): the results must be identical. Returns how many parallel calls the pool made.
 */
function checkFilter(g: ConvGeometry, seed: number, nan = false): number {
  arena.reset();
  const x = uniformF32(g.n * g.c * g.h * g.w, seed), dy = uniformF32(g.n * g.o * g.oh * g.ow, seed + 1);
  if (nan) x[x.length - 1] = NaN;
  const nw = g.o * (g.c / g.groups) * g.kh * g.kw;
  const pg = arena.putI32(encodeConv(g)), px = arena.put(x), pdy = arena.put(dy);
  const pw1 = arena.put(uniformF32(nw, seed + 2)), pw2 = arena.put(uniformF32(nw, seed + 3));
  expect(pool.kernels.conv2d_backward_filter_f32(pg, px, pdy, pw1)).toBe(0);
  const before = pool.parallelCalls;
  const mark = pool.kernels.arena_mark();
  expect(pool.conv2dFilter(false, pg, px, pdy, pw2)).toBe(0);
  expect(pool.kernels.arena_mark()).toBe(mark);
  expect(Array.from(arena.f32(pw2, nw)), JSON.stringify(g)).toEqual(Array.from(arena.f32(pw1, nw)));
  return pool.parallelCalls - before;
}

/** NHWC strides for an NCHW-ordered geometry (x [n, h, w, c], y [n, oh, ow, o] in memory). */
function nhwc(g: ConvGeometry): ConvGeometry {
  const [xn, xh, xw, xc] = contiguousStrides([g.n, g.h, g.w, g.c]);
  const [yn, yh, yw, yc] = contiguousStrides([g.n, g.oh, g.ow, g.o]);
  return { ...g, xStrides: [xn!, xc!, xh!, xw!], yStrides: [yn!, yc!, yh!, yw!] };
}

describe.skipIf(!sharedMemorySupported())("KernelPool", () => {
  it("loads a threads build on shared memory and starts its workers", () => {
    expect(["kernels-mt", "kernels-relaxed-mt"]).toContain(pool.build);
    expect(pool.liveWorkers).toBe(2);
    const buffer = pool.kernels.memory.buffer as unknown;
    expect(buffer instanceof SharedArrayBuffer).toBe(true);
  });

  it("equals the single-threaded GEMM on awkward sizes, all transposes, beta and padded C (f32, f64)", () => {
    for (const f64 of [false, true]) {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        for (const m of [1, 4, 5, 7, 8, 9, 13, 33, 131, 257]) for (const [n, k] of [[1, 1], [9, 17], [33, 300], [70, 515]] as const) check({ m, n, k, ta, tb, f64 });
      }
      check({ m: 37, n: 23, k: 300, beta: 0.5, f64, padC: 3 });
      check({ m: 12, n: 4100, k: 5, f64 });
      check({ m: 9, n: 6, k: 0, beta: 2, f64 });
    }
  });

  it("conv2d forward split over the batch equals the single-threaded kernel (odd N, groups, strides, padding, dilation, NHWC, f32, f64)", () => {
    for (const f64 of [false, true]) {
      let seed = 10;
      for (const n of [1, 2, 3, 5, 7]) {
        checkConv(nchwConv([n, 3, 9, 7], [4, 3, 3, 3]), f64, seed++);
        checkConv(nchwConv([n, 6, 11, 10], [9, 2, 3, 2], { groups: 3, stride: [2, 3], padding: [[1, 2], [0, 1]] }), f64, seed++);
        checkConv(nhwc(nchwConv([n, 4, 8, 9], [6, 4, 3, 3], { padding: [[1, 1], [1, 1]], dilation: [2, 1] })), f64, seed++);
        checkConv(nhwc(nchwConv([n, 8, 7, 7], [8, 1, 3, 3], { groups: 8, stride: [2, 2], padding: [[1, 1], [1, 1]] })), f64, seed++);
      }
      // Padded batch stride on both x and y (a view into a larger buffer), odd N over three threads.
      const g = nchwConv([5, 3, 6, 6], [5, 3, 2, 2]);
      checkConv({ ...g, xStrides: [3 * 36 + 7, 36, 6, 1], yStrides: [5 * 25 + 3, 25, 5, 1] }, f64, seed++);
      // Fewer images than threads, each image in several bands of output rows (K·OH·OW > the band size).
      checkConv(nchwConv([2, 64, 60, 60], [8, 64, 3, 3]), f64, seed++);
      // Empty output: nothing to split.
      checkConv(nchwConv([4, 2, 2, 2], [3, 2, 3, 3]), f64, seed++);
    }
  });

  it("conv2d filter gradient split over output channels equals the single-threaded pass bit for bit", () => {
    const same: ConvOptions = { padding: [[1, 1], [1, 1]] };
    // Winograd shapes: whole 4-filter panels per thread, a partial last panel, several blocks of tiles.
    expect(checkFilter(nchwConv([3, 16, 9, 7], [16, 16, 3, 3], same), 1)).toBe(1);
    expect(checkFilter(nchwConv([2, 17, 14, 15], [19, 17, 3, 3], same), 2)).toBe(1);
    expect(checkFilter(nchwConv([4, 32, 14, 14], [64, 32, 3, 3], same), 3)).toBe(1);
    // No Winograd pass (8 channels; stride 2): the whole pass on this thread.
    expect(checkFilter(nchwConv([3, 8, 9, 7], [8, 8, 3, 3], same), 4)).toBe(0);
    expect(checkFilter(nchwConv([3, 16, 9, 7], [16, 16, 3, 3], { ...same, stride: [2, 2] }), 5)).toBe(0);
    // A NaN: the parts decline and the whole pass runs (the direct fallback), as single-threaded.
    expect(checkFilter(nchwConv([3, 16, 9, 7], [16, 16, 3, 3], same), 6, true)).toBe(1);
  });

  it("conv2d reports bad geometry and stays single-threaded below minWork", async () => {
    arena.reset();
    const bad = arena.putI32(encodeConv(nchwConv([4, 3, 5, 5], [4, 3, 3, 3], { groups: 2 })));
    const before = pool.parallelCalls;
    expect(pool.conv2d(false, bad, arena.alloc(4 * 75 * 4), arena.alloc(4 * 27 * 4), arena.alloc(4 * 36 * 4))).toBe(3);
    expect(pool.parallelCalls).toBe(before);
    const p = (await KernelPool.create({ threads: 2, minWork: 1e9 }))!;
    const ar = new Arena(p.kernels);
    const pg = ar.putI32(encodeConv(nchwConv([4, 8, 16, 16], [8, 8, 3, 3])));
    expect(p.conv2d(false, pg, ar.alloc(4 * 8 * 256 * 4), ar.alloc(8 * 72 * 4), ar.alloc(4 * 8 * 196 * 4))).toBe(0);
    expect(p.parallelCalls).toBe(0);
    p.release();
  });

  it("stays on the calling thread below minWork and for fewer rows than threads have tiles", async () => {
    const p = (await KernelPool.create({ threads: 2, minWork: 1e9 }))!;
    const ar = new Arena(p.kernels);
    const pa = ar.put(uniformF32(64 * 64, 1)), pc = ar.alloc(64 * 64 * 4);
    expect(p.gemm(false, 64, 64, 64, pa, 64, 1, pa, 64, 1, 0, pc, 64, 1)).toBe(0);
    expect(p.gemm(false, 7, 64, 64, pa, 64, 1, pa, 64, 1, 0, pc, 64, 1)).toBe(0);
    expect(p.parallelCalls).toBe(0);
    p.release();
  });

  it("terminates idle workers and starts them again on the next large call", async () => {
    const p = (await KernelPool.create({ threads: 2, minWork: 0, idleMs: 50 }))!;
    const ar = new Arena(p.kernels);
    const a = uniformF32(64 * 48, 5);
    const pa = ar.put(a), pc = ar.alloc(64 * 64 * 4), pr = ar.alloc(64 * 64 * 4);
    p.kernels.gemm_f32(64, 64, 48, pa, 48, 1, pa, 64, 1, 0, pr, 64, 1);
    expect(p.gemm(false, 64, 64, 48, pa, 48, 1, pa, 64, 1, 0, pc, 64, 1)).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.liveWorkers).toBe(0);
    expect(p.gemm(false, 64, 64, 48, pa, 48, 1, pa, 64, 1, 0, pc, 64, 1)).toBe(0);
    expect(p.liveWorkers).toBe(1);
    expect(p.parallelCalls).toBe(2);
    expect(Array.from(ar.f32(pc, 64 * 64))).toEqual(Array.from(ar.f32(pr, 64 * 64)));
    p.release();
  });

  it("wakes sleeping workers through the control block (no spinning, and after the spin window)", async () => {
    for (const spinMs of [0, 5]) {
      const p = (await KernelPool.create({ threads: 3, minWork: 0, spinMs }))!;
      const ar = new Arena(p.kernels);
      const pa = ar.put(uniformF32(48 * 40, 7)), pb = ar.put(uniformF32(40 * 36, 8));
      const pc = ar.alloc(48 * 36 * 4), pr = ar.alloc(48 * 36 * 4);
      p.kernels.gemm_f32(48, 36, 40, pa, 40, 1, pb, 36, 1, 0, pr, 36, 1);
      for (let call = 0; call < 3; call++) {
        // Long enough for both workers to have stopped spinning and gone to sleep in Atomics.wait.
        await new Promise((r) => setTimeout(r, 30));
        ar.f32(pc, 48 * 36).fill(NaN);
        expect(p.gemm(false, 48, 36, 40, pa, 40, 1, pb, 36, 1, 0, pc, 36, 1)).toBe(0);
        expect(Array.from(ar.f32(pc, 48 * 36))).toEqual(Array.from(ar.f32(pr, 48 * 36)));
      }
      expect(p.parallelCalls).toBe(3);
      p.release();
    }
  });

  it("runs single-threaded when workers never come up", async () => {
    // A host whose workers never count themselves ready.
    const mute: WorkerHost = { spawn: () => ({ terminate() {} }) };
    const p = (await KernelPool.create({ threads: 2, minWork: 0, host: mute, timeoutMs: 300 }))!;
    const ar = new Arena(p.kernels);
    const pa = ar.put(uniformF32(16 * 16, 2)), pc = ar.alloc(16 * 16 * 4);
    expect(p.gemm(false, 16, 16, 16, pa, 16, 1, pa, 16, 1, 0, pc, 16, 1)).toBe(0);
    expect(p.parallelCalls).toBe(0);
    expect(p.liveWorkers).toBe(0);
  });

  it("never keeps the process alive (workers unref'd, no dispose needed)", () => {
    const src = fileURLToPath(new URL("../src/index.ts", import.meta.url));
    const script = `
      import { Arena, KernelPool } from ${JSON.stringify(src)};
      const p = await KernelPool.create({ threads: 2, minWork: 0, idleMs: 60000 });
      const ar = new Arena(p.kernels);
      const pa = ar.alloc(128 * 128 * 4), pc = ar.alloc(128 * 128 * 4);
      p.gemm(false, 128, 128, 128, pa, 128, 1, pa, 128, 1, 0, pc, 128, 1);
      console.log("done", p.parallelCalls, p.liveWorkers);
    `;
    const dir = mkdtempSync(join(tmpdir(), "fluxion-pool-"));
    const file = join(dir, "alive.mts");
    writeFileSync(file, script);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "pipe"] });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("done 1 1");
    expect(r.status).toBe(0);
    // The idle timeout is a minute: exiting well before it means nothing held the event loop.
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});
