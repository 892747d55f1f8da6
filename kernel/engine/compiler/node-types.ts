/**
 * @file `@types/node` only for the cells that need it. It is about three quarters of the
 * declarations a cell is checked against (2 MB of text beside the lib's 0.4 MB): parsed, bound and
 * merged into the checker's globals it held about 34 MB of the executor's heap, and in the startup
 * snapshot it made the snapshot, and every worker started from it, larger.
 *
 * So a kernel checks its cells against the lib and a small declaration of the `console` a student
 * uses ({@link LIGHT_GLOBALS}) until a cell needs what only `@types/node` declares; from then on
 * against `@types/node` (never back: earlier declarations stay valid). A cell needs it when it
 * ({@link needsNode}):
 * - names anything `@types/node` declares in the global scope (`process`, `Buffer`, `require`,
 *   `NodeJS`, `setTimeout`, `URL`, ...), a member it adds to the lib's globals
 *   (`Error.captureStackTrace`, `Symbol.dispose`), or `import.meta`;
 * - uses `console` otherwise than by calling one of {@link LIGHT_CONSOLE}'s methods;
 * - imports any module but `gradlab` and `tslab` (a Node module, a package whose declarations
 *   may use Node's types, a local module that may use Node's names), or augments globals or
 *   modules, or has a reference directive.
 * A notebook folder with packages of its own in its type roots (`node_modules/@types`) takes it
 * from the start: one of them may reference Node's types (host.ts, refreshFiles).
 * Those names come from the installed `@types/node` itself ({@link computeNodeTriggers}, run when
 * the startup snapshot is built); a kernel without them (no snapshot) takes `@types/node` from the
 * start, as it always did.
 *
 * A cell checked without `@types/node` gets the diagnostics and output it gets with it: it names
 * nothing of it, and the `console` methods are declared as `@types/node` declares them. The one
 * difference would be a spelling suggestion ("Did you mean 'process'?") for a name not found:
 * such a cell is checked again with `@types/node` when a name of it is near one of Node's
 * ({@link nodeSuggested}). Completion offers Node's globals once a cell has taken `@types/node`.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import type { Ts } from "./state.js";
import type { Diagnostic } from "./types.js";

/**
 * The global declarations a cell is checked against without `@types/node`: the methods of
 * `console` as `@types/node` declares them (console.d.ts), but those whose types are Node's
 * (`dir` takes util's InspectOptions, `Console` is Node's constructor).
 */
export const LIGHT_GLOBALS = `interface Console {
  assert(value: any, message?: string, ...optionalParams: any[]): void;
  clear(): void;
  count(label?: string): void;
  countReset(label?: string): void;
  debug(message?: any, ...optionalParams: any[]): void;
  dirxml(...data: any[]): void;
  error(message?: any, ...optionalParams: any[]): void;
  group(...label: any[]): void;
  groupCollapsed(...label: any[]): void;
  groupEnd(): void;
  info(message?: any, ...optionalParams: any[]): void;
  log(message?: any, ...optionalParams: any[]): void;
  table(tabularData: any, properties?: readonly string[]): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...data: any[]): void;
  trace(message?: any, ...optionalParams: any[]): void;
  warn(message?: any, ...optionalParams: any[]): void;
}
declare var console: Console;
`;

/** The `console` methods {@link LIGHT_GLOBALS} declares. */
export const LIGHT_CONSOLE: ReadonlySet<string> = new Set([...LIGHT_GLOBALS.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]!));

/** What makes a cell need `@types/node` (see the file's comment); from {@link computeNodeTriggers}. */
export interface NodeTriggers {
  /** The names `@types/node` declares in the global scope that the lib does not (`console` aside). */
  globals: string[];
  /** The members it adds to the lib's global interfaces (`captureStackTrace`, `dispose`, ...). */
  members: string[];
}

/** The modules a cell may import without `@types/node`: their declarations need none of it. */
const OWN_MODULES = /^(gradlab|tslab)(\/|$)/;

/**
 * What of `@types/node` a cell may need, read from the declarations themselves: a program of
 * `options` with `types: ["node"]` (about 1 s and 40 MB, once, where the startup snapshot is built).
 */
