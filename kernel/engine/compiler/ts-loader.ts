/**
 * @file Loads the TypeScript compiler (tslab's fork, a 9 MB script) with a V8 code cache, so a
 * kernel starts ~0.1 s sooner: compiling the script and the parser/checker functions a first
 * cell needs is skipped when an earlier kernel left its cache (Node 20 has no built-in
 * compile cache for CommonJS modules).
 *
 * The cache lives in `$GRADLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/gradlab`, else
 * `~/.cache/gradlab`, named `typescript-<where>-<what>.v8`: where, the compiler's file and the
 * Node version and architecture (one install run by one Node); what, the compiler's size and
 * mtime (its build). V8 rejects a cache that does not match; then it is written again. Failing
 * to read or write it only costs the speed-up. Writing one removes what no process will read
 * again ({@link pruneCache}): the caches of the same install's earlier builds, caches named as
 * gradlab named them before, and a writer's leftover (killed while it wrote).
 *
 * An executor started from its startup snapshot (kernel/node/snapshot.ts) finds the compiler loaded already:
 * that one is used, when it was loaded from the same file (size and mtime), and no code cache.
 *
 * A seam of the cell engine: the browser host's bundle replaces this module whole
 * (kernel/browser/worker/node/ts-loader.ts), so it alone in kernel/engine/ may import Node
 * built-ins the browser has no stand-in for (`node:os`).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import vm from "node:vm";
import type * as TS from "@tslab/typescript-for-tslab";
import type { NodeTriggers } from "./node-types.js";
import type { ConvertResult } from "./types.js";
import { PACKAGE_ROOT } from "../../kernelspec.js";

const require = createRequire(import.meta.url);

/** What the snapshot leaves on `globalThis` under `Symbol.for("gradlab.tsSnapshot")` (kernel/node/snapshot-entry.cts). */
export interface TsSnapshot {
  ts: typeof TS;
  /** The compiler's file, and its size and mtime when the snapshot was built. */
  tsFile: string;
  tsSize: number;
  tsMtime: number;
  /**
   * Parsed declaration files by their path on disk, with the file's mtime when it was read; those
   * `bound` have the name a cell's program gives them (the lib); the others
   * (the library's) are named by the program that takes them, which binds them.
   */
  files: Map<string, { sf: TS.SourceFile; mtime: number; bound: boolean }>;
  /** Node's `Console` constructor, which an environment started from a snapshot lacks (kernel/node/child.ts puts it back). */
  Console: typeof console.Console;
  /** What makes a cell need `@types/node` (node-types.ts): until one does, cells are checked without it. */
  nodeTriggers: NodeTriggers;
  /** The shipped notebooks' cells, compiled when the snapshot was built (kernel/node/precompiled.ts), when they were. */
  precompiled?: PrecompiledCells;
}

/** Conversions made when the snapshot was built, and what they hold only while unchanged (kernel/node/precompiled.ts). */
export interface PrecompiledCells {
  /** The executor bundle whose compiler made them: its path, size and mtime. */
  bundle: [path: string, size: number, mtimeMs: number];
  /** The declaration files the cells were checked against, with their mtimes then. */
  files: [path: string, mtimeMs: number][];
  /** Conversions by the SHA-256 of the previous declarations and the cell's text. */
  map: Map<string, PrecompiledConversion>;
  /** How many cells an executor took from here (for tests and benchmarks). */
  hits: number;
}

/**
 * A kept conversion: a {@link ConvertResult} without diagnostics (it had none), whose declarations
 * are written as what they add to the previous ones (which its key holds): the characters they
 * share with the previous declarations at the start (`declHead`) and at the end (`declTail`), and
 * what is between (`declBody`). The declarations grow cell by cell, so kept whole they would be
 * most of the table (kernel/node/precompiled.ts).
 */
export type PrecompiledConversion = Omit<ConvertResult, "declOutput" | "diagnostics"> & {
  declHead?: number;
  declBody?: string;
  declTail?: number;
};

/** How the compiler was loaded (for tests and logs). */
export interface TsLoad {
  ts: typeof TS;
  /** The cache file used (or to be written). */
  cacheFile: string;
  /** Whether a cache was found and V8 accepted it. */
  fromCache: boolean;
}

let loaded: (TsLoad & { script?: vm.Script; saved: boolean }) | undefined;

/**
 * What the executor's startup snapshot holds (kernel/node/snapshot-entry.cts), when this process started from
 * one whose compiler is the file `file` is now; else undefined.
 */
export function tsSnapshot(file = require.resolve("@tslab/typescript-for-tslab")): TsSnapshot | undefined {
  const snap = (globalThis as Record<symbol, TsSnapshot | undefined>)[Symbol.for("gradlab.tsSnapshot")];
  if (!snap || snap.tsFile !== file) return undefined;
  const st = statSync(file, { throwIfNoEntry: false });
  return st && st.size === snap.tsSize && st.mtimeMs === snap.tsMtime ? snap : undefined;
}

function cacheDir(): string {
  return process.env.GRADLAB_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "gradlab");
}

/**
 * The TypeScript compiler module, loaded once per process (through the code cache when there
 * is one) and registered with `require`, so tslab's modules share it.
 *
 * @example
 * const { ts } = loadTypeScript(); ts.version // "5.0.4"
 */
