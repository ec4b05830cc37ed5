/** Shared setup of the wasm backend suites: a wasm backend forced onto every kernel (minWork 0), and `both`. */
import { afterAll, beforeAll } from "vitest";
import { type Backend, getBackend, referenceBackend, setBackend, wasmBackend } from "../../src/index.js";

/** [f on wasm, f on the reference], with the suite's wasm backend and the backend it replaced. */
export type Both = (<T>(f: () => T) => [T, T]) & { wasm(): Backend; previous(): Backend };

/**
 * Register hooks that load a wasm backend with `minWork: 0` (wasm kernels even for tiny problems)
 * and restore the previous backend afterwards; returns `both(f)`: [f on wasm, f on the reference].
 */
export function wasmAgainstReference(): Both {
  let wasm: Backend;
  let previous: Backend;
  beforeAll(async () => {
    previous = getBackend();
    const be = await wasmBackend({ minWork: 0 });
    if (!be) throw new Error("WebAssembly SIMD unavailable");
    wasm = be;
  });
  afterAll(() => setBackend(previous));
  const both = <T>(f: () => T): [T, T] => {
    setBackend(referenceBackend);
    try {
      const r = f();
      setBackend(wasm);
      return [f(), r];
    } finally {
      setBackend(previous);
    }
  };
  return Object.assign(both, { wasm: () => wasm, previous: () => previous });
}
