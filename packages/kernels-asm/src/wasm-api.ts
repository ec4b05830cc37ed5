/**
 * The slice of the WebAssembly and fetch JS APIs the loader uses, typed here because the workspace
 * compiles against ES2022 and @types/node 20, neither of which declares them (they live in the DOM lib,
 * which would leak browser globals into every package's type check).
 */

/** A compiled module. */
export type WasmModule = object;

/** An instantiated module. */
export type WasmInstance = { readonly exports: Record<string, unknown> };

/** `globalThis.WebAssembly`, as far as it is used here. */
export type WasmApi = {
  validate(bytes: ArrayBuffer | ArrayBufferView): boolean;
  Module: new (bytes: ArrayBuffer | ArrayBufferView) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  instantiate(bytes: ArrayBuffer | ArrayBufferView, imports: object): Promise<{ module: WasmModule; instance: WasmInstance }>;
  instantiateStreaming?(response: ResponseLike | Promise<ResponseLike>, imports: object): Promise<{ module: WasmModule; instance: WasmInstance }>;
};

/** The part of a fetch `Response` the loader reads. */
export type ResponseLike = { readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer>; clone?(): ResponseLike };

/** `globalThis.fetch`, as far as it is used here. */
export type FetchLike = (url: string) => Promise<ResponseLike>;

/** The host's WebAssembly API, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** The host's fetch, or undefined where there is none. */
export function fetchApi(): FetchLike | undefined {
  return (globalThis as { fetch?: FetchLike }).fetch;
}
