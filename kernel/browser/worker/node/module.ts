/**
 * @file `node:module` in the worker (scripts/build-site.mjs maps it here): `require` of the
 * modules the worker provides (`gradlab`: the library bundled into it), and `require.resolve` of
 * the packages whose files the compiler reads (files.ts), under the package's folder.
 */
import { PACKAGE_ROOT } from "../files.js";

const provided = new Map<string, unknown>();

/** Makes `require(id)` return `value` (and `require` of the path `path`, when given). */
export function provideModule(id: string, value: unknown, path?: string): void {
  provided.set(id, value);
  if (path) provided.set(path, value);
}

/** Where a package's file is: `@tslab/typescript-for-tslab` is its main script, `x/package.json` that file. */
function resolve(id: string): string {
  if (id === "@tslab/typescript-for-tslab") return `${PACKAGE_ROOT}/node_modules/@tslab/typescript-for-tslab/lib/typescript.js`;
  if (provided.has(id) || id.startsWith("/")) return id;
  return `${PACKAGE_ROOT}/node_modules/${id}`;
}

export interface BrowserRequire {
  (id: string): unknown;
  resolve(id: string): string;
}

export function createRequire(_from: string | URL): BrowserRequire {
  const req = ((id: string): unknown => {
    if (provided.has(id)) return provided.get(id);
    throw Object.assign(new Error(`Cannot find module '${id}': in the browser, cells can import gradlab and tslab only`), {
      code: "MODULE_NOT_FOUND",
    });
  }) as BrowserRequire;
  req.resolve = resolve;
  return req;
}

/** Node's Module, for local modules: the browser kernel has none, so nothing is ever compiled with it. */
export default class Module {
  exports: Record<string, unknown> = {};
  filename = "";
  paths: string[] = [];
  loaded = false;
  require: BrowserRequire = createRequire("/");
  constructor(readonly id: string) {}
  static _nodeModulePaths(): string[] {
    return [];
  }
  static wrap(code: string): string {
    return `(function (exports, require, module, __filename, __dirname) { ${code}\n});`;
  }
  _compile(): never {
    throw new Error("the browser kernel runs no local modules");
  }
}
