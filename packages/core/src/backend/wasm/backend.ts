/**
 * The wasm backend: GEMM-backed dot_general and 2-D convolution from @fluxion/kernels-asm, with every
 * other primitive (and anything a wasm kernel declines) on the JS reference kernels.
 */
import { loadKernels, type KernelSource } from "@fluxion/kernels-asm";
import type { Backend } from "../backend.js";
import { wasmContext } from "./context.js";
import { wasmConv } from "./conv.js";
import { wasmDotGeneral } from "./dot.js";

/**
 * Load the kernels and build the backend; null where WebAssembly SIMD is unavailable (keep the
 * reference backend then). Use it with `setBackend(await wasmBackend() ?? referenceBackend)`.
 */
export async function wasmBackend(source?: KernelSource): Promise<Backend | null> {
  const k = await loadKernels(source);
  if (!k) return null;
  const ctx = wasmContext(k);
  return { name: "wasm", kernels: { dot_general: wasmDotGeneral(ctx), conv_general_dilated: wasmConv(ctx) } };
}
