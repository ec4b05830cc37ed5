// With FLUXION_BACKEND=wasm every test file runs on the wasm backend (the core suite runs on both).
import { beforeAll } from "vitest";
import { setBackend, wasmBackend } from "./packages/core/src/index.js";

beforeAll(async () => {
  if (process.env.FLUXION_BACKEND !== "wasm") return;
  const be = await wasmBackend();
  if (!be) throw new Error("FLUXION_BACKEND=wasm but WebAssembly SIMD is unavailable");
  setBackend(be);
});
