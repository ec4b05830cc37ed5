/**
 * Loading the kernels: from the file system in Node, with fetch (streaming compilation) in browsers,
 * or from bytes the caller already has. Every path checks the exports against the ABI, so a stale or
 * foreign module fails at load time, not inside a kernel.
 *
 * There are four builds of the same sources (scripts/build.mjs): plain SIMD128, relaxed SIMD (fused
 * multiply-add in the GEMM micro-kernel), and each of those with threads, importing a shared memory.
 * By default the relaxed build is loaded where the runtime validates relaxed SIMD, the plain one otherwise.
 */
import { type KernelExports, type KernelMemory, SIGNATURES } from "./abi.js";
import { relaxedSimdSupported, simdSupported } from "./probe.js";
import { type ResponseLike, type WasmApi, type WasmInstance, type WasmModule, fetchApi, wasmApi } from "./wasm-api.js";

/** The builds in build/: SIMD128, relaxed SIMD, and each with threads (shared imported memory). */
export type KernelBuild = "kernels" | "kernels-relaxed" | "kernels-mt" | "kernels-relaxed-mt";

/** Where a build is, relative to this file: src/ and dist/ both sit next to build/. Defaults to the plain SIMD build. */
export function kernelsUrl(build: KernelBuild = "kernels"): URL {
  return new URL(`../build/${build}.wasm`, import.meta.url);
}

/** The build to load here: relaxed where the runtime validates relaxed SIMD, and the shared-memory one for `threads`. */
export function preferredBuild({ threads = false }: { threads?: boolean } = {}): KernelBuild {
  const relaxed = relaxedSimdSupported();
  if (threads) return relaxed ? "kernels-relaxed-mt" : "kernels-mt";
  return relaxed ? "kernels-relaxed" : "kernels";
}

/** What `loadKernels` can load from: a URL (file: or http(s):), bytes, or a fetch Response. */
export type KernelSource = URL | string | ArrayBuffer | ArrayBufferView | ResponseLike | Promise<ResponseLike>;

/** Options of `loadKernels`. */
export type LoadOptions = {
  /** The shared memory a threads build imports as env.memory (the single-memory builds import nothing). */
  memory?: KernelMemory;
};

/** The single-memory builds import nothing; the threads builds import only their memory. */
const importsFor = (opts: LoadOptions): object => (opts.memory ? { env: { memory: opts.memory } } : {});

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
export function instantiateKernels(bytes: ArrayBuffer | ArrayBufferView, opts: LoadOptions = {}): KernelExports | null {
  const wasm = usableWasm();
  if (!wasm) return null;
  return checkedExports(new wasm.Instance(new wasm.Module(bytes), importsFor(opts)));
}

const isNode = (): boolean => typeof process !== "undefined" && typeof process.versions?.node === "string";

// Bytes of a file: URL, read through node:fs (imported lazily so browser bundles never see it).
async function readFileUrl(url: URL): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  try {
    return await readFile(url);
  } catch (e) {
    const hint = url.href.startsWith(new URL("../build/", import.meta.url).href) ? " (build it: pnpm --filter @fluxion/kernels-asm build:wasm)" : "";
    throw new Error(`@fluxion/kernels-asm: cannot read ${url.href}${hint}: ${(e as Error).message}`);
  }
}

// Instantiate from a Response: streaming where the runtime can, else via its bytes. Streaming is
// tried on a clone because it rejects responses not served as application/wasm, and by then it has
// consumed the body it was given.
async function fromResponse(wasm: WasmApi, response: ResponseLike | Promise<ResponseLike>, imports: object): Promise<Instantiated> {
  const res = await response;
  if (!res.ok) throw new Error(`@fluxion/kernels-asm: fetching kernels.wasm failed with HTTP ${res.status}`);
  if (wasm.instantiateStreaming && res.clone) {
    try {
      return await wasm.instantiateStreaming(res.clone(), imports);
    } catch {
      // not served as application/wasm: compile from the bytes below
    }
  }
  return wasm.instantiate(await res.arrayBuffer(), imports);
}

type Instantiated = { module: WasmModule; instance: WasmInstance };

/** Compile and instantiate from any source; the compiled module comes back too (the worker pool reuses it). */
async function instantiateFrom(wasm: WasmApi, source: KernelSource, imports: object): Promise<Instantiated> {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return wasm.instantiate(source, imports);
  if (typeof source === "string" || source instanceof URL) {
    const url = new URL(source);
    if (url.protocol === "file:" && isNode()) return wasm.instantiate(await readFileUrl(url), imports);
    const fetch = fetchApi();
    if (!fetch) throw new Error(`@fluxion/kernels-asm: no fetch to load ${url.href}`);
    return fromResponse(wasm, fetch(url.href), imports);
  }
  return fromResponse(wasm, source, imports);
}

/**
 * As `loadKernels`, also returning the compiled module (to instantiate again on workers); null where
 * WebAssembly SIMD is unavailable.
 */
export async function loadKernelsModule(source: KernelSource, opts: LoadOptions = {}): Promise<{ kernels: KernelExports; module: WasmModule } | null> {
  const wasm = usableWasm();
  if (!wasm) return null;
  const { module, instance } = await instantiateFrom(wasm, source, importsFor(opts));
  return { kernels: checkedExports(instance), module };
}

/**
 * Load and instantiate the kernels; resolves to null where WebAssembly SIMD is unavailable (the
 * caller then keeps the JS reference backend). Defaults to the package's own build, relaxed SIMD
 * where the runtime validates it (`preferredBuild()`).
 */
export async function loadKernels(source: KernelSource = kernelsUrl(preferredBuild()), opts: LoadOptions = {}): Promise<KernelExports | null> {
  return (await loadKernelsModule(source, opts))?.kernels ?? null;
}
