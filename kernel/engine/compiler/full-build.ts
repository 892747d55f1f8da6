/**
 * @file The full build of gradlab's cell compiler: one plain `ts.createProgram` for the previous
 * declarations and the cell, reusing the previous program and the cache of parsed files (not a
 * watch builder, which also hashes every file and rebuilds a reference map). Its program and
 * checker become the warm checker for later cells (warm-checker.ts).
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { jsSpecifier } from "./cell-transforms.js";
import { convertDiagnostics, emitCell } from "./emit.js";
import { refreshFiles, rootNames } from "./host.js";
import { internals, PREFIX, type CompilerState } from "./state.js";
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
  if (s.nodeTypes) s.beforeNodeBuild();
  // (Each cache is assigned only once its value is complete: an interrupt may end a conversion anywhere.)
  if (decl !== s.declText || !s.declSF) {
    s.declSF = ts.createSourceFile(s.declFilename, PREFIX + decl, ts.ScriptTarget.ES2022);
    s.declText = decl;
  }
  // Always a new cell file, so its imports are resolved again: an import that failed may work
  // now (the module was written or installed since), and TypeScript re-resolves only changed files.
  s.srcSF = ts.createSourceFile(s.srcFilename, PREFIX + src, ts.ScriptTarget.ES2022, true);
  s.program = ts.createProgram({ rootNames: rootNames(s), options: s.options, host: s.host, oldProgram: s.program });
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
  const checker = p.getTypeChecker();
  const reached = localModules(s, p, srcFile, declFile);
  // The cell's modules are checked (as they run), and so are edited ones that earlier cells imported.
  const checked = [...reached.fromCell, ...reached.changed.filter((sf) => !reached.fromCell.includes(sf))];
  const diag = convertDiagnostics(s, ts.getPreEmitDiagnosticsOfFiles(p, [srcFile, ...checked]), srcFile);
  if (diag.diagnostics.length > 0) {
    s.resolutions.clear();
    setWarm(s, p, checker, srcFile, declFile);
    return { diagnostics: diag.diagnostics };
  }
  for (const sf of reached.changed) s.sideEmitted.delete(sf.fileName);
  const { remaining: _, ...result } = emitCell(s, {
    program: p,
    checker,
    srcFile,
    declFiles: [declFile],
    names,
    sides: [...reached.fromCell, ...reached.changed],
    hasToplevelAwait: diag.hasToplevelAwait,
    rebind: rebindImports(s, checker, declFile, new Set(reached.changed.map((sf) => sf.fileName))),
  });
  if (result.diagnostics.length === 0) s.modulesChanged = false;
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

/**
 * The local `.ts`/`.js` modules (not declaration files) that the cell reaches through imports
 * (`fromCell`), and those that the cell or the previous cells' imports reach and that must be
 * emitted (`changed`): a module not emitted yet or whose file changed since, and every module
 * that imports one of those (directly or not), as its loaded instance holds the old one.
 */
function localModules(
  s: CompilerState,
  p: TS.Program,
  cell: TS.SourceFile,
  decl: TS.SourceFile,
): { fromCell: TS.SourceFile[]; changed: TS.SourceFile[] } {
  const importers = new Map<string, Set<TS.SourceFile>>();
  const reach = (from: TS.SourceFile, seen: Set<string>): TS.SourceFile[] => {
    const out: TS.SourceFile[] = [];
    const visit = (sf: TS.SourceFile) => {
      const resolved = (sf as { resolvedModules?: { forEach(cb: (r: { resolvedModule?: TS.ResolvedModuleFull }) => void): void } })
        .resolvedModules;
      resolved?.forEach((r) => {
        const name = r.resolvedModule?.resolvedFileName;
        if (!name || r.resolvedModule?.isExternalLibraryImport) return;
        const dep = p.getSourceFile(name);
        if (!dep || dep.isDeclarationFile || !/\.(ts|js)$/.test(name)) return;
        if (sf !== from) {
          let set = importers.get(name);
          if (!set) importers.set(name, (set = new Set()));
          set.add(sf);
        }
        if (seen.has(name)) return;
        seen.add(name);
        out.push(dep);
        visit(dep);
      });
    };
    visit(from);
    return out;
  };
  const fromCell = reach(cell, new Set([cell.fileName]));
  const earlier = reach(decl, new Set([decl.fileName]));
  // The stale modules, then their importers until none is added.
  const all = [...earlier, ...fromCell.filter((sf) => !earlier.includes(sf))];
  const changed = new Set(all.filter((sf) => !s.sideEmitted.has(sf.fileName)));
  for (const sf of changed) for (const importer of importers.get(sf.fileName) ?? []) changed.add(importer);
  return { fromCell, changed: all.filter((sf) => changed.has(sf)) };
}

/**
 * The JavaScript that binds the names the previous cells imported from the modules in `fresh` to
 * those modules' new instances, on one line: `{ const m = require("./mod2"); exports.scale = m.scale; }`
 * (IPython's autoreload, for the notebook's names: a cell after an edit runs what it is checked against).
 */
function rebindImports(s: CompilerState, checker: TS.TypeChecker, decl: TS.SourceFile, fresh: Set<string>): string | undefined {
  const { ts } = s;
  const parts: string[] = [];
  const isValue = (id: TS.Identifier): boolean => {
    const sym = checker.getSymbolAtLocation(id);
    return !!sym && !!(checker.getAliasedSymbol(sym).flags & ts.SymbolFlags.Value);
  };
  for (const st of decl.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const c = st.importClause;
    if (!c || c.isTypeOnly) continue;
    const target = internals(ts).getResolvedModule(decl, st.moduleSpecifier.text, undefined)?.resolvedFileName;
    if (!target || !fresh.has(target)) continue;
    const sets: string[] = [];
    if (c.name && isValue(c.name)) sets.push(`exports.${c.name.text} = m && m.__esModule ? m.default : m;`);
    const b = c.namedBindings;
    if (b && ts.isNamespaceImport(b)) sets.push(`exports.${b.name.text} = m && m.__esModule ? m : { ...m, default: m };`);
    else if (b) {
      for (const e of b.elements) {
        if (e.isTypeOnly || !isValue(e.name)) continue;
        sets.push(`exports.${e.name.text} = m[${JSON.stringify((e.propertyName ?? e.name).text)}];`);
      }
    }
    if (sets.length > 0) parts.push(`{ const m = require(${JSON.stringify(jsSpecifier(st.moduleSpecifier.text))}); ${sets.join(" ")} }`);
  }
  return parts.length > 0 ? parts.join(" ") : undefined;
}
