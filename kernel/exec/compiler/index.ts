/**
 * @file gradlab's TypeScript cell compiler: type-checks a cell against the declarations of the
 * cells before it and emits CommonJS that stores the cell's names in the notebook's `exports`.
 *
 * It keeps tslab's model (tslab's `converter.ts`, Apache-2.0, by Yu Watanabe; same compiler
 * fork, same options, same output contract) but is built for speed:
 * - the warm checker: the usual cell is parsed, bound and checked against the type checker of the
 *   last full build (lib, `@types` and imported modules already merged and partly resolved), so
 *   no program and no checker is built for it; a cell that needs what that program lacks (a new
 *   import, an edited module, an augmentation) gets a full build, which becomes the warm one;
 * - a full build is one plain `ts.createProgram` that reuses the previous program and a cache of
 *   parsed files, instead of a watch builder that also hashes every file and rebuilds a reference map;
 * - the cell's `export { names }` is written from a parse ({@link topLevelNames}), so the
 *   program is built once per cell, not twice;
 * - CommonJS is emitted directly (tslab emits ES modules and then re-compiles them to CommonJS);
 * - `@types` packages are listed once, module resolutions are cached, and the previous
 *   declarations are reprinted only when a cell overrides some of them.
 * It also fixes tslab's defects (top-level `__names`, cells that `export`, `{ x }` shorthand of
 * an earlier name, a top-level `for await`), emits a source map for exact runtime error lines,
 * and resolves `import ... from "gradlab"` / `"tslab"` from any notebook folder. The emit
 * transforms and the carried declarations are in cell-transforms.ts.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";
import { dropExportDeclarations, lastExpressionToExport, previousNamesToExports, remainingDecls } from "./cell-transforms.js";
import { loadTypeScript } from "./ts-loader.js";

const require = createRequire(import.meta.url);
type Ts = typeof TS;

/** Internals of TypeScript (and of tslab's fork) that its public typings leave out. */
interface TsInternals {
  findPrecedingToken(position: number, sf: TS.SourceFile): TS.Node | undefined;
  findNextToken(previous: TS.Node, parent: TS.Node, sf: TS.SourceFile): TS.Node | undefined;
  Completions: { getCompletionsAtPositionForTslab(...args: unknown[]): TS.CompletionInfo | undefined };
  bindSourceFile(sf: TS.SourceFile, options: TS.CompilerOptions): void;
  setResolvedModule(sf: TS.SourceFile, name: string, resolution: TS.ResolvedModuleWithFailedLookupLocations, mode: TS.ResolutionMode): void;
}
const internals = (ts: Ts) => ts as unknown as TsInternals;

/** This repository's root (the `gradlab` package): built (`dist/kernel/exec`) or source (`kernel/exec`). */
export const REPO_ROOT = [resolve(import.meta.dirname, "..", ".."), resolve(import.meta.dirname, "..", "..", "..")].find((d) =>
  existsSync(join(d, "bin", "gradlab.js")),
)!;

/** A position in a cell (zero-based line and character) or in a side module. */
export interface Position {
  offset: number;
  line: number;
  character: number;
}

