/**
 * @file Emit and diagnostics of gradlab's cell compiler: a checked cell to CommonJS with its
 * source map and the declarations carried to the next cell (transforms in cell-transforms.ts),
 * the local modules it reaches, and TypeScript's diagnostics at the cell's own positions.
 */
import { join, relative } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";
import {
  dropExportDeclarations,
  nestedVarDeclarations,
  dropExportLists,
  interruptChecks,
  lastExpressionToLocal,
  notebookNamesToExports,
  relativeTsToJs,
  returnLastExpression,
  remainingDecls,
} from "./cell-transforms.js";
import { internals, PREFIX, type CompilerState, type Ts } from "./state.js";
import type { ConvertResult, Diagnostic, Position, SideOutput } from "./types.js";

const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=\S*\s*$/;

/** `EmitOnly.Js` (internal to TypeScript): `program.emit` writes the JavaScript and no declarations. */
const EMIT_ONLY_JS = 0;

/** The previous declarations that stay after a cell: their text, and whether the cell overrode some. */
export interface Remaining {
  text: string;
  edited: boolean;
}

/** A cell that type-checked, ready to emit. */
export interface CheckedCell {
  program: TS.Program;
  checker: TS.TypeChecker;
  srcFile: TS.SourceFile;
  /** The previous declarations, first file first (one file, or the warm checker's chain). */
  declFiles: TS.SourceFile[];
  /** The cell's top-level names. */
  names: string[];
  /** Local modules the cell reaches (emitted when new or changed). */
  sides: TS.SourceFile[];
  hasToplevelAwait: boolean;
  /** The previous declarations that stay, when the caller knows them already. */
  remaining?: Remaining;
  /** JavaScript run before the cell's own, on a line of its own (full-build.ts: rebindImports). */
  rebind?: string;
  /** Emit no declarations (a warm cell that declares nothing: its `.d.ts` would be `export {};`, dropped). */
  jsOnly?: boolean;
}

/** Emits a checked cell (and the local modules it reaches that are new or changed). */
export function emitCell(s: CompilerState, cell: CheckedCell): ConvertResult & { remaining?: Remaining } {
  const { ts, cwd, outDir } = s;
  const { program: p, checker, srcFile, declFiles, names, sides, hasToplevelAwait } = cell;
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
    (cell.jsOnly ? EMIT_ONLY_JS : false) as boolean,
    {
      before: [lastExpressionToLocal(ts, new Set(names), (name) => (lastExpressionVar = name)), dropExportLists(ts)],
      after: [
        notebookNamesToExports(ts, checker, declFiles, srcFile),
        relativeTsToJs(ts),
        returnLastExpression(ts, () => lastExpressionVar),
        ...(s.interruptChecks ? [interruptChecks(ts)] : []),
      ],
      afterDeclarations: [nestedVarDeclarations(ts, checker, srcFile), dropExportDeclarations(ts)],
    },
  );
  // Declaration diagnostics (a full build reports them before emitting; a warm cell here).
  const declDiagnostics = convertDiagnostics(s, emitted.diagnostics, srcFile).diagnostics;
  if (declDiagnostics.length > 0) return { diagnostics: declDiagnostics };
  let sideOutputs: SideOutput[] | undefined;
  // Recorded as emitted once all are (an interrupt in between leaves them to the next cell).
  const emittedNow = new Set<string>();
  for (const dep of sides) {
    if (s.sideEmitted.has(dep.fileName) || emittedNow.has(dep.fileName)) continue;
    emittedNow.add(dep.fileName);
    p.emit(
      dep,
      (fileName, data) => {
        if (!fileName.endsWith(".js")) return;
        data = data.replace(SOURCE_MAP_COMMENT, "");
        const rel = relative(outDir, fileName);
        if (rel.startsWith("..")) throw new Error(`gradlab's compiler: unexpected output path ${fileName}`);
        (sideOutputs ??= []).push({ path: join(cwd, rel).replace(/\\/g, "/"), data });
      },
      undefined,
      false,
      { after: [relativeTsToJs(ts)] },
    );
  }
  for (const name of emittedNow) s.sideEmitted.add(name);
  sideOutputs?.sort((a, b) => a.path.localeCompare(b.path));
  const remaining = cell.remaining ?? remainingDecls(ts, checker, srcFile, declFiles[0]!, PREFIX.length);
  declOutput += remaining.text;
  if (remaining.edited && declFiles[0] === s.declSF) s.declSF = undefined;
  if (cell.rebind) {
    output = `${cell.rebind}\n${output}`;
    if (mappings !== undefined) mappings = `;${mappings}`;
  }
  return { output, declOutput, diagnostics: [], hasToplevelAwait, sideOutputs, lastExpressionVar, mappings, remaining };
}

/** Cell positions of diagnostics; top-level `await` is allowed (noted, not reported). */
export function convertDiagnostics(
  s: CompilerState,
  input: readonly TS.Diagnostic[],
  srcFile: TS.SourceFile,
): { diagnostics: Diagnostic[]; hasToplevelAwait: boolean } {
  const { ts, cwd } = s;
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
      diagnostics.push({
        start,
        end,
        messageText: msg.messageText,
        category: msg.category,
        code: msg.code,
        ...(file ? { fileName: file } : {}),
      });
      for (const next of msg.next ?? []) push(next);
    };
    push(d.messageText, fileName);
  }
  return { diagnostics, hasToplevelAwait };
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
    if (
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n) ||
      ts.isFunctionDeclaration(n) ||
      ts.isClassDeclaration(n) ||
      ts.isModuleDeclaration(n)
    )
      return false;
  }
  return true;
}
