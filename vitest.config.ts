import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Tests import the public package by name; point it at the sources so tests
    // never run against a stale build (the built self-reference is tested separately).
    // The library's `#platform` (package.json "imports") likewise: Node's, from the sources.
    alias: {
      gradlab: fileURLToPath(new URL("./src/index.ts", import.meta.url)),
      "#platform": fileURLToPath(new URL("./src/platform/node.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
