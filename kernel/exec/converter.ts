/**
 * @file tslab's TypeScript converter, with two fixes and gradlab's module resolution.
 *
 * - Top-level names starting with `__` (tslab bug: `const __x = 1` fails with "Cannot find
 *   name '___x'"): tslab builds `export { ... }` from the binder's *escaped* names, and
 *   TypeScript escapes `__x` as `___x`. We write that export from source names ourselves
 *   ({@link convertCell}), or unescape exactly in tslab's one callback.
 * - `import ... from "gradlab"` type-checks from any notebook directory: lookups under
 *   `<cwd>/node_modules/gradlab` that do not exist on disk are answered from this repository
 *   (its package.json points `types` at `dist/src/index.d.ts`).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { ConvertResult, Converter } from "tslab/dist/converter.js";

const require = createRequire(import.meta.url);

/** This repository's root (the `gradlab` package): built (`dist/kernel/exec`) or source (`kernel/exec`). */
export const REPO_ROOT = [resolve(import.meta.dirname, "..", ".."), resolve(import.meta.dirname, "..", "..", "..")].find((d) =>
  existsSync(join(d, "bin", "gradlab.js")),
)!;

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
 * How tslab's `locals.forEach((_, key) => keys.add(key))` is steered during one convert:
 * "suppress" hides the keys (we appended `export { ... }` ourselves, see {@link convertCell});
 * "unescape" hands it unescaped names. Only that callback (recognised by its source text) is
 * affected; the compiler's own iteration is not. Outside convert, forEach is untouched.
 */
let steer: { kind: "suppress"; probe: string } | { kind: "unescape" } | undefined;

function patchKeysCallback(): void {
  const forEach = Map.prototype.forEach;
  const isKeysCallback = new WeakMap<object, boolean>();
  const check = (cb: object): boolean => {
    let hit = isKeysCallback.get(cb);
    if (hit === undefined) {
      hit = /keys\.add\(key\)/.test(String(cb));
      isKeysCallback.set(cb, hit);
    }
    return hit;
  };
  Map.prototype.forEach = function (this: Map<unknown, unknown>, cb: (v: unknown, k: unknown, m: Map<unknown, unknown>) => void, thisArg?: unknown) {
    if (steer === undefined) return forEach.call(this, cb, thisArg);
    if (steer.kind === "suppress") {
      if (this.has(steer.probe) && check(cb)) return;
      return forEach.call(this, cb, thisArg);
    }
    return forEach.call(this, (v, k, m) => {
      if (typeof k === "string" && k.startsWith("___") && check(cb)) k = k.slice(1);
      cb.call(thisArg, v, k, m);
    });
  };
}

/**
 * The names a cell declares at top level (what the binder puts in the file's locals), or
 * undefined when the cell is unusual enough (syntax errors, `export`, `var`, ambient modules)
 * that only the compiler itself should decide.
 *
 * @example
 * topLevelNames(ts, "const [a, { b }] = f(); function g() {} import * as m from 'm';") // ["a", "b", "g", "m"]
 */
export function topLevelNames(ts: Ts, code: string): string[] | undefined {
  if (/\bvar\b|\bexport\b/.test(code)) return undefined;
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0) return undefined;
  const names = new Set<string>();
  const bind = (n: import("@tslab/typescript-for-tslab").BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => bind(d.name));
    else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) { if (st.name) names.add(st.name.text); }
    else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) names.add(st.name.text);
    else if (ts.isModuleDeclaration(st)) { if (!ts.isIdentifier(st.name) || st.name.text === "global") return undefined; names.add(st.name.text); }
    else if (ts.isImportEqualsDeclaration(st)) names.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.add(c.namedBindings.name.text);
      else if (c.namedBindings) c.namedBindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return [...names];
}

/**
 * tslab's convert with one TypeScript rebuild instead of two: tslab builds the cell once to
 * learn its top-level names, then again with `export { names }` appended. When we can list
 * the names from a parse ({@link topLevelNames}), we append the export ourselves and hide the
 * names from tslab, so it builds once (about a third less CPU per declaring cell).
 *
 * @example
 * convertCell(conv, "", "function f(x: number) { return 2 * x; }").output // "...exports.f = f;..."
 */
export function convertCell(conv: Converter, prevDecl: string, code: string): ConvertResult {
  const ts = require("@tslab/typescript-for-tslab") as Ts;
  const names = topLevelNames(ts, code);
  try {
    if (names && names.length > 0) {
      steer = { kind: "suppress", probe: ts.escapeLeadingUnderscores(names[0]) as string };
      return conv.convert(prevDecl, `${code}\nexport { ${names.join(", ")} }`);
    }
    steer = { kind: "unescape" };
    return conv.convert(prevDecl, code);
  } finally {
    steer = undefined;
  }
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
    patchKeysCallback();
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
