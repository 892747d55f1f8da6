/**
 * @file The emit transforms of gradlab's cell compiler (emit.ts) and the
 * declarations carried to the next cell: tslab's model (Apache-2.0), with its defects fixed.
 */
import type * as TS from "@tslab/typescript-for-tslab";

type Ts = typeof TS;

/** The name a cell's last expression is stored under in `exports` (a fresh one if taken). */
const LAST_EXPR = "tsLastExpr";

/** Statements that emit no JavaScript, so a value before them is still the cell's last expression. */
function isTypeOnly(ts: Ts, st: TS.Statement): boolean {
  return (
    ts.isInterfaceDeclaration(st) ||
    ts.isTypeAliasDeclaration(st) ||
    ts.isExportDeclaration(st) ||
    (ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword))
  );
}

/**
 * Before type stripping: `expr;` as the cell's last statement becomes `export const tsLastExpr = expr;`
 * (a fresh name when the cell declares `tsLastExpr` itself), so CommonJS emit stores it in `exports`.
 */
export function lastExpressionToExport(ts: Ts, locals: Set<string>, found: (name: string) => void): TS.TransformerFactory<TS.SourceFile> {
  return () => (file) => {
    const sts = file.statements;
    let i = sts.length - 1;
    while (i >= 0 && isTypeOnly(ts, sts[i]!)) i--;
    const last = sts[i];
    if (!last || !ts.isExpressionStatement(last)) return file;
    let name = LAST_EXPR;
    for (let k = 0; locals.has(name); k++) name = `${LAST_EXPR}${k}`;
    found(name);
    const decl = ts.factory.createVariableStatement(
      [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)],
      ts.factory.createVariableDeclarationList(
        [ts.factory.createVariableDeclaration(name, undefined, undefined, anonymous(ts, last.expression))],
        ts.NodeFlags.Const,
      ),
    );
    return ts.factory.updateSourceFile(file, [...sts.slice(0, i), ts.setTextRange(decl, last), ...sts.slice(i + 1)]);
  };
}

/**
 * An anonymous function or class as the value of `const tsLastExpr = ...` would be named
 * "tsLastExpr" (JavaScript names it after the binding), and displays show that name (a plot's
 * legend, %who): `(0, expr)` keeps it anonymous, as it is in the cell.
 */
function anonymous(ts: Ts, expr: TS.Expression): TS.Expression {
  let inner = expr;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  const unnamed =
    ts.isArrowFunction(inner) || ((ts.isFunctionExpression(inner) || ts.isClassExpression(inner)) && inner.name === undefined);
  if (!unnamed) return expr;
  const f = ts.factory;
  return f.createParenthesizedExpression(f.createComma(f.createNumericLiteral(0), expr));
}

/**
 * After emit: names declared by earlier cells are read from `exports` (`x` becomes `exports.x`,
 * `{ x }` becomes `{ x: exports.x }`). Only references to the previous declarations' own
 * top-level names (in any of `declFiles`) are rewritten, never property names that happen to be
 * declared there.
 */
export function previousNamesToExports(
  ts: Ts,
  checker: TS.TypeChecker,
  declFiles: readonly TS.SourceFile[],
): TS.TransformerFactory<TS.SourceFile> {
  const context = ts.getNullTransformationContext();
  const f = ts.factory;
  const localsOf = declFiles.map((d) => (d as unknown as { locals?: Map<string, TS.Symbol> }).locals);
  const isPreviousIn = (locals: Map<string, TS.Symbol> | undefined, sym: TS.Symbol): boolean => {
    const local = locals?.get(sym.escapedName as string);
    if (!local) return false;
    if (local === sym || (local as { exportSymbol?: TS.Symbol }).exportSymbol === sym) return true;
    return !!(local.flags & ts.SymbolFlags.Alias) && checker.getAliasedSymbol(local) === sym;
  };
  const isPrevious = (sym: TS.Symbol | undefined): boolean => !!sym && localsOf.some((locals) => isPreviousIn(locals, sym));
  // Every name the previous declarations declare: an identifier of any other name is not one of
  // them, and needs no symbol lookup (most of a cell's identifiers).
  const declared = new Set<string>();
  for (const locals of localsOf) locals?.forEach((_, key) => declared.add(key));
  const fromExports = (name: TS.Identifier) =>
    f.createPropertyAccessExpression(f.createIdentifier("exports"), f.createIdentifier(name.text));
  return () => {
    const visit = (node: TS.Node): TS.Node => {
      if (
        ts.isShorthandPropertyAssignment(node) &&
        declared.has(node.name.escapedText as string) &&
        isPrevious(checker.getShorthandAssignmentValueSymbol(node))
      ) {
        const init = node.objectAssignmentInitializer && (ts.visitNode(node.objectAssignmentInitializer, visit) as TS.Expression);
        const value = init ? f.createAssignment(fromExports(node.name), init) : fromExports(node.name);
        return ts.setTextRange(f.createPropertyAssignment(node.name.text, value), node);
      }
      if (!ts.isIdentifier(node)) return ts.visitEachChild(node, visit, context);
      if (!declared.has(node.escapedText as string)) return node;
      if (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) return node;
      if (!isPrevious(checker.getSymbolAtLocation(node))) return node;
      return f.createPropertyAccessExpression(f.createIdentifier("exports"), node);
    };
    return (file) => ts.visitEachChild(file, visit, context);
  };
}

