/** The typed ABI in src/abi.ts against the compiled module: names, value types, constants, layouts. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type KernelBuild, SIGNATURES, abiConstants, kernelsUrl } from "../src/index.js";
import { kernels } from "./_kernels.js";
import { exportedSignatures } from "./_wasm-types.js";

describe("ABI", () => {
  const bytes = new Uint8Array(readFileSync(kernelsUrl()));
  const actual = exportedSignatures(bytes);

  it("declares every exported function with its exact parameter and result types", () => {
    for (const [name, sig] of Object.entries(SIGNATURES)) {
      expect(actual.get(name), name).toEqual({ params: [...sig.params], results: sig.result ? [sig.result] : [] });
    }
    expect([...actual.keys()].sort()).toEqual(Object.keys(SIGNATURES).sort());
  });

  it("mirrors every exported constant (status codes, operation codes, geometry fields)", () => {
    const exported = kernels as unknown as Record<string, { value: number } | undefined>;
    for (const [name, value] of abiConstants()) expect(exported[name]?.value, name).toBe(value);
    const names = Object.keys(kernels).filter((k) => typeof exported[k] === "object" && k !== "memory");
    expect(names.sort()).toEqual(abiConstants().map(([n]) => n).sort());
  });

  it("imports nothing, so instantiation needs no glue", () => {
    const wasm = (globalThis as unknown as { WebAssembly: { Module: { new (b: Uint8Array): object; imports(m: object): unknown[] } } }).WebAssembly;
    expect(wasm.Module.imports(new wasm.Module(bytes))).toEqual([]);
  });

  it("is the same in every build; the threads builds import only their shared memory", () => {
    const wasm = (globalThis as unknown as { WebAssembly: { Module: { new (b: Uint8Array): object; imports(m: object): unknown[] } } }).WebAssembly;
    for (const name of ["kernels-relaxed", "kernels-mt", "kernels-relaxed-mt"] as KernelBuild[]) {
      const b = new Uint8Array(readFileSync(kernelsUrl(name)));
      expect(exportedSignatures(b), name).toEqual(actual);
      const imports = wasm.Module.imports(new wasm.Module(b));
      expect(imports, name).toEqual(name.endsWith("-mt") ? [{ module: "env", name: "memory", kind: "memory" }] : []);
    }
  });
});
