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