export function loadTypeScript(): TsLoad {
  if (loaded) return loaded;
  const file = require.resolve("@tslab/typescript-for-tslab");
  const st = statSync(file);
  const minified = statSync(compilerSource(file));
  const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
  const where = hash(`${file}\0${process.version}\0${process.arch}`);
  const what = hash(`${st.size}\0${st.mtimeMs}\0${minified.size}\0${minified.mtimeMs}`);
  const cacheFile = join(cacheDir(), `typescript-${where}-${what}.v8`);
  if (require.cache[file]) {
    loaded = { ts: require(file) as typeof TS, cacheFile, fromCache: false, saved: true };
    return loaded;
  }
  const snap = tsSnapshot(file);
  if (snap) {
    // Registered as the module of its file, so tslab's modules share it.
    const mod = new Module(file);
    mod.filename = file;
    const ts = snap.ts;
    mod.exports = ts;
    mod.loaded = true;
    require.cache[file] = mod;
    loaded = { ts, cacheFile, fromCache: true, saved: true };
    return loaded;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = compilerSource(file);
  const script = new vm.Script(Module.wrap(oneByteSource(readFileSync(source, "utf8"))), { filename: source, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    req: NodeJS.Require,
    module: Module,
    filename: string,
    dir: string,
  ) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  require.cache[file] = mod;
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  loaded = { ts: mod.exports as typeof TS, cacheFile, fromCache, script, saved: fromCache };
  return loaded;
}

/**
 * The file whose source is run as the compiler's module `file`: the copy without comments and
 * whitespace, its local names shortened, that `npm run build` makes (scripts/build-compiler.mjs;
 * 3.0 MB against 7.7, in the heap, the startup snapshot and every worker's copy of it) when it was
 * made from this very package and size, else `file` itself.
 *
 * @example
 * compilerSource(require.resolve("@tslab/typescript-for-tslab")).endsWith(".js"); // true
 */
export function compilerSource(file: string): string {
  const min = join(PACKAGE_ROOT, "dist", "kernel", "engine", "compiler", "typescript.min.cjs");
  try {
    const stamp = JSON.parse(readFileSync(min.replace(/\.cjs$/, ".json"), "utf8")) as { version: string; size: number };
    const pkg = JSON.parse(readFileSync(join(dirname(file), "..", "package.json"), "utf8")) as { name: string; version: string };
    if (pkg.name === "@tslab/typescript-for-tslab" && pkg.version === stamp.version && statSync(file).size === stamp.size) return min;
  } catch {
    // no copy built (or no stamp): the file itself
  }
  return file;
}

/**
 * The compiler's source with every character above U+00FF written as a `\uXXXX` escape, so V8
 * keeps it as a one-byte string: the 8 MB source has a few such characters (in comments), and
 * with one of them V8 holds all of it as UTF-16, 16 MB in every isolate of the executor (a
 * worker started from the startup snapshot gets its own copy). The escape means the same
 * character in a comment, a string, an identifier or a regular expression; the compiler has
 * none in a template literal (whose raw text would differ). kernel/node/snapshot-entry.cts does the same.
 *
 * @example
 * oneByteSource("a → b") // "a \\u2192 b"
 */
export function oneByteSource(text: string): string {
  const escaped = text.replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  // (What `replace` returns is still two-byte when its subject was: decoding as Latin-1 makes it one-byte.)
  return Buffer.from(escaped, "latin1").toString("latin1");
}

/**
 * Writes the code cache if this process did not load from one. Call it after a first compile:
 * V8 then includes the functions that compile needed. Returns whether a cache was written.
 *
 * @example
 * loadTypeScript(); conv.convert("", ""); saveTypeScriptCache();
 */
export function saveTypeScriptCache(): boolean {
  if (!loaded?.script || loaded.saved) return false;
  loaded.saved = true;
  try {
    mkdirSync(dirname(loaded.cacheFile), { recursive: true });
    const tmp = `${loaded.cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, loaded.script.createCachedData());
    renameSync(tmp, loaded.cacheFile);
  } catch {
    return false;
  }
  pruneCache(loaded.cacheFile);
  return true;
}

/** How old a writer's temporary file must be to count as left over: a write takes well under a second. */
const LEFTOVER_MS = 10 * 60_000;

/**
 * Removes from the folder of the code cache `kept` (`typescript-<where>-<what>.v8`) the caches of
 * the same `where` (install and Node) for another `what` (an earlier build of the compiler: never
 * read again), caches named `typescript-<key>.v8` (an earlier gradlab's naming: one per build,
 * never removed then), and writers' temporary files older than {@link LEFTOVER_MS}. Other
 * installs' and other Nodes' caches are kept. A file another process removes first, or cannot be
 * removed, is left.
 */
export function pruneCache(kept: string, now = Date.now()): void {
  const dir = dirname(kept);
  const where = /^typescript-([0-9a-f]{16})-[0-9a-f]{16}\.v8$/.exec(basename(kept))?.[1];
  if (!where) return;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (path === kept) continue;
    let stale = name.startsWith(`typescript-${where}-`) && name.endsWith(".v8");
    stale ||= /^typescript-[0-9a-f]{16}\.v8$/.test(name);
    if (!stale && /^typescript-.*\.v8\.\d+\.tmp$/.test(name)) {
      const st = statSync(path, { throwIfNoEntry: false });
      stale = st !== undefined && now - st.mtimeMs > LEFTOVER_MS;
    }
    try {
      if (stale) rmSync(path, { force: true });
    } catch {
      // not ours to remove (another user's folder): left
    }
  }
}