/** The declarations output drops the cell's `export { ... }` (names stay declared, unexported). */
export function dropExportDeclarations(ts: Ts): TS.TransformerFactory<TS.SourceFile | TS.Bundle> {
  return () => (node) => {
    if (!ts.isSourceFile(node)) return node;
    return ts.factory.updateSourceFile(
      node,
      node.statements.filter((s) => !ts.isExportDeclaration(s)),
    );
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Declarations of earlier cells that this cell did not override, printed for the next cell:
 * a value redeclared drops the old value (a class or enum whose type survives becomes
 * `let C: any`), a type redeclared drops the old type, imports keep only surviving names.
 * `edited`: whether `declsSF` was changed in place to print them (then it must not be reused).
 */
export function remainingDecls(
  ts: Ts,
  checker: TS.TypeChecker,
  srcSF: TS.SourceFile,
  declsSF: TS.SourceFile,
  prefixLength: number,
): { text: string; edited: boolean } {
  const declLocals = (declsSF as unknown as { locals?: Map<string, TS.Symbol> }).locals;
  const locals = (srcSF as unknown as { locals?: Map<string, TS.Symbol> }).locals;
  if (!declLocals) return { text: "", edited: false };
  const keepMap = new Map<TS.Node, Set<string>>();
  const addName = (node: TS.Node, name: string) => {
    let set = keepMap.get(node);
    if (!set) keepMap.set(node, (set = new Set()));
    set.add(name);
  };
  const valueNames = new Set<string>();
  const anyVars = new Set<string>();
  declLocals.forEach((sym, key) => {
    const keep = keepKinds(ts, checker, locals?.get(key));
    if (!keep.type && !keep.value) return;
    for (const decl of sym.declarations ?? []) {
      let node: TS.Node = decl;
      while (node.parent !== declsSF) node = node.parent;
      if (ts.isVariableStatement(node)) {
        if (keep.value) {
          addName(node, key);
          anyVars.delete(key);
          valueNames.add(key);
        }
      } else if (ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) {
        if (keep.type) addName(node, key);
      } else if (ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) {
        if (keep.type) {
          if (keep.value) addName(node, key);
        } else if (!valueNames.has(key)) {
          anyVars.add(key);
        }
      } else if (ts.isImportDeclaration(node)) {
        if (keep.type && keep.value) {
          addName(node, key);
          continue;
        }
        const aliased = checker.getAliasedSymbol(sym);
        if (!keep.value) {
          if (!(aliased.flags & ts.SymbolFlags.Value) && aliased.flags) addName(node, key);
          continue;
        }
        if (aliased.flags & ts.SymbolFlags.Type) {
          if (aliased.flags & ts.SymbolFlags.Value && !valueNames.has(aliased.escapedName as string))
            anyVars.add(aliased.escapedName as string);
          continue;
        }
        addName(node, key);
      } else if (ts.isFunctionDeclaration(node)) {
        if (keep.value) addName(node, key);
      }
    }
  });
  // Nothing overridden (the usual case): the previous declarations stay as they were written.
  const whole =
    anyVars.size === 0 &&
    declsSF.statements.every((st, i) => (i === 0 && ts.isExportDeclaration(st)) || fullyKept(ts, st, keepMap.get(st)));
  if (whole) return { text: declsSF.text.slice(prefixLength), edited: false };
  const statements: TS.Statement[] = [];
  for (const stmt of declsSF.statements) {
    const names = keepMap.get(stmt);
    if (!names) continue;
    statements.push(stmt);
    if (ts.isVariableStatement(stmt)) {
      const kept = stmt.declarationList.declarations.filter((d) => ts.isIdentifier(d.name) && names.has(d.name.escapedText as string));
      (stmt.declarationList as Mutable<TS.VariableDeclarationList>).declarations = ts.factory.createNodeArray(kept);
    } else if (ts.isImportDeclaration(stmt)) {
      keepNamesInImport(ts, stmt, names);
    }
  }
  (declsSF as Mutable<TS.SourceFile>).statements = ts.factory.createNodeArray(statements);
  const printed = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(declsSF);
  return {
    text: printed + [...anyVars].map((name) => `let ${ts.unescapeLeadingUnderscores(name as TS.__String)}: any;\n`).join(""),
    edited: true,
  };
}

/** Whether every name `st` declares is among `names` (undefined: none is). */
function fullyKept(ts: Ts, st: TS.Statement, names: Set<string> | undefined): boolean {
  if (!names) return false;
  const has = (id: TS.Identifier) => names.has(id.escapedText as string);
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && has(d.name));
  if (ts.isImportDeclaration(st)) {
    const c = st.importClause;
    if (!c) return false;
    if (c.name && !has(c.name)) return false;
    if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) return has(c.namedBindings.name);
    return (c.namedBindings?.elements ?? []).every((e) => has(e.name));
  }
  return true;
}

