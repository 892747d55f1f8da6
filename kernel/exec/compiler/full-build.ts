/**
 * @file The full build of gradlab's cell compiler: one plain `ts.createProgram` for the previous
 * declarations and the cell, reusing the previous program and the cache of parsed files (not a
 * watch builder, which also hashes every file and rebuilds a reference map). Its program and
 * checker become the warm checker for later cells (warm-checker.ts).
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { convertDiagnostics, emitCell } from "./emit.js";
import { refreshFiles } from "./host.js";
import { PREFIX, type CompilerState } from "./state.js";
import { moduleSpecifiers } from "./syntax.js";
import type { ConvertResult } from "./types.js";

/** A program built for the previous declarations and a cell. */
export interface Build {
  program: TS.Program;
  srcFile: TS.SourceFile;
  declFile: TS.SourceFile;
}

/** Rebuild the program for `decl` + `src`, reusing everything that did not change. */
export function build(s: CompilerState, decl: string, src: string): Build {
  const { ts } = s;
  if (refreshFiles(s)) s.warm = undefined;
  // (Each cache is assigned only once its value is complete: an interrupt may end a conversion anywhere.)
  if (decl !== s.declText || !s.declSF) {
    s.declSF = ts.createSourceFile(s.declFilename, PREFIX + decl, ts.ScriptTarget.ES2022);
    s.declText = decl;
  }
  // Always a new cell file, so its imports are resolved again: an import that failed may work
  // now (the module was written or installed since), and TypeScript re-resolves only changed files.
  s.srcSF = ts.createSourceFile(s.srcFilename, PREFIX + src, ts.ScriptTarget.ES2022, true);
  s.program = ts.createProgram({ rootNames: [s.declFilename, s.srcFilename], options: s.options, host: s.host, oldProgram: s.program });
  // tslab's fork resolves a cell's free names in the previous declarations through this parent link.
  (s.srcSF as { parent?: TS.Node }).parent = s.declSF;
  return { program: s.program, srcFile: s.srcSF, declFile: s.declSF };
}

/**
 * Compile a cell with a full build. `names`: its top-level names when a parse could tell
 * (`topLevelNames`), else the binder decides: the program is built once, the file's locals are
 * read, and it is built again with them exported.
 */
export function fullConvert(s: CompilerState, prevDecl: string, code: string, names: string[] | undefined): ConvertResult {
  const { ts } = s;
  s.warm = undefined;
  s.counts.fullBuilds++;
  let built = build(s, prevDecl, names && names.length > 0 ? `${code}\nexport { ${names.join(", ")} }` : code);
  if (!names) {
    names = [];
    built.program.getTypeChecker(); // binds the files
    // (`export const x` is exported already: its local symbol is an ExportValue.)
    (built.srcFile as { locals?: Map<string, TS.Symbol> }).locals?.forEach((sym, key) => {
      if (!(sym.flags & ts.SymbolFlags.ExportValue)) names!.push(ts.unescapeLeadingUnderscores(key as TS.__String));
    });
    if (names.length > 0) built = build(s, prevDecl, `${code}\nexport { ${names.join(", ")} }`);
  }
  const { program: p, srcFile, declFile } = built;
  const sides = sideModules(p, srcFile);
  const diag = convertDiagnostics(s, ts.getPreEmitDiagnosticsOfFiles(p, [srcFile, ...sides]), srcFile);
  const checker = p.getTypeChecker();
  if (diag.diagnostics.length > 0) {
    s.resolutions.clear();
    setWarm(s, p, checker, srcFile, declFile);
    return { diagnostics: diag.diagnostics };
  }
  const { remaining: _, ...result } = emitCell(s, {
    program: p,
    checker,
    srcFile,
    declFiles: [declFile],
    names,
    sides,
    hasToplevelAwait: diag.hasToplevelAwait,
  });
  setWarm(s, p, checker, srcFile, declFile);
  return result;
}

/**
 * Keeps a full build's program and checker for later cells, unless its cell or declarations
 * augment the globals or a module: its checker has merged them, and a later cell that no longer
 * carries them must not see them.
 */
function setWarm(s: CompilerState, p: TS.Program, checker: TS.TypeChecker, srcFile: TS.SourceFile, declFile: TS.SourceFile): void {
  const plain = (sf: TS.SourceFile) =>
    !(sf as { moduleAugmentations?: readonly TS.Node[] }).moduleAugmentations?.length && moduleSpecifiers(s.ts, sf) !== undefined;
  s.warm = plain(srcFile) && plain(declFile) ? { program: p, checker, cells: 0, chars: 0 } : undefined;
}

/** Local `.ts`/`.js` modules the cell reaches through imports (not declaration files). */
function sideModules(p: TS.Program, from: TS.SourceFile): TS.SourceFile[] {
  const seen = new Set<string>([from.fileName]);
  const out: TS.SourceFile[] = [];
  const visit = (sf: TS.SourceFile) => {
    const resolved = (sf as { resolvedModules?: { forEach(cb: (r: { resolvedModule?: TS.ResolvedModuleFull }) => void): void } })
      .resolvedModules;
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
