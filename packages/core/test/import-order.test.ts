import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";

// Modules import each other in cycles (array ↔ np ↔ lax ↔ rules); this checks that any module can
// be the first one loaded, i.e. no module reads another's exports while that one is still loading.
const srcDir = join(import.meta.dirname, "..", "src");
const files = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
})(srcDir);

describe("import order", () => {
  it.each(files.map((f) => relative(srcDir, f)))("%s can be imported first", async (file) => {
    vi.resetModules();
    const mod = await import(join(srcDir, file));
    expect(mod).toBeTypeOf("object");
  });
});
