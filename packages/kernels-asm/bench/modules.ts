/** The kernel modules an A/B benchmark times: the freshly built plain SIMD module, then each .wasm path given on the command line. */
import process from "node:process";
import { readFileSync } from "node:fs";
import { build } from "../scripts/build.mjs";
import { Arena, type KernelExports, kernelsUrl, loadKernels } from "../src/index.js";

/** A loaded module, its arena, and the name it is reported under ("now" or its path). */
export type BenchModule = { name: string; k: KernelExports; arena: Arena };

/** Build the package if its sources changed, then load "now" and every module named in argv. */
export async function benchModules(): Promise<BenchModule[]> {
  await build({ onlyIfStale: true });
  const sources: [string, URL | Uint8Array][] = [["now", kernelsUrl("kernels")], ...process.argv.slice(2).map((p): [string, Uint8Array] => [p, readFileSync(p)])];
  return Promise.all(sources.map(async ([name, src]) => {
    const k = await loadKernels(src);
    if (!k) throw new Error("no WebAssembly SIMD in this runtime");
    return { name, k, arena: new Arena(k) };
  }));
}
