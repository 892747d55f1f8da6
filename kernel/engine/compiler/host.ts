/**
 * @file The compiler host of gradlab's cell compiler: compiler options, files read through a cache
 * of parsed files kept across cells, module resolution through a cache, and `gradlab` / `tslab`
 * resolved from any notebook folder.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";
import type { CompilerState, Ts } from "./state.js";
import { PACKAGE_ROOT } from "../../kernelspec.js";
import { LIGHT_GLOBALS, nodeNames, type NodeTriggers } from "./node-types.js";
import { tsSnapshot } from "./ts-loader.js";

const require = createRequire(import.meta.url);

/** This repository's root (the `gradlab` package), where `import ... from "gradlab"` resolves. */
export const REPO_ROOT = PACKAGE_ROOT;

const norm = (p: string) => p.replace(/\\/g, "/");

/**
 * The state of a compiler rooted at `notebookDir`, with its host. Nothing is parsed yet: the
 * first build parses the lib declarations (~1 s, once per kernel), and `@types/node` from the
 * start without `triggers`, else once a cell needs it (node-types.ts).
 */
export function createCompilerState(ts: Ts, notebookDir: string, useWarm: boolean, triggers?: NodeTriggers): CompilerState {
  const cwd = norm(notebookDir);
  const srcFilename = `${cwd}/__tslab__.ts`;
  const declFilename = `${cwd}/__prev__.d.ts`;
  const globalsFilename = `${cwd}/__gradlab_globals__.d.ts`;
  const outDir = `${cwd}/__gradlab_out__`;
  const libDir = norm(dirname(require.resolve("@tslab/typescript-for-tslab")));
  const roots = typeRoots(ts, cwd);

  // `<cwd>/node_modules/{gradlab,tslab}` resolve to this repository and to tslab's package when absent.
  const virtualPackages: [string, string][] = [
    [`${cwd}/node_modules/gradlab`, norm(REPO_ROOT)],
    [`${cwd}/node_modules/tslab`, norm(dirname(require.resolve("tslab/package.json")))],
  ].filter(([v]) => !existsSync(v)) as [string, string][];
  const real = (p: string): string => {
    for (const [v, r] of virtualPackages) if (p === v || p.startsWith(v + "/")) return r + p.slice(v.length);
    return p;
  };

  const baseOptions: TS.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    declaration: true,
    sourceMap: true,
    newLine: ts.NewLineKind.LineFeed,
    noImplicitUseStrict: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    // `./mod.ts` as well as `./mod` and `./mod.js` (emit rewrites the specifier: relativeTsToJs).
    // TypeScript reports that this option wants noEmit (TS5096, an options diagnostic without a
    // file, which convertDiagnostics leaves out): the cell compiler emits through its own writeFile.
    allowImportingTsExtensions: true,
    jsx: ts.JsxEmit.React,
    typeRoots: roots.resolve,
    allowJs: true,
    checkJs: true,
    disableTopLevelAwait: true,
    skipLibCheck: true,
    rootDir: cwd,
    outDir,
  };

  const host = ts.createCompilerHost(baseOptions);
  const s: CompilerState = {
    ts,
    cwd,
    srcFilename,
    declFilename,
    outDir,
    useWarm,
    host,
    real,
    baseOptions,
    notebookTypeRoots: roots.notebook,
    nodeTypes: triggers === undefined,
    nodeNames: triggers && nodeNames(triggers),
    globalsFilename,
    globalsSF: ts.createSourceFile(globalsFilename, LIGHT_GLOBALS, ts.ScriptTarget.ES2022),
    // TypeScript reads every @types package.json on each program unless `types` is given: they are
    // listed once (and again after packages are installed, see refreshFiles).
    options: baseOptions,
    resolutions: ts.createModuleResolutionCache(cwd, (f) => f, baseOptions),
    files: new Map(),
    nodeModulesStamp: "",
    declText: undefined,
    declSF: undefined,
    srcSF: undefined,
    program: undefined,
    sideEmitted: new Set(),
    modulesChanged: false,
    modulesStamp: 0,
    warm: undefined,
    chain: undefined,
    cellSeq: 0,
    counts: { fullBuilds: 0, warmCells: 0 },
    interruptChecks: false,
    beforeNodeBuild: () => undefined,
  };

  host.getCurrentDirectory = () => cwd;
  host.readFile = (p) => ts.sys.readFile(real(p));
  host.fileExists = (p) => p === globalsFilename || ts.sys.fileExists(real(p));
  host.directoryExists = (p) => p === `${cwd}/node_modules` || virtualPackages.some(([v]) => p === v) || ts.sys.directoryExists(real(p));
  host.getDirectories = (p) => ts.sys.getDirectories(real(p));
  host.realpath = (p) => p;
  // The previous cells' imports are resolved again for every cell (their declarations file is new
  // each time); the cache makes that a lookup.
  host.resolveModuleNames = (names, containingFile, _reused, redirected, opts) =>
    names.map((name) => ts.resolveModuleName(name, containingFile, opts, host, s.resolutions, redirected).resolvedModule);
  host.writeFile = () => {
    throw new Error("gradlab's compiler never writes files");
  };
  // Declarations parsed and bound in the executor's startup snapshot, taken (once) while their files are unchanged.
  const snapshotFiles = tsSnapshot()?.files;
  host.getSourceFile = (fileName, languageVersion) => {
    if (fileName === srcFilename) return s.srcSF;
    if (fileName === declFilename) return s.declSF;
    if (fileName === globalsFilename) return s.globalsSF;
    const hit = s.files.get(fileName);
    if (hit) return hit.sf;
    const path = real(fileName);
    const pre = snapshotFiles?.get(path);
    if (pre) {
      snapshotFiles!.delete(path);
      const version = typeof languageVersion === "object" ? languageVersion : { languageVersion, impliedNodeFormat: undefined };
      const same = pre.sf.languageVersion === version.languageVersion && pre.sf.impliedNodeFormat === version.impliedNodeFormat;
      // (A bound file only under the name it was bound with; the program names the file as it asked.)
      if (same && (!pre.bound || path === fileName) && mtimeOf(path) === pre.mtime) {
        const fixed = path.startsWith(libDir + "/");
        s.files.set(fileName, { sf: pre.sf, mtime: fixed ? undefined : pre.mtime, inNodeModules: path.includes("/node_modules/") });
        return pre.sf;
      }
    }
    const text = ts.sys.readFile(path);
    if (text === undefined) return undefined;
    const sf = ts.createSourceFile(fileName, text, languageVersion);
    const fixed = path.startsWith(libDir + "/");
    const inNodeModules = path.includes("/node_modules/");
    // (A package, even one mapped out of node_modules such as `gradlab`, is compared by mtime only.)
    const local = !fixed && !inNodeModules && !fileName.includes("/node_modules/") && !sf.isDeclarationFile;
    s.files.set(fileName, { sf, mtime: fixed ? undefined : mtimeOf(path), inNodeModules, text: local ? text : undefined });
    return sf;
  };
  return s;
}

