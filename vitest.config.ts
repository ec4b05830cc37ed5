import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "threads",
    setupFiles: ["./vitest.setup.ts"],
    // Buffers that kernels promise to overwrite whole start as 0xFF bytes, so a missed element shows (packages/core/src/uninit.ts).
    env: { FLUXION_POISON_UNINIT: "1" },
  },
});
