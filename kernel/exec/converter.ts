/**
 * @file tslab's TypeScript converter, with two fixes and gradlab's module resolution.
 *
 * - Top-level names starting with `__` (tslab bug: `const __x = 1` fails with "Cannot find
 *   name '___x'"): tslab builds `export { ... }` from the binder's *escaped* names, and
 *   TypeScript escapes `__x` as `___x`. We unescape exactly in that one callback.
 * - `import ... from "gradlab"` type-checks from any notebook directory: lookups under
 *   `<cwd>/node_modules/gradlab` that do not exist on disk are answered from this repository
 *   (its package.json points `types` at `dist/src/index.d.ts`).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Converter } from "tslab/dist/converter.js";

const require = createRequire(import.meta.url);

/** This repository's root (the `gradlab` package), from `dist/kernel/exec/converter.js`. */
export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");

type Ts = typeof import("@tslab/typescript-for-tslab");

let patched = false;

/** Route `<cwd>/node_modules/gradlab/**` to this repository when it is not on disk. */
function patchSys(ts: Ts, cwd: string): void {
  const virtualRoot = join(cwd, "node_modules", "gradlab").replace(/\\/g, "/");
  if (existsSync(virtualRoot)) return;
  const map = (p: string): string =>
    p === virtualRoot || p.startsWith(virtualRoot + "/") ? REPO_ROOT + p.slice(virtualRoot.length) : p;
  const sys = ts.sys;
  const { readFile, fileExists, directoryExists, getDirectories, readDirectory } = sys;
  sys.readFile = (p, enc) => readFile.call(sys, map(p), enc);
  sys.fileExists = (p) => fileExists.call(sys, map(p));
  sys.directoryExists = (p) => p === virtualRoot || directoryExists.call(sys, map(p));
  sys.getDirectories = (p) => getDirectories.call(sys, map(p));
  sys.readDirectory = (p, ...rest) => readDirectory.call(sys, map(p), ...rest);
}

/**
 * Make tslab's `locals.forEach((_, key) => keys.add(key))` see unescaped names. Only that
 * callback (recognised by its source text) is affected; the compiler's own iteration is not.
 */
function patchLeadingUnderscoreNames(): void {
  const forEach = Map.prototype.forEach;
  const isTslabKeysCallback = new WeakMap<object, boolean>();
  Map.prototype.forEach = function (this: Map<unknown, unknown>, cb: (v: unknown, k: unknown, m: Map<unknown, unknown>) => void, thisArg?: unknown) {
    return forEach.call(this, (v, k, m) => {
      if (typeof k === "string" && k.startsWith("___")) {
        let hit = isTslabKeysCallback.get(cb);
        if (hit === undefined) {
          hit = /keys\.add\(key\)/.test(String(cb));
          isTslabKeysCallback.set(cb, hit);
        }
        if (hit) k = k.slice(1);
      }
      cb.call(thisArg, v, k, m);
    });
  };
}

/**
 * Create the Node-mode TypeScript converter rooted at `cwd` (the notebook directory).
 * Takes ~1 s: the TypeScript program and lib files are loaded here.
 *
 * @example
 * const conv = createTsConverter(process.cwd());
 * conv.convert("", "const __x: number = 1; __x").output
 */
export function createTsConverter(cwd: string): Converter {
  const ts = require("@tslab/typescript-for-tslab") as Ts;
  if (!patched) {
    patched = true;
    patchSys(ts, cwd);
    patchLeadingUnderscoreNames();
  }
  const { createConverter } = require("tslab/dist/converter") as typeof import("tslab/dist/converter.js");
  return createConverter({ isJS: false, isBrowser: false });
}

/**
 * tslab's is-complete check (parse only, no type checking).
 *
 * @example
 * isComplete("function f() {") // { completed: false, indent: "  " }
 */
export function isComplete(code: string): { completed: boolean; indent?: string } {
  const { isCompleteCode } = require("tslab/dist/converter") as typeof import("tslab/dist/converter.js");
  return isCompleteCode(code);
}
