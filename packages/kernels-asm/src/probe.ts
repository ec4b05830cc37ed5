/** Feature probes: can this runtime run the kernels at all? */
import { wasmApi } from "./wasm-api.js";

/** `(module (func (result v128) (v128.const i32x4 0 0 0 0)))`: valid exactly where SIMD128 is. */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: no locals, v128.const
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x0b, // end
]);

/** True when the runtime has WebAssembly with the SIMD128 proposal (Node ≥ 16.4, every current browser). */
export function simdSupported(): boolean {
  const wasm = wasmApi();
  if (!wasm) return false;
  try {
    return wasm.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * `(module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))`:
 * valid exactly where the relaxed-SIMD proposal is (browsers; Node 20 only with --experimental-wasm-relaxed-simd).
 */
const ZERO_V128 = [0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section: one body of 59 bytes, no locals
  ...ZERO_V128, ...ZERO_V128, ...ZERO_V128,
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0x0b, // end
]);

/** True when the runtime validates relaxed SIMD (f32x4.relaxed_madd), so the relaxed builds can load. */
export function relaxedSimdSupported(): boolean {
  const wasm = wasmApi();
  if (!wasm || !simdSupported()) return false;
  try {
    return wasm.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/**
 * True when the runtime can create a shared `WebAssembly.Memory` (Node; browsers only when the page
 * is cross-origin isolated), which the worker pool needs.
 */
export function sharedMemorySupported(): boolean {
  const g = globalThis as { WebAssembly?: { Memory?: new (d: object) => { buffer: unknown } }; SharedArrayBuffer?: new (n: number) => unknown };
  if (!g.WebAssembly?.Memory || typeof g.SharedArrayBuffer !== "function" || !simdSupported()) return false;
  try {
    return new g.WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof g.SharedArrayBuffer;
  } catch {
    return false;
  }
}