/** One TypeScript diagnostic; `fileName` is set when it is in an imported local module. */
export interface Diagnostic {
  start: Position;
  end: Position;
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

/** A local `.ts`/`.js` module a cell imports, compiled to CommonJS (`path`: its `.js` path). */
export interface SideOutput {
  path: string;
  data: string;
}

/** What {@link Converter.convert} gives back. */
export interface ConvertResult {
  /** CommonJS body to run as `(function (exports, require) { ... })`. Absent on errors. */
  output?: string;
  /** Declarations of everything defined so far, for the next cell. Absent on errors. */
  declOutput?: string;
  diagnostics: Diagnostic[];
  /** Whether the cell awaits at top level (run it in an async function). */
  hasToplevelAwait?: boolean;
  /** Local modules compiled for the first time (or again after they changed). */
  sideOutputs?: SideOutput[];
  /** The `exports` name holding the cell's last expression, when it ends with one. */
  lastExpressionVar?: string;
  /**
   * The source map of `output` (its `mappings` field, source lines counted from the cell's
   * first line), so runtime errors point at the exact cell line (`sourceLine` in source-map.ts).
   */
  mappings?: string;
}

/** Completion candidates replacing `code.slice(start, end)`. */
export interface Completion {
  start: number;
  end: number;
  candidates: string[];
}

/** A cell compiler bound to one notebook directory. */
export interface Converter {
  convert(prevDecl: string, code: string): ConvertResult;
  complete(prevDecl: string, code: string, cursor: number): Completion;
  inspect(prevDecl: string, code: string, cursor: number): TS.QuickInfo | undefined;
  close(): void;
  /**
   * How many cells a full build compiled, how many the warm checker did, whether a warm checker is
   * ready for the next cell, and how many files its previous declarations are in now (for tests
   * and benchmarks).
   */
  stats(): { fullBuilds: number; warmCells: number; warm: boolean; declFiles: number };
}

/** Options of {@link createTsConverter}. */
export interface ConverterOptions {
  /** Reuse the type checker of the last full build for later cells (the warm checker; default true). False: a full build per cell. */
  warm?: boolean;
}

/**
 * The names a cell declares at top level (what the binder puts in the file's locals), or
 * undefined when the cell is unusual enough (syntax errors, `export`, `var`, ambient modules)
 * that only the compiler itself should decide. `parsed`: the cell already parsed (its text may
 * start with `export {};`), else it is parsed here.
 *
 * @example
 * topLevelNames(ts, "const [a, { b }] = f(); function g() {} import * as m from 'm';") // ["a", "b", "g", "m"]
 */
export function topLevelNames(ts: Ts, code: string, parsed?: TS.SourceFile): string[] | undefined {
  if (/\bvar\b|\bexport\b/.test(code)) return undefined;
  const sf = parsed ?? ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0) return undefined;
  const names = new Set<string>();
  const bind = (n: TS.BindingName): void => {
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

/** Makes a file an ES module, so a cell's top-level names are its own and not globals. */
const PREFIX = "export {};\n";

/** A parsed file kept across cells, with what decides whether it is stale. */
interface CachedFile {
  sf: TS.SourceFile;
  /** mtime when read, for files that may change while the kernel runs (undefined: never changes). */
  mtime?: number;
  /** Under a node_modules folder: dropped together when packages are installed. */
  inNodeModules: boolean;
}

/**
 * Create the compiler rooted at `cwd` (the notebook directory). The first convert takes ~1 s:
 * it parses the lib and `@types/node` declarations, once per kernel.
 *
 * @example
 * const conv = createTsConverter(process.cwd());
 * conv.convert("", "const __x: number = 1; __x").output // "...exports.__x = __x;\nexports.tsLastExpr = exports.__x;..."
 */
export function createTsConverter(cwd: string, converterOptions: ConverterOptions = {}): Converter {
  const useWarm = converterOptions.warm ?? true;
  const counts = { fullBuilds: 0, warmCells: 0 };
  const { ts } = loadTypeScript();
  const norm = (p: string) => p.replace(/\\/g, "/");
  cwd = norm(cwd);
  const srcFilename = `${cwd}/__tslab__.ts`;
  const declFilename = `${cwd}/__prev__.d.ts`;
  const outDir = `${cwd}/__gradlab_out__`;
  const libDir = norm(dirname(require.resolve("@tslab/typescript-for-tslab")));

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
    jsx: ts.JsxEmit.React,
    typeRoots: typeRoots(ts, cwd),
    allowJs: true,
    checkJs: true,
    disableTopLevelAwait: true,
    skipLibCheck: true,
    rootDir: cwd,
    outDir,
  };

  // TypeScript reads every @types package.json on each program unless `types` is given: list them once
  // (and again after packages are installed, see refreshFiles).
  let options = baseOptions;
  const files = new Map<string, CachedFile>();
  let nodeModulesStamp = "";
  let declText: string | undefined;
  let declSF: TS.SourceFile | undefined;
  let srcSF: TS.SourceFile | undefined;
  let program: TS.Program | undefined;
  /** Side modules already emitted (re-emitted after their file changes). */
  const sideEmitted = new Set<string>();
  /**
   * The warm checker: the last program a full build made (the lib, `@types` and every module the
   * notebook imported so far, parsed, bound and merged into globals) and its type checker, which
   * later cells reuse while they need nothing that program lacks ({@link fastConvert}).
   * Undefined while a conversion uses it: one that an interrupt ends half-way leaves it unset.
   */
  let warm: { program: TS.Program; checker: TS.TypeChecker; cells: number; chars: number } | undefined;
  /** The previous declarations as the warm checker sees them (see {@link Chain}). */
  let chain: Chain | undefined;
  /** Numbers the files of cells checked by the warm checker (each has a name of its own). */
  let cellSeq = 0;

  const host = ts.createCompilerHost(options);
  host.getCurrentDirectory = () => cwd;
  host.readFile = (p) => ts.sys.readFile(real(p));
  host.fileExists = (p) => ts.sys.fileExists(real(p));
  host.directoryExists = (p) => p === `${cwd}/node_modules` || virtualPackages.some(([v]) => p === v) || ts.sys.directoryExists(real(p));
  host.getDirectories = (p) => ts.sys.getDirectories(real(p));
  host.realpath = (p) => p;
  // The previous cells' imports are resolved again for every cell (their declarations file is new
  // each time); a cache makes that a lookup. Dropped after a failed cell and after installs, so
  // a module written or installed since is found.
  const resolutions = ts.createModuleResolutionCache(cwd, (f) => f, baseOptions);
  host.resolveModuleNames = (names, containingFile, _reused, redirected, opts) =>
    names.map((name) => ts.resolveModuleName(name, containingFile, opts, host, resolutions, redirected).resolvedModule);
  host.writeFile = () => {
    throw new Error("gradlab's compiler never writes files");
  };
  host.getSourceFile = (fileName, languageVersion) => {
    if (fileName === srcFilename) return srcSF;
    if (fileName === declFilename) return declSF;
    const hit = files.get(fileName);
    if (hit) return hit.sf;
    const path = real(fileName);
    const text = ts.sys.readFile(path);
    if (text === undefined) return undefined;
    const sf = ts.createSourceFile(fileName, text, languageVersion);
    const fixed = path.startsWith(libDir + "/");
    files.set(fileName, { sf, mtime: fixed ? undefined : mtimeOf(path), inNodeModules: path.includes("/node_modules/") });
    return sf;
  };

  /** Drop parsed files that changed on disk (npm installs, edited local modules); true when any did. */
  function refreshFiles(): boolean {
    const stamp = `${mtimeOf(`${cwd}/node_modules`)}:${mtimeOf(`${cwd}/node_modules/.package-lock.json`)}`;
    const installed = stamp !== nodeModulesStamp;
    let changed = installed;
    nodeModulesStamp = stamp;
    if (installed) {
      resolutions.clear();
      const types = ts.getAutomaticTypeDirectiveNames(baseOptions, host);
      if (String(types) !== String(options.types)) options = { ...baseOptions, types };
    }
    for (const [name, f] of files) {
      if (f.mtime === undefined) continue;
      if (f.inNodeModules ? installed : mtimeOf(real(name)) !== f.mtime) {
        files.delete(name);
        sideEmitted.delete(name);
        changed = true;
      }
    }
    return changed;
  }

  /** Rebuild the program for `decl` + `src`, reusing everything that did not change. */
  function update(decl: string, src: string): { program: TS.Program; srcFile: TS.SourceFile; declFile: TS.SourceFile } {
    if (refreshFiles()) warm = undefined;
    // (Each cache is assigned only once its value is complete: an interrupt may end a conversion anywhere.)
    if (decl !== declText || !declSF) {
      declSF = ts.createSourceFile(declFilename, PREFIX + decl, ts.ScriptTarget.ES2022);
      declText = decl;
    }
    // Always a new cell file, so its imports are resolved again: an import that failed may work
    // now (the module was written or installed since), and TypeScript re-resolves only changed files.
    srcSF = ts.createSourceFile(srcFilename, PREFIX + src, ts.ScriptTarget.ES2022, true);
    program = ts.createProgram({ rootNames: [declFilename, srcFilename], options, host, oldProgram: program });
    // tslab's fork resolves a cell's free names in the previous declarations through this parent link.
    (srcSF as { parent?: TS.Node }).parent = declSF;
    return { program, srcFile: srcSF, declFile: declSF };
  }

  /** Local `.ts`/`.js` modules the cell reaches through imports (not declaration files). */
  function sideModules(p: TS.Program, from: TS.SourceFile): TS.SourceFile[] {
    const seen = new Set<string>([from.fileName]);
    const out: TS.SourceFile[] = [];
    const visit = (sf: TS.SourceFile) => {
      const resolved = (sf as { resolvedModules?: { forEach(cb: (r: { resolvedModule?: TS.ResolvedModuleFull }) => void): void } }).resolvedModules;
      resolved?.forEach((r) => {
        const name = r.resolvedModule?.resolvedFileName;
        if (!name || seen.has(name) || r.resolvedModule?.isExternalLibraryImport) return;
        seen.add(name);
        const dep = p.getSourceFile(name);
        if (!dep || dep.isDeclarationFile || !/\.(ts|js)$/.test(name)) return;
        out.push(dep);
        visit(dep);
      });
    };
    visit(from);
    return out;
  }

  /**
   * The usual cell (top-level names known, no augmentation of globals or modules, imports that the
   * warm program has already resolved): parse and bind just the cell, check it with the warm
   * checker against the declaration chain ({@link Chain}) and emit. Undefined when the cell needs
   * a full build.
   *
   * Each such cell file has a name of its own (`__tslab__.<n>.ts`): the checker keeps its
   * diagnostics by file name, and would drop a new error equal to an old one in a file of the same name.
   */
  function fastConvert(decl: string, code: string, names: string[], cell: { fileName: string; parsed: TS.SourceFile }): ConvertResult | undefined {
    const w = warm;
    if (!useWarm || !w || w.cells >= WARM_CELLS || w.chars >= WARM_CHARS || /\/\/\/\s*<reference|\bdeclare\s+(global|module)\b/.test(code)) return undefined;
    if (refreshFiles()) {
      warm = undefined;
      return undefined;
    }
    const p = w.program;
    let chars = code.length;
    let c = chain && chain.program === p && chain.text === decl ? chain : undefined;
    // A cell that declares a name again gets the previous declarations as one file (remainingDecls drops what it overrides).
    if (!c || (c.files.length > 1 && names.some((n) => c!.names.has(n)))) {
      const flat = ts.createSourceFile(declFilename, PREFIX + decl, ts.ScriptTarget.ES2022);
      if (!prepare(flat, p)) return undefined;
      chars += decl.length;
      c = { program: p, files: [flat], text: decl, names: new Set(), simple: isSimpleDecl(ts, flat), bound: false };
    }
    // A cell that declares nothing is checked as it was parsed to find that out.
    const sf = names.length > 0 ? ts.createSourceFile(cell.fileName, `${PREFIX}${code}\nexport { ${names.join(", ")} }`, ts.ScriptTarget.ES2022, true) : cell.parsed;
    if (!prepare(sf, p)) return undefined;
    // From here on the warm checker is in use (an interrupt may end this anywhere).
    warm = undefined;
    chain = undefined;
    if (!c.bound) {
      internals(ts).bindSourceFile(c.files[0]!, options);
      localNames(c.files[0]!).forEach((n) => c!.names.add(n));
      c.bound = true;
    }
    const top = c.files[c.files.length - 1]!;
    internals(ts).bindSourceFile(sf, options);
    // tslab's fork resolves a cell's free names in the previous declarations through this parent link.
    (sf as { parent?: TS.Node }).parent = top;
    const found = [...p.getOptionsDiagnostics(), ...p.getGlobalDiagnostics(), ...p.getSyntacticDiagnostics(sf), ...p.getSemanticDiagnostics(sf)];
    let diag = convertDiagnostics(ts.sortAndDeduplicateDiagnostics(found), sf);
    let result: ConvertResult;
    if (diag.diagnostics.length > 0) {
      diag = convertDiagnostics(ts.sortAndDeduplicateDiagnostics([...found, ...p.getDeclarationDiagnostics(sf)]), sf);
      resolutions.clear();
      result = { diagnostics: diag.diagnostics };
      chain = c;
    } else {
      // A chain of several files never holds a name the cell declares: nothing of it is overridden.
      const remaining = c.files.length > 1 ? { text: decl, edited: false } : undefined;
      const { remaining: used, ...emitted } = emitCell(p, w.checker, sf, c.files, names, [], diag.hasToplevelAwait, remaining, names.length === 0);
      result = emitted;
      if (used && emitted.declOutput !== undefined) {
        chain = nextChain(c, emitted.declOutput, used, p);
        chars += Math.max(0, emitted.declOutput.length - decl.length);
      } else {
        chain = c;
      }
    }
    warm = { ...w, cells: w.cells + 1, chars: w.chars + chars };
    counts.warmCells++;
    return result;
  }

  /**
   * The chain for the next cell: the same when the cell declared nothing; one file more (the cell's
   * own declarations) when it only added names to a chain of plain declarations; else none (the
   * next cell starts one from its declarations text).
   */
  function nextChain(c: Chain, next: string, remaining: { text: string; edited: boolean }, p: TS.Program): Chain | undefined {
    if (remaining.edited) return undefined;
    if (next === c.text) return c;
    const own = next.slice(0, next.length - remaining.text.length);
    if (!c.simple || remaining.text !== c.text || !next.endsWith(c.text)) return undefined;
    const layer = ts.createSourceFile(declFilename, PREFIX + own, ts.ScriptTarget.ES2022);
    if (!isSimpleDecl(ts, layer) || !prepare(layer, p)) return undefined;
    internals(ts).bindSourceFile(layer, options);
    const added = localNames(layer);
    if (added.some((n) => c.names.has(n))) return undefined;
    (layer as { parent?: TS.Node }).parent = c.files[c.files.length - 1];
    return { program: p, files: [...c.files, layer], text: next, names: new Set([...c.names, ...added]), simple: true, bound: true };
  }

  /** The names a bound declarations file declares at top level. */
  function localNames(sf: TS.SourceFile): string[] {
    const out: string[] = [];
    (sf as { locals?: Map<string, TS.Symbol> }).locals?.forEach((_, key) => out.push(ts.unescapeLeadingUnderscores(key as TS.__String)));
    return out;
  }

  /**
   * Makes a file parsed outside any program ready for the warm checker: its path, and its imports
   * resolved as a program would. False when the warm program lacks something the file needs
   * (a module it did not load, a local module not compiled yet, an augmentation of globals or of
   * a module, a reference directive).
   */
  function prepare(sf: TS.SourceFile, p: TS.Program): boolean {
    const f = sf as TS.SourceFile & { path: string; resolvedPath: string; originalFileName: string; imports: readonly TS.StringLiteralLike[]; moduleAugmentations: readonly TS.Node[]; ambientModuleNames: readonly string[] };
    if (sf.referencedFiles.length > 0 || sf.libReferenceDirectives.length > 0) return false;
    if (sf.typeReferenceDirectives.some((r) => !(options.types ?? []).includes(r.fileName))) return false;
    const specs = moduleSpecifiers(ts, sf);
    if (!specs) return false;
    for (const lit of specs) {
      const resolution = ts.resolveModuleName(lit.text, sf.fileName, options, host, resolutions);
      const r = resolution.resolvedModule;
      if ((resolution as { resolutionDiagnostics?: unknown[] }).resolutionDiagnostics?.length) return false;
      if (r) {
        const target = p.getSourceFile(r.resolvedFileName);
        // A module outside the program must be what a program leaves out too: JavaScript in node_modules.
        if (!target && !(r.isExternalLibraryImport && /\.[cm]?jsx?$/.test(r.resolvedFileName))) return false;
        if (target && !target.isDeclarationFile && !r.isExternalLibraryImport && !sideEmitted.has(target.fileName)) return false;
      }
      internals(ts).setResolvedModule(sf, lit.text, resolution, ts.getModeForUsageLocation(sf, lit));
    }
    f.path = f.resolvedPath = f.originalFileName = sf.fileName;
    f.imports = specs;
    f.moduleAugmentations = [];
    f.ambientModuleNames = [];
    return true;
  }

  function convert(prevDecl: string, code: string): ConvertResult {
    // Parsed once, as the warm checker's file of this cell (a full build parses its own).
    const fileName = `${cwd}/__tslab__.${++cellSeq}.ts`;
    const parsed = ts.createSourceFile(fileName, PREFIX + code, ts.ScriptTarget.ES2022, true);
    let names = topLevelNames(ts, code, parsed);
    if (names) {
      const fast = fastConvert(prevDecl, code, names, { fileName, parsed });
      if (fast) return fast;
    }
    warm = undefined;
    counts.fullBuilds++;
    let built = update(prevDecl, names && names.length > 0 ? `${code}\nexport { ${names.join(", ")} }` : code);
    if (!names) {
      // Let the binder decide: build once, read the file's locals, and build again with them exported.
      names = [];
      built.program.getTypeChecker(); // binds the files
      // (`export const x` is exported already: its local symbol is an ExportValue.)
      (built.srcFile as { locals?: Map<string, TS.Symbol> }).locals?.forEach((sym, key) => {
        if (!(sym.flags & ts.SymbolFlags.ExportValue)) names!.push(ts.unescapeLeadingUnderscores(key as TS.__String));
      });
      if (names.length > 0) built = update(prevDecl, `${code}\nexport { ${names.join(", ")} }`);
    }
    const { program: p, srcFile, declFile } = built;
    const sides = sideModules(p, srcFile);
    const diag = convertDiagnostics(ts.getPreEmitDiagnosticsOfFiles(p, [srcFile, ...sides]), srcFile);
    const checker = p.getTypeChecker();
    if (diag.diagnostics.length > 0) {
      resolutions.clear();
      setWarm(p, checker, srcFile, declFile);
      return { diagnostics: diag.diagnostics };
    }
    const { remaining: _, ...result } = emitCell(p, checker, srcFile, [declFile], names, sides, diag.hasToplevelAwait);
    setWarm(p, checker, srcFile, declFile);
    return result;
  }

  /**
   * Keeps a full build's program and checker for later cells, unless its cell or declarations
   * augment the globals or a module: its checker has merged them, and a later cell that no longer
   * carries them must not see them.
   */
  function setWarm(p: TS.Program, checker: TS.TypeChecker, srcFile: TS.SourceFile, declFile: TS.SourceFile): void {
    const plain = (sf: TS.SourceFile) => !(sf as { moduleAugmentations?: readonly TS.Node[] }).moduleAugmentations?.length && moduleSpecifiers(ts, sf) !== undefined;
    warm = plain(srcFile) && plain(declFile) ? { program: p, checker, cells: 0, chars: 0 } : undefined;
  }

  /** Emits a checked cell (and the local modules it reaches that are new or changed). */
  function emitCell(
    p: TS.Program,
    checker: TS.TypeChecker,
    srcFile: TS.SourceFile,
    declFiles: TS.SourceFile[],
    names: string[],
    sides: TS.SourceFile[],
    hasToplevelAwait: boolean,
    remaining?: { text: string; edited: boolean },
    jsOnly = false,
  ): ConvertResult & { remaining?: { text: string; edited: boolean } } {
    let output = "";
    let declOutput = "";
    let mappings: string | undefined;
    let lastExpressionVar: string | undefined;
    const js = `${outDir}/${srcFile.fileName.slice(cwd.length + 1).replace(/\.ts$/, ".js")}`;
    const dts = js.replace(/\.js$/, ".d.ts");
    const emitted = p.emit(
      srcFile,
      (fileName, data) => {
        if (fileName === js) output = data.replace(SOURCE_MAP_COMMENT, "");
        else if (fileName === dts) declOutput = data;
        else if (fileName === `${js}.map`) mappings = (JSON.parse(data) as { mappings: string }).mappings;
      },
      undefined,
      // A warm cell that declares nothing (no top-level names, no `export`) has no declarations to
      // emit (its `.d.ts` would be `export {};`, dropped).
      (jsOnly ? EMIT_ONLY_JS : false) as boolean,
      {
        before: [lastExpressionToExport(ts, new Set(names), (name) => (lastExpressionVar = name))],
        after: [previousNamesToExports(ts, checker, declFiles)],
        afterDeclarations: [dropExportDeclarations(ts)],
      },
    );
    // Declaration diagnostics (a full build reports them before emitting; a warm cell here).
    const declDiagnostics = convertDiagnostics(emitted.diagnostics, srcFile).diagnostics;
    if (declDiagnostics.length > 0) return { diagnostics: declDiagnostics };
    let sideOutputs: SideOutput[] | undefined;
    for (const dep of sides) {
      if (sideEmitted.has(dep.fileName)) continue;
      sideEmitted.add(dep.fileName);
      p.emit(dep, (fileName, data) => {
        if (!fileName.endsWith(".js")) return;
        data = data.replace(SOURCE_MAP_COMMENT, "");
        const rel = relative(outDir, fileName);
        if (rel.startsWith("..")) throw new Error(`gradlab's compiler: unexpected output path ${fileName}`);
        (sideOutputs ??= []).push({ path: norm(join(cwd, rel)), data });
      });
    }
    sideOutputs?.sort((a, b) => a.path.localeCompare(b.path));
    remaining ??= remainingDecls(ts, checker, srcFile, declFiles[0]!, PREFIX.length);
    declOutput += remaining.text;
    if (remaining.edited && declFiles[0] === declSF) declSF = undefined;
    return { output, declOutput, diagnostics: [], hasToplevelAwait, sideOutputs, lastExpressionVar, mappings, remaining };
  }

  /** Cell positions of diagnostics; top-level `await` is allowed (noted, not reported). */
  function convertDiagnostics(input: readonly TS.Diagnostic[], srcFile: TS.SourceFile): { diagnostics: Diagnostic[]; hasToplevelAwait: boolean } {
    let hasToplevelAwait = false;
    const diagnostics: Diagnostic[] = [];
    const position = (file: TS.SourceFile, offset: number): Position => {
      const { line, character } = ts.getLineAndCharacterOfPosition(file, offset);
      if (file !== srcFile) return { offset, line, character };
      return { offset: offset - PREFIX.length, line: line - 1, character };
    };
    for (const d of input) {
      if (!d.file || d.start === undefined) continue;
      if (d.file === srcFile && isTopLevelAwait(ts, srcFile, d)) {
        hasToplevelAwait = true;
        continue;
      }
      let fileName: string | undefined;
      if (d.file !== srcFile) {
        fileName = relative(cwd, d.file.fileName);
        if (fileName.startsWith("..")) continue;
      }
      const start = position(d.file, d.start);
      const end = position(d.file, d.start + (d.length ?? 0));
      const push = (msg: string | TS.DiagnosticMessageChain, file?: string): void => {
        if (typeof msg === "string") {
          diagnostics.push({ start, end, messageText: msg, category: d.category, code: d.code, ...(file ? { fileName: file } : {}) });
          return;
        }
        diagnostics.push({ start, end, messageText: msg.messageText, category: msg.category, code: msg.code, ...(file ? { fileName: file } : {}) });
        for (const next of msg.next ?? []) push(next);
      };
      push(d.messageText, fileName);
    }
    return { diagnostics, hasToplevelAwait };
  }

  function inspect(prevDecl: string, code: string, cursor: number): TS.QuickInfo | undefined {
    const { program: p, srcFile } = update(prevDecl, code);
    const info = ts.getQuickInfoAtPosition(srcFile, p.getTypeChecker(), NO_CANCEL, cursor + PREFIX.length);
    if (info?.textSpan) info.textSpan.start -= PREFIX.length;
    return info;
  }

  function complete(prevDecl: string, code: string, cursor: number): Completion {
    const { program: p, srcFile } = update(prevDecl, code);
    const pos = cursor + PREFIX.length;
    const { Completions, findPrecedingToken, findNextToken } = internals(ts);
    const info = Completions.getCompletionsAtPositionForTslab({}, p, () => undefined, srcFile, pos, {}, undefined, ts.CompletionTriggerKind.Invoked, NO_CANCEL);
    const entries = info?.entries ?? [];
    // The identifier under the cursor (if any) is what the candidates replace, best matches first.
    const prev = findPrecedingToken(pos, srcFile);
    const next = prev && !(ts.isIdentifier(prev) && prev.end >= pos) ? findNextToken(prev, srcFile, srcFile) : undefined;
    const id = prev && ts.isIdentifier(prev) && prev.end >= pos ? prev : next && ts.isIdentifier(next) && next.getStart(srcFile) <= pos && pos <= next.end ? next : undefined;
    if (!id) {
      const sorted = entries.slice().sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
      return { start: cursor, end: cursor, candidates: sorted.map((e) => e.name) };
    }
    const name = id.text;
    const lower = name.toLowerCase();
    const ranked = entries
      .map((e, index) => {
        const l = e.name.toLowerCase();
        const key = e.name.startsWith(name) ? "0" : l.startsWith(lower) ? "1" : l.includes(lower) ? "2" : "";
        return key ? { name: e.name, sortKey: key + e.sortText, index } : undefined;
      })
      .filter((e): e is { name: string; sortKey: string; index: number } => e !== undefined)
      .sort((a, b) => a.sortKey.localeCompare(b.sortKey) || a.index - b.index);
    return { start: id.getStart(srcFile) - PREFIX.length, end: id.end - PREFIX.length, candidates: ranked.map((e) => e.name) };
  }

  return { convert, complete, inspect, close: () => files.clear(), stats: () => ({ ...counts, warm: warm !== undefined, declFiles: chain?.files.length ?? 0 }) };
}

const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=\S*\s*$/;

/**
 * The previous declarations as the warm checker sees them: declaration files linked through
 * `parent` (the cell's free names resolve in the nearest file that declares them with the meaning
 * looked for), the first holding the declarations text it was started from, each later one the
 * declarations of one cell that only added names. So a cell that adds names costs the parse of its
 * own declarations, not of all of them again, and the checker keeps each declaration once.
 * Files after the first are made only from plain declarations ({@link isSimpleDecl}) whose names
 * are new: then a name is found where the single file of the same text would have it.
 */
interface Chain {
  /** The warm program whose modules the files' imports were resolved against. */
  program: TS.Program;
  files: TS.SourceFile[];
  /** The declarations text the chain stands for (the `prevDecl` of the next cell). */
  text: string;
  /** Every name the files declare. */
  names: Set<string>;
  /** Whether every file holds only plain declarations. */
  simple: boolean;
  /** Whether the first file is bound (the others always are). */
  bound: boolean;
}

/**
 * Whether a declarations file holds only declarations that {@link remainingDecls} carries whole
 * while no name is declared again (variables, functions, classes, interfaces, types, enums, imports
 * of names): a namespace, for one, it does not carry.
 */
function isSimpleDecl(ts: Ts, sf: TS.SourceFile): boolean {
  return sf.statements.every(
    (st, i) =>
      (i === 0 && ts.isExportDeclaration(st)) ||
      ts.isVariableStatement(st) ||
      ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isEnumDeclaration(st) ||
      (ts.isImportDeclaration(st) && !!st.importClause),
  );
}

/**
 * How many cells the warm checker serves before a full build replaces it, and how much source
 * (declarations and cells) it may have parsed by then: it keeps what it learnt about every cell
 * it checked, so it is renewed to bound its memory (about 55 bytes of heap per character parsed:
 * at most ~30 MB).
 */
const WARM_CELLS = 200;
const WARM_CHARS = 500_000;

/** `EmitOnly.Js` (internal to TypeScript): `program.emit` writes the JavaScript and no declarations. */
const EMIT_ONLY_JS = 0;

/** `NodeFlags.PossiblyContainsDynamicImport` (internal to TypeScript). */
const POSSIBLY_CONTAINS_DYNAMIC_IMPORT = 1 << 21;

/**
 * The module names a file refers to (imports, re-exports, `import x = require()`, `import()` calls
 * and types), as a program collects them; undefined when it augments a module or the globals
 * (only a full build merges those).
 */
function moduleSpecifiers(ts: Ts, sf: TS.SourceFile): TS.StringLiteralLike[] | undefined {
  const out: TS.StringLiteralLike[] = [];
  for (const st of sf.statements) {
    if (ts.isModuleDeclaration(st) && !ts.isIdentifier(st.name)) return undefined;
    if (ts.isModuleDeclaration(st) && st.name.text === "global") return undefined;
    const spec = ts.isImportDeclaration(st) || ts.isExportDeclaration(st)
      ? st.moduleSpecifier
      : ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)
        ? st.moduleReference.expression
        : undefined;
    if (spec && ts.isStringLiteral(spec) && spec.text) out.push(spec);
  }
  // The parser flags files with `import(...)` calls or types; a program finds them by a scan too.
  if (sf.flags & POSSIBLY_CONTAINS_DYNAMIC_IMPORT) {
    const visit = (n: TS.Node): void => {
      if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) out.push(n.argument.literal);
      else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!)) out.push(n.arguments[0]);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(sf, visit);
  }
  return out;
}

