// ESLint: JavaScript's and typescript-eslint's recommended rules over the whole tree (`npm run lint`).
import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The Node built-ins the browser host fills (scripts/build-site.mjs: its stand-ins of NODE_SHIMS,
 * path-browserify for path); every other one is an empty module in the worker.
 */
const FILLED = ["fs", "module", "vm", "util", "crypto", "perf_hooks", "url", "path"];
const UNFILLED = builtinModules.filter((m) => !FILLED.includes(m)).flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ["dist/", "out/", "node_modules/", "**/fixtures/**"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        performance: "readonly",
        globalThis: "readonly",
      },
    },
    rules: {
      // `_name` marks a parameter a signature needs and the body does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The cell engine runs in both hosts: it imports no Node built-in the browser host does not fill,
    // nothing of a host's room, and no Buffer. The compiler's loader is the exception: a seam the
    // browser bundle replaces whole (kernel/browser/worker/node/ts-loader.ts).
    files: ["kernel/engine/**/*.ts"],
    ignores: ["kernel/engine/compiler/ts-loader.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: UNFILLED.map((name) => ({ name, message: "the browser host has no stand-in for it (scripts/build-site.mjs)" })),
          patterns: [
            {
              group: ["../node/*", "../../node/*", "../browser/**", "../../browser/**", "../protocol/*", "../../protocol/*"],
              message: "the engine takes what a host provides as a parameter, never from the host's room",
            },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "Buffer", message: "the browser has no Buffer: use Uint8Array (ipc.ts's base64)" }],
    },
  },
);