/**
 * Drop parsed files that changed on disk (npm installs, edited local modules); true when any did.
 * A local module is compared by its text too: two writes within the file system's mtime
 * resolution leave the mtime as it was.
 */
export function refreshFiles(s: CompilerState): boolean {
  const { ts, cwd } = s;
  const stamp = `${mtimeOf(`${cwd}/node_modules`)}:${mtimeOf(`${cwd}/node_modules/.package-lock.json`)}`;
  const installed = stamp !== s.nodeModulesStamp;
  let changed = installed;
  s.nodeModulesStamp = stamp;
  if (installed) {
    s.resolutions.clear();
    // The packages of the notebook's own type roots (as tsc includes them), and `node`: from the
    // start when the notebook has packages there (one of them may reference Node's types).
    const types = ts.getAutomaticTypeDirectiveNames({ ...s.baseOptions, typeRoots: s.notebookTypeRoots }, s.host);
    if (types.length > 0) s.nodeTypes = true;
    if (s.nodeTypes && !types.includes("node")) types.push("node");
    if (String(types) !== String(s.options.types)) s.options = { ...s.baseOptions, types };
  }
  for (const [name, f] of s.files) {
    if (f.mtime === undefined) continue;
    const stale = f.inNodeModules
      ? installed
      : mtimeOf(s.real(name)) !== f.mtime || (f.text !== undefined && ts.sys.readFile(s.real(name)) !== f.text);
    if (stale) {
      s.files.delete(name);
      if (s.sideEmitted.delete(name)) s.modulesChanged = true;
      if (f.text !== undefined) s.modulesStamp++;
      changed = true;
    }
  }
  return changed;
}

/**
 * From now on cells are checked against `@types/node` (node-types.ts): the next cell gets a full
 * build with it.
 */
export function useNodeTypes(s: CompilerState): void {
  if (s.nodeTypes) return;
  s.nodeTypes = true;
  s.warm = undefined;
  s.options = { ...s.baseOptions, types: [...(s.options.types ?? []), "node"] };
}

/** The root files of a cell's program: the `console` of node-types.ts when `@types/node` is not there, the previous declarations, the cell. */
export function rootNames(s: CompilerState): string[] {
  return s.nodeTypes ? [s.declFilename, s.srcFilename] : [s.globalsFilename, s.declFilename, s.srcFilename];
}

/**
 * {@link CompilerState.modulesStamp} after looking at the local modules only (a few stats): when
 * one changed, every file is refreshed and the warm checker dropped, as a conversion would.
 */
export function localModulesStamp(s: CompilerState): number {
  for (const [name, f] of s.files) {
    if (f.text === undefined) continue;
    const path = s.real(name);
    if (mtimeOf(path) !== f.mtime || s.ts.sys.readFile(path) !== f.text) {
      if (refreshFiles(s)) s.warm = undefined;
      break;
    }
  }
  return s.modulesStamp;
}

function mtimeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

/**
 * The notebook folder's type roots (`notebook`: every package in them is included, as tsc does),
 * and the roots `types` entries resolve in (`resolve`): those, plus the folder of this package's
 * `@types/node` when they lack one, so `@types/node` is there when a cell needs it (node-types.ts). Only `node` is taken from
 * that folder: the other `@types` packages installed beside it (a development tree's, or the
 * project's that installed gradlab) are not the notebook's, and parsing them cost more than the
 * lib and `@types/node` together.
 */
function typeRoots(ts: Ts, cwd: string): { notebook: string[]; resolve: string[] } {
  const notebook = ts.getDefaultTypeRoots(cwd, { directoryExists: ts.sys.directoryExists }) ?? [];
  if (notebook.some((r) => ts.sys.fileExists(join(r, "node", "package.json")))) return { notebook, resolve: notebook };
  return { notebook, resolve: [...notebook, dirname(dirname(require.resolve("@types/node/package.json")))] };
}