export function computeNodeTriggers(ts: Ts, options: TS.CompilerOptions, dir: string): NodeTriggers {
  const root = `${dir}/__node_triggers__.ts`;
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile } = host;
  host.fileExists = (f) => f === root || fileExists.call(host, f);
  host.readFile = (f) => (f === root ? "export {};\n" : readFile.call(host, f));
  const p = ts.createProgram({ rootNames: [root], options: { ...options, types: ["node"] }, host });
  const checker = p.getTypeChecker();
  const fromLib = (d: TS.Declaration) => p.isSourceFileDefaultLibrary(d.getSourceFile());
  const globals = new Set<string>();
  const members = new Set<string>();
  const meanings = ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace;
  for (const sym of checker.getSymbolsInScope(p.getSourceFile(root)!, meanings)) {
    const decls = sym.declarations ?? [];
    const node = decls.filter((d) => !fromLib(d));
    // (Ambient modules, `"fs"` and the like, are imports: any import but gradlab's takes Node.)
    if (node.length === 0 || sym.name.startsWith('"') || sym.name === "console") continue;
    if (!decls.some(fromLib)) {
      globals.add(sym.name);
      continue;
    }
    // `import.meta` is a trigger of its own: ImportMeta's members (`url`, `resolve`) are common names.
    if (sym.name === "ImportMeta") continue;
    for (const d of node) {
      for (const m of (d as TS.InterfaceDeclaration).members ?? []) {
        if (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) members.add(m.name.text);
      }
    }
  }
  return { globals: [...globals].sort(), members: [...members].sort() };
}

/** The triggers as sets, for {@link needsNode}. */
export interface NodeNames {
  globals: ReadonlySet<string>;
  members: ReadonlySet<string>;
}

export const nodeNames = (t: NodeTriggers): NodeNames => ({ globals: new Set(t.globals), members: new Set(t.members) });

/**
 * Whether the cell `sf` (parsed) needs `@types/node` to be checked as with it (see the file's comment).
 */
export function needsNode(ts: Ts, sf: TS.SourceFile, names: NodeNames): boolean {
  if (sf.referencedFiles.length > 0 || sf.typeReferenceDirectives.length > 0 || sf.libReferenceDirectives.length > 0) return true;
  let found = false;
  const named = (text: string) => names.globals.has(text) || names.members.has(text);
  const visit = (n: TS.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      if (n.text === "console") found = !consoleCall(ts, n);
      else found = named(n.text);
    } else if (ts.isStringLiteralLike(n)) {
      // An import or export of a module; `globalThis["process"]`, `Error["captureStackTrace"]`.
      const p = n.parent;
      const specifier =
        (p && (ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) && p.moduleSpecifier === n) ||
        (p && ts.isExternalModuleReference(p)) ||
        (p && ts.isLiteralTypeNode(p) && p.parent && ts.isImportTypeNode(p.parent)) ||
        (p && ts.isCallExpression(p) && p.expression.kind === ts.SyntaxKind.ImportKeyword);
      found = specifier ? !OWN_MODULES.test(n.text) : !!p && ts.isElementAccessExpression(p) && named(n.text);
    } else if (ts.isMetaProperty(n) && n.keywordToken === ts.SyntaxKind.ImportKeyword) {
      found = true;
    } else if (ts.isModuleDeclaration(n) && (ts.isStringLiteral(n.name) || n.name.text === "global")) {
      found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return found;
}

/** Whether `id` is the `console` of a call of a method {@link LIGHT_GLOBALS} declares (`console.log(...)`). */
function consoleCall(ts: Ts, id: TS.Identifier): boolean {
  const access = id.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== id) return false;
  const call = access.parent;
  return LIGHT_CONSOLE.has(access.name.text) && !!call && ts.isCallExpression(call) && call.expression === access;
}

/** Diagnostics that name what was not found (TS2304 "Cannot find name 'x'", ... "Did you mean 'y'?"). */
const NOT_FOUND = new Set([2304, 2552, 2339, 2551, 2503]);

/**
 * Whether a cell checked without `@types/node` got a diagnostic that could read otherwise with
 * it: a name or member not found that is near one of Node's (TypeScript would suggest it).
 */
export function nodeSuggested(ts: Ts, diagnostics: readonly Diagnostic[], names: NodeNames): boolean {
  const suggest = (ts as unknown as { getSpellingSuggestion<T>(name: string, candidates: T[], get: (c: T) => string): T | undefined })
    .getSpellingSuggestion;
  const candidates = [...names.globals, ...names.members];
  return diagnostics.some((d) => {
    if (!NOT_FOUND.has(d.code)) return false;
    const name = /'([^']+)'/.exec(d.messageText)?.[1];
    return name !== undefined && (named(name) || suggest(name, candidates, (c) => c) !== undefined);
  });
  function named(n: string) {
    return names.globals.has(n) || names.members.has(n);
  }
}