/** Which of an earlier declaration survive a cell's symbol of the same name (value, type). */
function keepKinds(ts: Ts, checker: TS.TypeChecker, sym: TS.Symbol | undefined): { value: boolean; type: boolean } {
  if (!sym) return { value: true, type: true };
  if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  return { value: !(sym.flags & ts.SymbolFlags.Value), type: !(sym.flags & ts.SymbolFlags.Type) };
}

function keepNamesInImport(ts: Ts, im: TS.ImportDeclaration, names: Set<string>): void {
  const c = im.importClause as Mutable<TS.ImportClause> | undefined;
  if (!c) return;
  if (c.name && !names.has(c.name.escapedText as string)) delete (c as { name?: unknown }).name;
  if (c.namedBindings) {
    if (ts.isNamespaceImport(c.namedBindings)) {
      if (!names.has(c.namedBindings.name.escapedText as string)) delete (c as { namedBindings?: unknown }).namedBindings;
    } else {
      const kept = c.namedBindings.elements.filter((e) => names.has(e.name.escapedText as string));
      if (kept.length > 0) (c.namedBindings as Mutable<TS.NamedImports>).elements = ts.factory.createNodeArray(kept);
      else delete (c as { namedBindings?: unknown }).namedBindings;
    }
  }
}

/** A relative specifier of a TypeScript file: `./mod.ts`, `../a/b.mts`, `./c.tsx`. */
const RELATIVE_TS = /^\.\.?\/.*\.([mc]?)tsx?$/;

/**
 * The specifier of a module's emitted JavaScript: `./mod.ts` and `./mod.tsx` become `./mod.js`
 * (`.mts` `.mjs`, `.cts` `.cjs`); any other specifier stays.
 *
 * @example
 * jsSpecifier("./mod.ts") // "./mod.js"
 */
export function jsSpecifier(spec: string): string {
  const m = RELATIVE_TS.exec(spec);
  return m ? spec.replace(/\.[mc]?tsx?$/, `.${m[1]}js`) : spec;
}

/**
 * After the CommonJS transform: `require("./mod.ts")` (an import of a `.ts` specifier, static
 * or dynamic) loads the module's emitted `./mod.js`, as `./mod` and `./mod.js` do.
 */
export function relativeTsToJs(ts: Ts): TS.TransformerFactory<TS.SourceFile> {
  const context = ts.getNullTransformationContext();
  const f = ts.factory;
  return () => {
    const visit = (node: TS.Node): TS.Node => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "require" &&
        node.arguments.length === 1 &&
        ts.isStringLiteral(node.arguments[0]!) &&
        RELATIVE_TS.test(node.arguments[0].text)
      ) {
        const arg = ts.setTextRange(f.createStringLiteral(jsSpecifier(node.arguments[0].text)), node.arguments[0]);
        return f.updateCallExpression(node, node.expression, node.typeArguments, [arg]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => ts.visitEachChild(file, visit, context);
  };
}
