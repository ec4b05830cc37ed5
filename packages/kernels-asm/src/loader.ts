/**
 * Loading build/kernels.wasm: from the file system in Node, with fetch (streaming compilation) in
 * browsers, or from bytes the caller already has. Every path checks the exports against the ABI, so
 * a stale or foreign module fails at load time, not inside a kernel.
 */
import { type KernelExports, SIGNATURES } from "./abi.js";
import { simdSupported } from "./probe.js";
import { type ResponseLike, type WasmApi, type WasmInstance, fetchApi, wasmApi } from "./wasm-api.js";

/** Where the module is, relative to this file: src/ and dist/ both sit next to build/. */
export function kernelsUrl(): URL {
  return new URL("../build/kernels.wasm", import.meta.url);
}

/** What `loadKernels` can load from: a URL (file: or http(s):), bytes, or a fetch Response. */
export type KernelSource = URL | string | ArrayBuffer | ArrayBufferView | ResponseLike | Promise<ResponseLike>;

/** The module imports nothing: no JS callbacks, no abort handler, no memory from outside. */
const IMPORTS = {};

/** Check that `instance` exports every ABI function with its arity, and a memory. */
function checkedExports(instance: WasmInstance): KernelExports {
  const ex = instance.exports;
  for (const [name, sig] of Object.entries(SIGNATURES)) {
    const fn = ex[name];
    if (typeof fn !== "function" || fn.length !== sig.params.length) {
      throw new Error(`@fluxion/kernels-asm: kernels.wasm does not match the ABI at ${name} (rebuild it: pnpm --filter @fluxion/kernels-asm build:wasm)`);
    }
  }
  if (typeof ex.memory !== "object" || ex.memory === null) throw new Error("@fluxion/kernels-asm: kernels.wasm exports no memory");
  return ex as unknown as KernelExports;
}

/** The host's WebAssembly, when it can run the kernels (SIMD128); undefined means: use the JS reference. */
function usableWasm(): WasmApi | undefined {
  return simdSupported() ? wasmApi() : undefined;
}

/**
 * Instantiate the kernels synchronously from the module's bytes; null where SIMD is unavailable.
 * (Browsers refuse synchronous compilation of large modules on the main thread: use `loadKernels` there.)
 */
export function instantiateKernels(bytes: ArrayBuffer | ArrayBufferView): KernelExports | null {
  const wasm = usableWasm();
  if (!wasm) return null;
  return checkedExports(new wasm.Instance(new wasm.Module(bytes), IMPORTS));
}

const isNode = (): boolean => typeof process !== "undefined" && typeof process.versions?.node === "string";

// Bytes of a file: URL, read through node:fs (imported lazily so browser bundles never see it).
async function readFileUrl(url: URL): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  try {
    return await readFile(url);
  } catch (e) {
    const hint = url.href === kernelsUrl().href ? " (build it: pnpm --filter @fluxion/kernels-asm build:wasm)" : "";
    throw new Error(`@fluxion/kernels-asm: cannot read ${url.href}${hint}: ${(e as Error).message}`);
  }
}

// Instantiate from a Response: streaming where the runtime can, else via its bytes. Streaming is
// tried on a clone because it rejects responses not served as application/wasm, and by then it has
// consumed the body it was given.
async function fromResponse(wasm: WasmApi, response: ResponseLike | Promise<ResponseLike>): Promise<WasmInstance> {
  const res = await response;
  if (!res.ok) throw new Error(`@fluxion/kernels-asm: fetching kernels.wasm failed with HTTP ${res.status}`);
  if (wasm.instantiateStreaming && res.clone) {
    try {
      return (await wasm.instantiateStreaming(res.clone(), IMPORTS)).instance;
    } catch {
      // not served as application/wasm: compile from the bytes below
    }
  }
  return (await wasm.instantiate(await res.arrayBuffer(), IMPORTS)).instance;
}

/**
 * Load and instantiate the kernels; resolves to null where WebAssembly SIMD is unavailable (the
 * caller then keeps the JS reference backend). Defaults to the package's own build/kernels.wasm.
 */
export async function loadKernels(source: KernelSource = kernelsUrl()): Promise<KernelExports | null> {
  const wasm = usableWasm();
  if (!wasm) return null;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return checkedExports((await wasm.instantiate(source, IMPORTS)).instance);
  }
  if (typeof source === "string" || source instanceof URL) {
    const url = new URL(source);
    if (url.protocol === "file:" && isNode()) {
      return checkedExports((await wasm.instantiate(await readFileUrl(url), IMPORTS)).instance);
    }
    const fetch = fetchApi();
    if (!fetch) throw new Error(`@fluxion/kernels-asm: no fetch to load ${url.href}`);
    return checkedExports(await fromResponse(wasm, fetch(url.href)));
  }
  return checkedExports(await fromResponse(wasm, source));
}
