/**
 * Compile assembly/ into the module's four builds, all from the same sources with
 * `asc --enable simd -O3 --runtime stub`:
 *
 *   build/kernels.wasm             SIMD128 (the default everywhere)
 *   build/kernels-relaxed.wasm     + relaxed-simd: the f32 GEMM micro-kernel uses f32x4.relaxed_madd
 *   build/kernels-mt.wasm          + threads: imports a shared env.memory, for the worker pool
 *   build/kernels-relaxed-mt.wasm  both
 *
 * The sources branch on the compile-time constants ASC_FEATURE_RELAXED_SIMD / ASC_FEATURE_THREADS.
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
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { dirname, join } from "node:path";
import console from "node:console";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the default module is written (the loader reads it from here). */
export const wasmPath = join(root, "build", "kernels.wasm");
const lockDir = join(root, "build", ".lock");

/** Flags of every build: the ABI depends on each of them. */
const BASE_ARGS = [
  "assembly/index.ts", "--enable", "simd", "-O3", "--runtime", "stub",
  // AS112 warns that v128 values cross function boundaries; they only do so inside the module.
  "--disableWarning", "112",
];
/**
 * Shared-memory builds import `env.memory` (shared, up to 4 GiB) so every worker's instance runs on
 * the same memory; `--zeroFilledMemory` drops the all-zero data segments (static scratch), which a
 * worker instantiating later would otherwise re-zero under the main thread.
 */
const THREAD_ARGS = ["--enable", "threads", "--importMemory", "--sharedMemory", "--maximumMemory", "65536", "--zeroFilledMemory"];

/** The builds: output name (without .wasm) and extra flags. */
export const VARIANTS = [
  { name: "kernels", args: [] },
  { name: "kernels-relaxed", args: ["--enable", "relaxed-simd"] },
  { name: "kernels-mt", args: THREAD_ARGS },
  { name: "kernels-relaxed-mt", args: ["--enable", "relaxed-simd", ...THREAD_ARGS] },
];
const outputPaths = () => VARIANTS.map((v) => join(root, "build", `${v.name}.wasm`));

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

/** True when a build is missing or older than a source. */
export function isStale() {
  try {
    const newest = newestInput();
    return outputPaths().some((p) => statSync(p).mtimeMs < newest);
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

/** Compile one variant in this thread; resolves to its .wasm and .wat. */
async function compile(variant) {
  const asc = (await import("assemblyscript/asc")).default;
  const outputs = new Map();
  const out = `build/${variant.name}`;
  const { error, stderr } = await asc.main([...BASE_ARGS, ...variant.args, "--outFile", `${out}.wasm`, "--textFile", `${out}.wat`, "--baseDir", root], {
    writeFile: (name, contents) => void outputs.set(name.replace(/\\/g, "/"), contents),
    stdout: asc.createMemoryStream(),
    stderr: asc.createMemoryStream(),
  });
  if (error) throw new Error(`asc failed on ${variant.name}: ${error.message}\n${stderr.toString()}`);
  const wasm = outputs.get(`${out}.wasm`);
  const wat = outputs.get(`${out}.wat`);
  if (!(wasm instanceof Uint8Array) || typeof wat !== "string") throw new Error(`asc wrote ${[...outputs.keys()].join(", ")}`);
  // Kernels must never allocate through the runtime: its bump allocator starts at __heap_base,
  // exactly where the arena does, and the two would hand out the same memory.
  if (wat.includes("~lib/rt/stub/__alloc")) throw new Error("a kernel allocates through the AssemblyScript runtime (new, arrays or strings); use the arena");
  return { wasm, wat };
}

/** Compile one variant on a worker thread (asc is synchronous: the variants compile in parallel this way). */
function compileOnWorker(variant) {
  return new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { variant } });
    w.once("message", (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    w.once("error", reject);
    w.once("exit", (code) => code !== 0 && reject(new Error(`build worker for ${variant.name} exited with ${code}`)));
  });
}

/** Compile every build (when stale, if `onlyIfStale`); resolves to whether it compiled. */
export async function build({ onlyIfStale = false } = {}) {
  if (onlyIfStale && !isStale()) return false;
  return withLock(async () => {
    // Another caller may have built it while we waited for the lock.
    if (onlyIfStale && !isStale()) return false;
    const results = await Promise.all(VARIANTS.map(compileOnWorker));
    // Write every output under a temporary name first, then rename them all into place.
    const renames = [];
    VARIANTS.forEach((v, i) => {
      const target = join(root, "build", `${v.name}.wasm`);
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, results[i].wasm);
      writeFileSync(join(root, "build", `${v.name}.wat`), results[i].wat);
      renames.push([tmp, target]);
    });
    for (const [tmp, target] of renames) renameSync(tmp, target);
    return true;
  });
}

if (!isMainThread && workerData?.variant) {
  compile(workerData.variant).then(
    (r) => parentPort.postMessage(r),
    (e) => parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
}

if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const onlyIfStale = process.argv.includes("--if-stale");
  build({ onlyIfStale }).then(
    (built) => console.log(built ? `built ${outputPaths().join(", ")}` : `${wasmPath} is up to date`),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
