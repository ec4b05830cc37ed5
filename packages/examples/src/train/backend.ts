/** Select the fastest available backend for the examples: wasm SIMD kernels, else the JS reference. */
import { getBackend, referenceBackend, setBackend, wasmBackend } from "@fluxion/core";

/** Use the wasm backend when it loads (returns its name), otherwise keep the reference backend. */
export async function useFastestBackend(): Promise<string> {
  if (getBackend().name === "wasm") return "wasm";
  const be = await wasmBackend();
  setBackend(be ?? referenceBackend);
  return getBackend().name;
}
