/**
 * @file What the cell compiler reads off a parse alone, before any program or checker: a cell's
 * top-level names, the modules a file refers to, whether a declarations file is plain, the names
 * a bound file declares.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import type { Ts } from "./state.js";

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
    else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      if (st.name) names.add(st.name.text);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) names.add(st.name.text);
    else if (ts.isModuleDeclaration(st)) {
      if (!ts.isIdentifier(st.name) || st.name.text === "global") return undefined;
      names.add(st.name.text);
    } else if (ts.isImportEqualsDeclaration(st)) names.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.add(c.namedBindings.name.text);
      else if (c.namedBindings) c.namedBindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return [...names];
}

/** `NodeFlags.PossiblyContainsDynamicImport` (internal to TypeScript). */
const POSSIBLY_CONTAINS_DYNAMIC_IMPORT = 1 << 21;

/**
 * The module names a file refers to (imports, re-exports, `import x = require()`, `import()` calls
 * and types), as a program collects them; undefined when it augments a module or the globals
 * (only a full build merges those).
 */
export function moduleSpecifiers(ts: Ts, sf: TS.SourceFile): TS.StringLiteralLike[] | undefined {
  const out: TS.StringLiteralLike[] = [];
  for (const st of sf.statements) {
    if (ts.isModuleDeclaration(st) && !ts.isIdentifier(st.name)) return undefined;
    if (ts.isModuleDeclaration(st) && st.name.text === "global") return undefined;
    const spec =
      ts.isImportDeclaration(st) || ts.isExportDeclaration(st)
        ? st.moduleSpecifier
        : ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)
          ? st.moduleReference.expression
          : undefined;
    if (spec && ts.isStringLiteral(spec) && spec.text) out.push(spec);
  }
  // The parser flags files with `import(...)` calls or types; a program finds them by a scan too.
  if (sf.flags & POSSIBLY_CONTAINS_DYNAMIC_IMPORT) {
    const visit = (n: TS.Node): void => {
      if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal))
        out.push(n.argument.literal);
      else if (
        ts.isCallExpression(n) &&
        n.expression.kind === ts.SyntaxKind.ImportKeyword &&
        n.arguments.length >= 1 &&
        ts.isStringLiteralLike(n.arguments[0]!)
      )
        out.push(n.arguments[0]);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(sf, visit);
  }
  return out;
}

/**
 * Whether a declarations file holds only declarations that `remainingDecls` (cell-transforms.ts)
 * carries whole while no name is declared again (variables, functions, classes, interfaces, types,
 * enums, imports of names): a namespace, for one, it does not carry.
 */
export function isSimpleDecl(ts: Ts, sf: TS.SourceFile): boolean {
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

/** The names a bound declarations file declares at top level. */
export function localNames(ts: Ts, sf: TS.SourceFile): string[] {
  const out: string[] = [];
  (sf as { locals?: Map<string, TS.Symbol> }).locals?.forEach((_, key) => out.push(ts.unescapeLeadingUnderscores(key as TS.__String)));
  return out;
}
