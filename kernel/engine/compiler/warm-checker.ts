/**
 * @file The warm checker of gradlab's cell compiler: the usual cell is parsed, bound and checked
 * against the type checker of the last full build (lib, `@types` and imported modules already
 * merged and partly resolved), so no program and no checker is built for it. A cell that needs
 * what that program lacks (a new import, an edited module, an augmentation) gets a full build
 * (full-build.ts), which becomes the warm one. test/kernel/warm-checker.test.ts checks that both
 * compile every cell alike.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { convertDiagnostics, emitCell, type Remaining } from "./emit.js";
import { refreshFiles } from "./host.js";
import { internals, PREFIX, type Chain, type CompilerState } from "./state.js";
import { isSimpleDecl, localNames, moduleSpecifiers } from "./syntax.js";
import type { ConvertResult } from "./types.js";

/**
 * How many cells the warm checker serves before a full build replaces it, and how much source
 * (declarations and cells) it may have parsed by then: it keeps what it learnt about every cell
 * it checked, so it is renewed to bound its memory (about 55 bytes of heap per character parsed:
 * at most ~30 MB).
 */
const WARM_CELLS = 200;
const WARM_CHARS = 500_000;

/**
 * The usual cell (top-level names known, no augmentation of globals or modules, imports that the
 * warm program has already resolved): parse and bind just the cell, check it with the warm
 * checker against the declaration chain ({@link Chain}) and emit. Undefined when the cell needs
 * a full build.
 *
 * Each such cell file has a name of its own (`__tslab__.<n>.ts`): the checker keeps its
 * diagnostics by file name, and would drop a new error equal to an old one in a file of the same name.
 */
export function warmConvert(
  s: CompilerState,
  decl: string,
  code: string,
  names: string[],
  cell: { fileName: string; parsed: TS.SourceFile },
): ConvertResult | undefined {
  const { ts } = s;
  const w = s.warm;
  if (!s.useWarm || !w || w.cells >= WARM_CELLS || w.chars >= WARM_CHARS || /\/\/\/\s*<reference|\bdeclare\s+(global|module)\b/.test(code))
    return undefined;
  if (refreshFiles(s) || s.modulesChanged) {
    s.warm = undefined;
    return undefined;
  }
  const p = w.program;
  let chars = code.length;
  let c = s.chain && s.chain.program === p && s.chain.text === decl ? s.chain : undefined;
  // A cell that declares a name again gets the previous declarations as one file (remainingDecls drops what it overrides).
  if (!c || (c.files.length > 1 && names.some((n) => c!.names.has(n)))) {
    const flat = ts.createSourceFile(s.declFilename, PREFIX + decl, ts.ScriptTarget.ES2022);
    if (!prepare(s, flat, p)) return undefined;
    chars += decl.length;
    c = { program: p, files: [flat], text: decl, names: new Set(), simple: isSimpleDecl(ts, flat), bound: false };
  }
  // A cell that declares nothing is checked as it was parsed to find that out.
  const sf =
    names.length > 0
      ? ts.createSourceFile(cell.fileName, `${PREFIX}${code}\nexport { ${names.join(", ")} }`, ts.ScriptTarget.ES2022, true)
      : cell.parsed;
  if (!prepare(s, sf, p)) return undefined;
  // From here on the warm checker is in use (an interrupt may end this anywhere).
  s.warm = undefined;
  s.chain = undefined;
  if (!c.bound) {
    internals(ts).bindSourceFile(c.files[0]!, s.options);
    localNames(ts, c.files[0]!).forEach((n) => c!.names.add(n));
    c.bound = true;
  }
  const top = c.files[c.files.length - 1]!;
  internals(ts).bindSourceFile(sf, s.options);
  // tslab's fork resolves a cell's free names in the previous declarations through this parent link.
  (sf as { parent?: TS.Node }).parent = top;
  const found = [
    ...p.getOptionsDiagnostics(),
    ...p.getGlobalDiagnostics(),
    ...p.getSyntacticDiagnostics(sf),
    ...p.getSemanticDiagnostics(sf),
  ];
  let diag = convertDiagnostics(s, ts.sortAndDeduplicateDiagnostics(found), sf);
  let result: ConvertResult;
  let next: Chain | undefined;
  if (diag.diagnostics.length > 0) {
    diag = convertDiagnostics(s, ts.sortAndDeduplicateDiagnostics([...found, ...p.getDeclarationDiagnostics(sf)]), sf);
    s.resolutions.clear();
    result = { diagnostics: diag.diagnostics };
    next = c;
  } else {
    // A chain of several files never holds a name the cell declares: nothing of it is overridden.
    const remaining = c.files.length > 1 ? { text: decl, edited: false } : undefined;
    const { remaining: used, ...emitted } = emitCell(s, {
      program: p,
      checker: w.checker,
      srcFile: sf,
      declFiles: c.files,
      names,
      sides: [],
      hasToplevelAwait: diag.hasToplevelAwait,
      remaining,
      jsOnly: names.length === 0,
    });
    result = emitted;
    if (used && emitted.declOutput !== undefined) {
      next = nextChain(s, c, emitted.declOutput, used, p);
      chars += Math.max(0, emitted.declOutput.length - decl.length);
    } else {
      next = c;
    }
  }
  s.chain = next;
  s.warm = { ...w, cells: w.cells + 1, chars: w.chars + chars };
  s.counts.warmCells++;
  return result;
}

