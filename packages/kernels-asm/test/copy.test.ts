/** copyBytes: exact byte copies between plain and shared buffers, through Buffer.fill on shared memory. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { copyBytes } from "../src/index.js";

const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 7 + (i >> 8)) & 255);
const backing = (shared: boolean, bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));

describe("copyBytes", () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [from, to] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    it(`copies exactly ${from ? "shared" : "plain"} → ${to ? "shared" : "plain"}, at odd offsets, below and above the Buffer threshold`, () => {
      for (const n of [0, 1, 7, 4095, 4096, 4097, 70_001]) {
        const src = new Uint8Array(backing(from, n + 16), 3, n);
        src.set(pattern(n, 1));
        const dstBuf = backing(to, n + 32);
        const guard = new Uint8Array(dstBuf);
        guard.fill(0xab);
        copyBytes(new Uint8Array(dstBuf, 5, n), src);
        expect(Array.from(guard.subarray(5, 5 + n))).toEqual(Array.from(pattern(n, 1)));
        // Nothing outside the destination range is touched.
        expect(guard.subarray(0, 5).every((b) => b === 0xab) && guard.subarray(5 + n).every((b) => b === 0xab)).toBe(true);
      }
    });
  }

  it("copies between element types byte for byte (a Float32Array into a byte view of wasm memory)", () => {
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: SharedArrayBuffer } } }).WebAssembly;
    const mem = new wasm.Memory({ initial: 1, maximum: 4, shared: true });
    const x = Float32Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 1e3);
    copyBytes(new Uint8Array(mem.buffer, 64, x.byteLength), x);
    expect(Array.from(new Float32Array(mem.buffer, 64, x.length))).toEqual(Array.from(x));
    const back = new Float32Array(x.length);
    copyBytes(back, new Float32Array(mem.buffer, 64, x.length));
    expect(Array.from(back)).toEqual(Array.from(x));
  });

  it("takes Node's Buffer.fill for large copies touching shared memory, and TypedArray.set otherwise", () => {
    const fill = vi.spyOn(Buffer.prototype, "fill");
    copyBytes(new Uint8Array(new SharedArrayBuffer(8192)), new Uint8Array(8192));
    copyBytes(new Uint8Array(8192), new Uint8Array(new SharedArrayBuffer(8192)));
    expect(fill).toHaveBeenCalledTimes(2);
    copyBytes(new Uint8Array(8192), new Uint8Array(8192));
    copyBytes(new Uint8Array(new SharedArrayBuffer(100)), new Uint8Array(100));
    expect(fill).toHaveBeenCalledTimes(2);
  });

  it("refuses unequal lengths, naming both", () => {
    expect(() => copyBytes(new Uint8Array(8), new Uint8Array(9))).toThrow(/destination has 8 bytes, source 9/);
  });
});
