/**
 * The quick tier (`npm run test:quick`): the library's tests and the test helpers' own, in this
 * process tree only: no child process, browser, kernel, Python or network. test/support/no-processes.ts
 * makes starting a process throw, so a file that needs one fails here until it is excluded below.
 * `npm test` (vitest.config.ts) runs these files and every other one.
 */
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.js";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/src/**/*.test.ts", "test/support/**/*.test.ts"],
    exclude: [
      ...configDefaults.exclude,
      // a child node imports the built package by name
      "test/src/index.test.ts",
      // a child node runs the built worker
      "test/src/tensor/simd-threads-process.test.ts",
    ],
    setupFiles: [base.test?.setupFiles ?? [], "test/support/no-processes.ts"].flat(),
  },
});