const NO_CANCEL = { isCancellationRequested: () => false, throwIfCancellationRequested: () => undefined };

function mtimeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

/** The notebook folder's type roots, plus this package's `@types` so `@types/node` is always there. */
function typeRoots(ts: Ts, cwd: string): string[] {
  const roots = ts.getDefaultTypeRoots(cwd, { directoryExists: ts.sys.directoryExists }) ?? [];
  if (!roots.some((r) => ts.sys.fileExists(join(r, "node", "package.json")))) {
    roots.push(dirname(dirname(require.resolve("@types/node/package.json"))));
  }
  return roots;
}

/**
 * tslab's fork reports `await` outside an async function as error 1308 (and a top-level
 * `for await` as 1432); at the top level of a cell (not inside a function, class or namespace)
 * both are allowed and the cell runs async. (tslab itself runs a top-level `for await` in a
 * plain function, a SyntaxError.)
 */
function isTopLevelAwait(ts: Ts, srcFile: TS.SourceFile, d: TS.Diagnostic): boolean {
  // 1432: a top-level `for await`, which TypeScript only reports at the top level.
  if (d.code === 1432) return true;
  if (d.code !== 1308 || d.start === undefined) return false;
  const tok = internals(ts).findPrecedingToken(d.start + (d.length ?? 0), srcFile);
  if (!tok || tok.kind !== ts.SyntaxKind.AwaitKeyword) return false;
  for (let n: TS.Node | undefined = tok.parent; n && n !== srcFile; n = n.parent) {
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isModuleDeclaration(n)) return false;
  }
  return true;
}
