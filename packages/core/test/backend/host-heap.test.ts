/** primeHostHeap: once per process, run by wasmBackend unless opted out, and under glibc it stops repeated large results from page-faulting fresh memory. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HOST_HEAP_PRIME_BYTES } from "../../src/backend/host-heap.js";

const src = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const glibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime);

// A fresh process per case, so that no earlier test has already raised the thresholds by freeing a large array.
function child(script: string, mode: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fluxion-heap-"));
  const file = join(dir, "case.mts");
  writeFileSync(file, `import { primeHostHeap, wasmBackend } from ${JSON.stringify(src)};\nconst mode = ${JSON.stringify(mode)};\n${script}`);
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", file], { encoding: "utf8", timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

// Minor page faults per new 3.2 MB array (781 pages) once the loop is steady: 30 arrays after 30 of
// warm-up, three alive at a time, a full GC every ten as a busy program would have. After each GC the
// loop yields for 20 ms, so V8's concurrent sweeper has freed the dead arrays before the next
// allocation (without the pause the count varied from run to run with the sweeper's timing).
const faultLoop = `
  const { setTimeout: sleep } = await import("node:timers/promises");
  const gc = (globalThis as unknown as { gc(): void }).gc;
  const primedNow = mode === "prime" ? primeHostHeap() : false;
  gc();
  await sleep(20);
  const n = 800_000, keep: Float32Array[] = [];
  let f0 = 0;
  for (let i = 0; i < 60; i++) {
    if (i === 30) f0 = process.resourceUsage().minorPageFault;
    const a = new Float32Array(n);
    for (let j = 0; j < n; j += 1024) a[j] = 1;
    keep.push(a);
    if (keep.length > 3) keep.shift();
    if (i % 10 === 9) {
      gc();
      await sleep(20);
    }
  }
  console.log(JSON.stringify({ primedNow, faults: (process.resourceUsage().minorPageFault - f0) / 30 }));
`;

describe("primeHostHeap", () => {
  it("stays under glibc's 32 MiB cap on the dynamic mmap threshold, page rounding included", () => {
    expect(HOST_HEAP_PRIME_BYTES + 4096).toBeLessThanOrEqual(32 * 2 ** 20);
    expect(HOST_HEAP_PRIME_BYTES).toBeGreaterThanOrEqual(16 * 2 ** 20);
  });

  it.runIf(process.platform === "linux")("primes once per process, and wasmBackend primes unless told not to", () => {
    expect(child("console.log(primeHostHeap(), primeHostHeap());", "twice")).toBe("true false");
    expect(child("await wasmBackend();\nconsole.log(primeHostHeap());", "backend")).toBe("false");
    expect(child("await wasmBackend({ primeHeap: false });\nconsole.log(primeHostHeap());", "optout")).toBe("true");
  });

  it.runIf(glibc)("lets repeated 3 MB results reuse freed heap pages instead of faulting fresh ones", () => {
    const primed = JSON.parse(child(faultLoop, "prime")) as { primedNow: boolean; faults: number };
    const control = JSON.parse(child(faultLoop, "control")) as { primedNow: boolean; faults: number };
    expect(primed.primedNow).toBe(true);
    // Unprimed, glibc trims the freed arrays back to the kernel, and four of the thirty arrays fault
    // in all their pages (~103 faults per array on average); primed, one does (~26).
    expect(primed.faults, `faults per array: primed ${primed.faults}, unprimed ${control.faults}`).toBeLessThan(60);
  });
});
