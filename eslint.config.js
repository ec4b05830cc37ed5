// Lint configuration: ESLint's and typescript-eslint's recommended rules over every package.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // AssemblyScript sources are checked by asc, which builds them on install: their top-level
  // `@inline function` decorators are AssemblyScript syntax that the TypeScript parser rejects.
  { ignores: ["**/dist/**", "**/node_modules/**", "**/build/**", "**/*.wasm", "results/**", "packages/kernels-asm/assembly/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
);
