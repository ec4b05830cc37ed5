/** Loading (file URL, bytes, Response, sync), the SIMD probe and fallback, ABI checks at load, and grow-safe arena access. */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Arena, BinaryOp, Status, checkStatus, instantiateKernels, kernelsUrl, loadKernels, simdSupported } from "../src/index.js";
import { kernels } from "./_kernels.js";

const bytes = () => new Uint8Array(readFileSync(kernelsUrl()));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("loader", () => {
  it("probes SIMD support (Node 20 has it)", () => {
    expect(simdSupported()).toBe(true);
  });

  it("loads from the package's file URL, a file URL string, bytes, and synchronously", async () => {
    for (const k of [await loadKernels(), await loadKernels(kernelsUrl().href), await loadKernels(bytes()), instantiateKernels(bytes())]) {
      expect(k).not.toBeNull();
      expect(typeof k!.gemm_f32).toBe("function");
      // Each instance has its own memory.
      expect(k!.memory).not.toBe(kernels.memory);
    }
  });

  it("loads from a fetch Response, streaming or (when the MIME type is wrong) from the bytes", async () => {
    const body = bytes();
    const response = { ok: true, status: 200, arrayBuffer: async () => body.slice().buffer, clone: () => response };
    expect(await loadKernels(response)).not.toBeNull();
    expect(await loadKernels(Promise.resolve({ ok: true, status: 200, arrayBuffer: async () => body.slice().buffer }))).not.toBeNull();
    await expect(loadKernels({ ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) })).rejects.toThrow(/HTTP 404/);
    // A fetch that hands back the bytes, as a browser would for an http(s) URL.
    vi.stubGlobal("fetch", async () => ({ ok: true, status: 200, arrayBuffer: async () => body.slice().buffer }));
    expect(await loadKernels("https://example.invalid/kernels.wasm")).not.toBeNull();
  });

  it("resolves to null without WebAssembly SIMD, so the caller keeps the JS reference", async () => {
    const real = (globalThis as { WebAssembly?: object }).WebAssembly!;
    vi.stubGlobal("WebAssembly", Object.create(real, { validate: { value: () => false } }));
    expect(simdSupported()).toBe(false);
    expect(await loadKernels()).toBeNull();
    expect(instantiateKernels(bytes())).toBeNull();
    vi.stubGlobal("WebAssembly", undefined);
    expect(simdSupported()).toBe(false);
  });

  it("rejects a module that does not match the ABI, and names how to rebuild", async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await expect(loadKernels(empty)).rejects.toThrow(/does not match the ABI at arena_base/);
    await expect(loadKernels(new URL("file:///nonexistent/kernels.wasm"))).rejects.toThrow(/cannot read/);
  });
});

describe("Arena", () => {
  it("hands out aligned memory and frees back to a mark", () => {
    const arena = new Arena(kernels);
    arena.reset();
    const a = arena.alloc(3);
    const m = arena.mark();
    const b = arena.alloc(100);
    expect(a % 64).toBe(0);
    expect(b % 64).toBe(0);
    expect(b).toBeGreaterThan(a);
    arena.reset(m);
    expect(arena.alloc(8)).toBe(b);
    expect(() => arena.alloc(-1)).toThrow(RangeError);
    expect(() => arena.alloc(2 ** 32)).toThrow(/4 GiB/);
    expect(() => arena.alloc(2 ** 32 - 64)).toThrow(/cannot grow/);
  });

  it("sees live memory after a kernel grows it (views taken before are detached, never reused)", () => {
    const arena = new Arena(kernels);
    arena.reset();
    const pa = arena.put(new Float32Array([1, 2, 3])), pb = arena.put(new Float32Array([10, 20, 30]));
    const stale = arena.f32(pa, 3);
    const before = kernels.memory.buffer.byteLength;
    // A large allocation grows the memory; the old buffer (and every view of it) detaches.
    arena.alloc(before + (64 << 20));
    expect(kernels.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(stale.length).toBe(0);
    expect(kernels.binary_f32(BinaryOp.add, pa, pb, pa, 3)).toBe(0);
    expect(Array.from(arena.f32(pa, 3))).toEqual([11, 22, 33]);
    arena.reset();
  });

  it("turns a failing status into a RangeError naming the kernel", () => {
    expect(() => checkStatus("gemm_f32", Status.ok)).not.toThrow();
    expect(() => checkStatus("conv2d_forward_f32", Status.badGeometry)).toThrow(/conv2d_forward_f32: inconsistent geometry/);
    expect(() => checkStatus("gemm_f32", Status.outOfMemory)).toThrow(RangeError);
  });
});
