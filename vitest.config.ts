import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "threads",
    setupFiles: ["./vitest.setup.ts"],
  },
});
