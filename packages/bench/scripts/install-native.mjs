/**
 * `corepack pnpm --filter @fluxion/bench install-native`: installs onnxruntime-node, the optional native
 * reference, into packages/bench/native (git-ignored, outside the workspace and its lockfile), because
 * the package is ~290 MB and CI and users who only want Fluxion should never download it. The CPU
 * binaries ship inside the npm package; its postinstall only fetches GPU builds, so it is skipped.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import console from "node:console";
import process from "node:process";

const VERSION = "1.30.0";
const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "native");
mkdirSync(dir, { recursive: true });
const manifest = join(dir, "package.json");
if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ private: true, description: "Optional native benchmark references (see ../scripts/install-native.mjs)." }, null, 2) + "\n");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
execFileSync(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", `onnxruntime-node@${VERSION}`], { cwd: dir, stdio: "inherit" });
console.log(`onnxruntime-node ${VERSION} installed in ${dir}`);
