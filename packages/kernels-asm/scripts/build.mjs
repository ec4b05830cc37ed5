/**
 * Compile assembly/ into build/kernels.wasm with `asc --enable simd -O3 --runtime stub`.
 *
 *   node scripts/build.mjs             always compile
 *   node scripts/build.mjs --if-stale  compile only when a source is newer than the .wasm
 *
 * Run by the package's `prepare` script (so `pnpm install` on a fresh clone builds it) and by the
 * tests before they load the module (so edited sources are never tested stale). Concurrent callers
 * (vitest's parallel workers) serialise on a lock directory, and the output is renamed into place,
 * so a reader never sees a half-written file.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import console from "node:console";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the module is written (the loader reads it from here). */
export const wasmPath = join(root, "build", "kernels.wasm");
const lockDir = join(root, "build", ".lock");

/** The exact compiler invocation: the ABI depends on every one of these flags. */
const ASC_ARGS = [
  "assembly/index.ts", "--enable", "simd", "-O3", "--runtime", "stub",
  // AS112 warns that v128 values cross function boundaries; they only do so inside the module.
  "--disableWarning", "112",
  "--outFile", "build/kernels.wasm", "--textFile", "build/kernels.wat",
];

/** Newest modification time among the inputs of the build. */
function newestInput() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(root, "assembly"));
  return Math.max(newest, statSync(join(root, "package.json")).mtimeMs);
}

/** True when build/kernels.wasm is missing or older than a source. */
export function isStale() {
  try {
    return statSync(wasmPath).mtimeMs < newestInput();
  } catch {
    return true;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Hold the build lock while `fn` runs; a lock older than two minutes is taken to be abandoned. */
async function withLock(fn) {
  mkdirSync(join(root, "build"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 120_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // the holder released it between our two calls
      }
      sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Compile the module (when stale, if `onlyIfStale`); resolves to whether it compiled. */
export async function build({ onlyIfStale = false } = {}) {
  if (onlyIfStale && !isStale()) return false;
  return withLock(async () => {
    // Another caller may have built it while we waited for the lock.
    if (onlyIfStale && !isStale()) return false;
    const asc = (await import("assemblyscript/asc")).default;
    const outputs = new Map();
    const { error, stderr } = await asc.main([...ASC_ARGS, "--baseDir", root], {
      writeFile: (name, contents) => void outputs.set(name.replace(/\\/g, "/"), contents),
      stdout: asc.createMemoryStream(),
      stderr: asc.createMemoryStream(),
    });
    if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
    const wasm = outputs.get("build/kernels.wasm");
    const wat = outputs.get("build/kernels.wat");
    if (!(wasm instanceof Uint8Array) || typeof wat !== "string") throw new Error(`asc wrote ${[...outputs.keys()].join(", ")}`);
    // Kernels must never allocate through the runtime: its bump allocator starts at __heap_base,
    // exactly where the arena does, and the two would hand out the same memory.
    if (wat.includes("~lib/rt/stub/__alloc")) throw new Error("a kernel allocates through the AssemblyScript runtime (new, arrays or strings); use the arena");
    const tmp = `${wasmPath}.${process.pid}.tmp`;
    writeFileSync(tmp, wasm);
    writeFileSync(join(root, "build", "kernels.wat"), wat);
    renameSync(tmp, wasmPath);
    return true;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const onlyIfStale = process.argv.includes("--if-stale");
  build({ onlyIfStale }).then(
    (built) => console.log(built ? `built ${wasmPath}` : `${wasmPath} is up to date`),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
