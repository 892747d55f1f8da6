/**
 * @file The compiler's loader (kernel/engine/compiler/ts-loader.ts) in the worker
 * (scripts/build-site.mjs maps it here): the compiler is bundled into the worker, and its
 * `ts.sys` reads the files of files.ts. There is no startup snapshot and no code cache.
 */
import * as bundled from "@tslab/typescript-for-tslab";
import type * as TS from "@tslab/typescript-for-tslab";
import { directories, directoryExists, fileExists, NOTEBOOK_DIR, readFile } from "../files.js";
import { createRequire } from "./module.js";

export interface TsLoad {
  ts: typeof TS;
  cacheFile: string;
  fromCache: boolean;
}

function unsupported(what: string): never {
  throw new Error(`the browser kernel cannot ${what}`);
}

/** TypeScript's System over the files of files.ts. */
function browserSys(): TS.System {
  return {
    args: [],
    newLine: "\n",
    useCaseSensitiveFileNames: true,
    write: () => undefined,
    readFile: (p) => readFile(p),
    writeFile: () => unsupported("write files"),
    resolvePath: (p) => p,
    fileExists: (p) => fileExists(p),
    directoryExists: (p) => directoryExists(p),
    createDirectory: () => unsupported("create folders"),
    getExecutingFilePath: () => createRequire("/").resolve("@tslab/typescript-for-tslab"),
    getCurrentDirectory: () => NOTEBOOK_DIR,
    getDirectories: (p) => directories(p),
    readDirectory: () => [],
    getModifiedTime: () => new Date(0),
    realpath: (p) => p,
    exit: () => unsupported("exit"),
  };
}

let loaded: TsLoad | undefined;

/** The compiler, with its `sys` set to the worker's files. */
export function loadTypeScript(): TsLoad {
  if (loaded) return loaded;
  const ts = ((bundled as unknown as { default?: typeof TS }).default ?? bundled) as typeof TS & { setSys(s: TS.System): void };
  ts.setSys(browserSys());
  loaded = { ts, cacheFile: "", fromCache: false };
  return loaded;
}

export function saveTypeScriptCache(): boolean {
  return false;
}

export function tsSnapshot(): undefined {
  return undefined;
}