/**
 * The chain for the next cell: the same when the cell declared nothing; one file more (the cell's
 * own declarations) when it only added names to a chain of plain declarations; else none (the
 * next cell starts one from its declarations text).
 */
function nextChain(s: CompilerState, c: Chain, next: string, remaining: Remaining, p: TS.Program): Chain | undefined {
  const { ts } = s;
  if (remaining.edited) return undefined;
  if (next === c.text) return c;
  const own = next.slice(0, next.length - remaining.text.length);
  if (!c.simple || remaining.text !== c.text || !next.endsWith(c.text)) return undefined;
  const layer = ts.createSourceFile(s.declFilename, PREFIX + own, ts.ScriptTarget.ES2022);
  if (!isSimpleDecl(ts, layer) || !prepare(s, layer, p)) return undefined;
  internals(ts).bindSourceFile(layer, s.options);
  const added = localNames(ts, layer);
  if (added.some((n) => c.names.has(n))) return undefined;
  (layer as { parent?: TS.Node }).parent = c.files[c.files.length - 1];
  return { program: p, files: [...c.files, layer], text: next, names: new Set([...c.names, ...added]), simple: true, bound: true };
}

/**
 * Makes a file parsed outside any program ready for the warm checker: its path, and its imports
 * resolved as a program would. False when the warm program lacks something the file needs
 * (a module it did not load, a local module not compiled yet, an augmentation of globals or of
 * a module, a reference directive).
 */
function prepare(s: CompilerState, sf: TS.SourceFile, p: TS.Program): boolean {
  const { ts } = s;
  const f = sf as TS.SourceFile & {
    path: string;
    resolvedPath: string;
    originalFileName: string;
    imports: readonly TS.StringLiteralLike[];
    moduleAugmentations: readonly TS.Node[];
    ambientModuleNames: readonly string[];
  };
  if (sf.referencedFiles.length > 0 || sf.libReferenceDirectives.length > 0) return false;
  if (sf.typeReferenceDirectives.some((r) => !(s.options.types ?? []).includes(r.fileName))) return false;
  const specs = moduleSpecifiers(ts, sf);
  if (!specs) return false;
  for (const lit of specs) {
    const resolution = ts.resolveModuleName(lit.text, sf.fileName, s.options, s.host, s.resolutions);
    const r = resolution.resolvedModule;
    if ((resolution as { resolutionDiagnostics?: unknown[] }).resolutionDiagnostics?.length) return false;
    if (r) {
      const target = p.getSourceFile(r.resolvedFileName);
      // A module outside the program must be what a program leaves out too: JavaScript in node_modules.
      if (!target && !(r.isExternalLibraryImport && /\.[cm]?jsx?$/.test(r.resolvedFileName))) return false;
      if (target && !target.isDeclarationFile && !r.isExternalLibraryImport && !s.sideEmitted.has(target.fileName)) return false;
    }
    internals(ts).setResolvedModule(sf, lit.text, resolution, ts.getModeForUsageLocation(sf, lit));
  }
  f.path = f.resolvedPath = f.originalFileName = sf.fileName;
  f.imports = specs;
  f.moduleAugmentations = [];
  f.ambientModuleNames = [];
  return true;
}
