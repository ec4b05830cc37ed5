/**
 * The glue-plus-build variants an A/B micro-benchmark times: the current glue module with the current
 * kernels build, and, with `--before <glue.ts> <kernels.wasm>` on the command line, an older pair
 * loaded into the same process so both run interleaved under the same load.
 */
import process from "node:process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** One glue module and the kernels build it runs on. */
export type Variant<G> = { name: string; glue: G; wasm: URL | Uint8Array };

/** "now" (this checkout's `glue` and build/kernels.wasm), preceded by "before" when `--before` is given. */
export async function abVariants<G>(glue: G): Promise<Variant<G>[]> {
  const variants: Variant<G>[] = [{ name: "now", glue, wasm: new URL("../../kernels-asm/build/kernels.wasm", import.meta.url) }];
  const at = process.argv.indexOf("--before");
  if (at >= 0) {
    // Older glue must sit in this directory so that it shares this process's core modules.
    const before = (await import(pathToFileURL(process.argv[at + 1]!).href)) as G;
    variants.unshift({ name: "before", glue: before, wasm: readFileSync(process.argv[at + 2]!) });
  }
  return variants;
}
