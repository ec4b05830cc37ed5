/**
 * The wasm backend: GEMM-backed dot_general and 2-D convolution from @fluxion/kernels-asm, with every
 * other primitive (and anything a wasm kernel declines) on the JS reference kernels.
 */
import { loadKernels, type KernelSource } from "@fluxion/kernels-asm";
import type { Backend } from "../backend.js";
import { wasmContext } from "./context.js";
import { wasmConv } from "./conv.js";
import { wasmDotGeneral } from "./dot.js";

/** Options of `wasmBackend`. */
export type WasmBackendOptions = {
  /** Where to load kernels.wasm from (default: the package's build). */
  source?: KernelSource;
  /** Multiply-adds below which a product stays in JS (default: measured per kernel; 0 forces wasm, for tests). */
  minWork?: number;
};

/**
 * Load the kernels and build the backend; null where WebAssembly SIMD is unavailable (keep the
 * reference backend then). Use it with `setBackend(await wasmBackend() ?? referenceBackend)`.
 */
export async function wasmBackend(opts: WasmBackendOptions = {}): Promise<Backend | null> {
  const k = await loadKernels(opts.source);
  if (!k) return null;
  const ctx = wasmContext(k);
  const minWork = opts.minWork;
  return { name: "wasm", kernels: { dot_general: wasmDotGeneral(ctx, minWork), conv_general_dilated: wasmConv(ctx, minWork) } };
}
