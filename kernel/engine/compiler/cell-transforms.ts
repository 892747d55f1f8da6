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
 * Before type stripping: `expr;` as the cell's last statement becomes `const tsLastExpr = expr;`
 * (a fresh name when the cell declares `tsLastExpr` itself), a local of the cell's function that
 * {@link returnLastExpression} returns. (It is not stored in the notebook's `exports`: taking it
 * out again would make V8 keep that object as a dictionary, and every notebook name slower.)
 */
export function lastExpressionToLocal(ts: Ts, locals: Set<string>, found: (name: string) => void): TS.TransformerFactory<TS.SourceFile> {
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
      undefined,
      ts.factory.createVariableDeclarationList(
        [ts.factory.createVariableDeclaration(name, undefined, undefined, anonymous(ts, last.expression))],
        ts.NodeFlags.Const,
      ),
    );
    return ts.factory.updateSourceFile(file, [...sts.slice(0, i), ts.setTextRange(decl, last), ...sts.slice(i + 1)]);
  };
}

/**
 * After emit: the cell's function ends with `return { value: tsLastExpr };` when the cell ends with
 * an expression (`name()`: its local, from {@link lastExpressionToLocal}). The value is boxed so an
 * async cell returns a promise it computed as it is, not what the promise resolves to.
 */
export function returnLastExpression(ts: Ts, name: () => string | undefined): TS.TransformerFactory<TS.SourceFile> {
  return () => (file) => {
    const local = name();
    if (!local) return file;
    const f = ts.factory;
    const box = f.createObjectLiteralExpression([f.createPropertyAssignment("value", f.createIdentifier(local))]);
    return f.updateSourceFile(file, [...file.statements, f.createReturnStatement(box)]);
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
 * Before the CommonJS transform: a cell's `export { ... }` lists go (the compiler appends one
 * naming the cell's top-level names, for its declarations output). In the JavaScript, a notebook
 * name is a property of `exports` assigned where it is declared ({@link notebookNamesToExports});
 * an export list would make TypeScript reset each name to `void 0` when the cell starts, and keep
 * a second copy of it in the cell's own `let`.
 */
export function dropExportLists(ts: Ts): TS.TransformerFactory<TS.SourceFile> {
  return () => (file) =>
    ts.factory.updateSourceFile(
      file,
      file.statements.filter((st) => !(ts.isExportDeclaration(st) && !st.moduleSpecifier)),
    );
}

/**
 * After emit: every notebook name is one property of `exports`, read and written there by every
 * cell and by every function a cell declares (a module-level variable's semantics: a function
 * sees the value a later cell assigns). The notebook names are the top-level value names of the
 * previous declarations (any of `declFiles`) and of this cell (`srcFile`; its imports excepted,
 * which TypeScript reads from the module).
 * - A reference `x` becomes `exports.x` (`{ x }` becomes `{ x: exports.x }`); property names and
 *   names a nested scope declares again stay.
 * - A top-level `let`/`const`/`var` (and a `var` in a top-level block or loop header) becomes an
 *   assignment where it stands: `let x = 1` is `exports.x = 1`, `const { a, b: [c] } = o` is
 *   `({ a: exports.a, b: [exports.c] } = o)`. So a cell that fails before a declaration leaves the
 *   earlier value in place, as IPython does.
 * - A function keeps its declaration (hoisted, named) and is stored first: `exports.f = f;`. A
 *   class, an enum and a namespace are stored just after their declaration.
 * - An import is stored for later cells after its `require`: `exports.grad = gradlab_1.grad;`.
 */
export function notebookNamesToExports(
  ts: Ts,
  checker: TS.TypeChecker,
  declFiles: readonly TS.SourceFile[],
  srcFile: TS.SourceFile,
): TS.TransformerFactory<TS.SourceFile> {
  const context = ts.getNullTransformationContext();
  const f = ts.factory;
  type Locals = Map<string, TS.Symbol> | undefined;
  const localsOf = (sf: TS.SourceFile): Locals => (sf as unknown as { locals?: Map<string, TS.Symbol> }).locals;
  const previous = declFiles.map(localsOf);
  const own = localsOf(srcFile);
  const isPreviousIn = (locals: Locals, sym: TS.Symbol): boolean => {
    const local = locals?.get(sym.escapedName as string);
    if (!local) return false;
    if (local === sym || (local as { exportSymbol?: TS.Symbol }).exportSymbol === sym) return true;
    return !!(local.flags & ts.SymbolFlags.Alias) && checker.getAliasedSymbol(local) === sym;
  };
  const isOwn = (sym: TS.Symbol): boolean => {
    const local = own?.get(sym.escapedName as string);
    if (!local || local.flags & ts.SymbolFlags.Alias || !(local.flags & ts.SymbolFlags.Value)) return false;
    return local === sym || (local as { exportSymbol?: TS.Symbol }).exportSymbol === sym;
  };
  const isNotebook = (sym: TS.Symbol | undefined): boolean => !!sym && (isOwn(sym) || previous.some((locals) => isPreviousIn(locals, sym)));
  // Every name that may be a notebook name: an identifier of any other name needs no symbol lookup.
  const declared = new Set<string>();
  for (const locals of [...previous, own]) locals?.forEach((_, key) => declared.add(key));
  const slot = (name: string): TS.PropertyAccessExpression =>
    f.createPropertyAccessExpression(f.createIdentifier("exports"), f.createIdentifier(name));
  /** Whether `id` names a notebook variable here (a reference, or the name in its declaration). */
  const notebookName = (id: TS.Identifier): boolean =>
    declared.has(id.escapedText as string) && isNotebook(checker.getSymbolAtLocation(id));
  /** A declaration's name is never a reference (`function f`, `{ x: 1 }`, a parameter). */
  const isDeclarationName = (id: TS.Identifier): boolean => {
    const o = ts.getOriginalNode(id);
    const parent = o.parent as (TS.Node & { name?: TS.Node; propertyName?: TS.Node }) | undefined;
    if (!parent) return false;
    if (ts.isPropertyAccessExpression(parent)) return parent.name === o;
    if (ts.isQualifiedName(parent)) return parent.right === o;
    if (ts.isShorthandPropertyAssignment(parent)) return false;
    return parent.name === o || parent.propertyName === o || ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent);
  };

  return () => {
    /** Inside a function (its `var`s are its own). */
    let inFunction = false;
    let skip: ReadonlySet<string> = new Set();

    const target = (name: TS.BindingName): TS.Expression => {
      if (ts.isIdentifier(name)) return notebookName(name) ? ts.setTextRange(slot(name.text), name) : name;
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(
          name.elements.map((e) => {
            const t = target(e.name);
            if (e.dotDotDotToken) return f.createSpreadAssignment(t);
            const value = e.initializer ? f.createAssignment(t, ts.visitNode(e.initializer, visit) as TS.Expression) : t;
            const key = e.propertyName
              ? (ts.visitNode(e.propertyName, visit) as TS.PropertyName)
              : f.createIdentifier((e.name as TS.Identifier).text);
            return f.createPropertyAssignment(key, value);
          }),
        );
      }
      return f.createArrayLiteralExpression(
        name.elements.map((e) => {
          if (ts.isOmittedExpression(e)) return e;
          const t = target(e.name);
          if (e.dotDotDotToken) return f.createSpreadElement(t);
          return e.initializer ? f.createAssignment(t, ts.visitNode(e.initializer, visit) as TS.Expression) : t;
        }),
      );
    };
    /** Whether a declaration list binds notebook names (a top-level one, or a `var` outside functions). */
    const bindsNotebook = (list: TS.VariableDeclarationList): boolean =>
      list.declarations.some((d) => boundNames(d.name).some((id) => notebookName(id)));
    /** The assignments that stand for a declaration list (`var x;` assigns nothing). */
    const isVarList = (list: TS.VariableDeclarationList): boolean => !(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
    const assignments = (list: TS.VariableDeclarationList): TS.Expression[] =>
      list.declarations.flatMap((d) => assignment(d, isVarList(list)) ?? []);
    /** The assignment that stands for one declaration (`isVar`: a `var`, which assigns nothing without a value). */
    const assignment = (d: TS.VariableDeclaration, isVar: boolean): TS.Expression | undefined => {
      if (!d.initializer && isVar) return undefined;
      const init = d.initializer ? (ts.visitNode(d.initializer, visit) as TS.Expression) : f.createVoidZero();
      return ts.setTextRange(f.createAssignment(target(d.name), init), d);
    };

    /**
     * The statements that stand for a top-level declaration list. A function or class without a
     * name of its own is named after its variable (`const f = () => 1` has `f.name` "f"), which
     * an assignment to a property would not do: it is made under a local of that name first,
     * then stored (`const f = () => 1; exports.f = f;`).
     */
    const declarationStatements = (list: TS.VariableDeclarationList): TS.Statement[] => {
      const out: TS.Statement[] = [];
      for (const d of list.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && isAnonymousDefinition(d.initializer) && notebookName(d.name)) {
          const local = f.createIdentifier(d.name.text);
          const init = ts.visitNode(d.initializer, visit) as TS.Expression;
          out.push(
            ts.setTextRange(
              f.createVariableStatement(
                undefined,
                f.createVariableDeclarationList(
                  [f.createVariableDeclaration(local, undefined, undefined, init)],
                  isVarList(list) ? ts.NodeFlags.None : ts.NodeFlags.Const,
                ),
              ),
              d,
            ),
            f.createExpressionStatement(f.createAssignment(slot(d.name.text), f.createIdentifier(d.name.text))),
          );
        } else {
          const a = assignment(d, isVarList(list));
          if (a) out.push(ts.setTextRange(f.createExpressionStatement(a), d));
        }
      }
      return out;
    };
    const isAnonymousDefinition = (e: TS.Expression): boolean => {
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      return ts.isArrowFunction(e) || ((ts.isFunctionExpression(e) || ts.isClassExpression(e)) && !e.name);
    };
    const isEnumOrNamespace = (n: TS.Node): n is TS.EnumDeclaration | TS.ModuleDeclaration =>
      ts.isEnumDeclaration(n) || ts.isModuleDeclaration(n);
    const visit = (node: TS.Node): TS.Node | TS.Node[] | undefined => {
      if (
        ts.isShorthandPropertyAssignment(node) &&
        declared.has(node.name.escapedText as string) &&
        isNotebook(checker.getShorthandAssignmentValueSymbol(node)) &&
        !skip.has(node.name.text)
      ) {
        const init = node.objectAssignmentInitializer && (ts.visitNode(node.objectAssignmentInitializer, visit) as TS.Expression);
        const value = init ? f.createAssignment(slot(node.name.text), init) : slot(node.name.text);
        return ts.setTextRange(f.createPropertyAssignment(node.name.text, value), node);
      }
      if (ts.isIdentifier(node)) {
        if (!declared.has(node.escapedText as string) || skip.has(node.text) || isDeclarationName(node)) return node;
        return notebookName(node) ? ts.setTextRange(slot(node.text), node) : node;
      }
      if (
        !inFunction &&
        ts.isVariableStatement(node) &&
        !isEnumOrNamespace(ts.getOriginalNode(node)) &&
        bindsNotebook(node.declarationList)
      ) {
        return declarationStatements(node.declarationList).map((st) => ts.setTextRange(st, node));
      }
      if (!inFunction && (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node))) {
        const init = node.initializer;
        if (init && ts.isVariableDeclarationList(init) && bindsNotebook(init)) {
          const body = ts.visitNode(node.statement, visit) as TS.Statement;
          if (ts.isForStatement(node)) {
            const list = assignments(init);
            const first = list.length === 0 ? undefined : list.reduce((a, b) => f.createComma(a, b));
            return f.updateForStatement(
              node,
              first,
              ts.visitNode(node.condition, visit) as TS.Expression | undefined,
              ts.visitNode(node.incrementor, visit) as TS.Expression | undefined,
              body,
            );
          }
          const t = target(init.declarations[0]!.name);
          const expr = ts.visitNode(node.expression, visit) as TS.Expression;
          return ts.isForInStatement(node)
            ? f.updateForInStatement(node, t, expr, body)
            : f.updateForOfStatement(node, node.awaitModifier, t, expr, body);
        }
      }
      if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) {
        const outer = inFunction;
        inFunction = true;
        try {
          return ts.visitEachChild(node, visit, context);
        } finally {
          inFunction = outer;
        }
      }
      return ts.visitEachChild(node, visit, context);
    };

    /** The statements that store a top-level declaration's value once it is made (before `st` runs: a function). */
    const stores = (st: TS.Statement): { before: TS.Statement[]; after: TS.Statement[] } => {
      const store = (id: TS.Identifier) => f.createExpressionStatement(f.createAssignment(slot(id.text), f.createIdentifier(id.text)));
      if (ts.isFunctionDeclaration(st) && st.name && st.body && notebookName(st.name)) return { before: [store(st.name)], after: [] };
      if (ts.isClassDeclaration(st) && st.name && notebookName(st.name)) return { before: [], after: [store(st.name)] };
      const o = ts.getOriginalNode(st);
      // An enum or a namespace: TypeScript's `var E; (function (E) { ... })(E || (E = {}));`, stored after the call.
      if (isEnumOrNamespace(o) && ts.isIdentifier(o.name) && ts.isExpressionStatement(st) && notebookName(o.name)) {
        return { before: [], after: [store(o.name)] };
      }
      if (ts.isImportDeclaration(o) || ts.isImportEqualsDeclaration(o)) return { before: [], after: importStores(st, o) };
      return { before: [], after: [] };
    };
    /** `exports.x = m_1.x;` for each value an import statement brings (its emitted `const m_1 = require(...)`). */
    const importStores = (st: TS.Statement, o: TS.ImportDeclaration | TS.ImportEqualsDeclaration): TS.Statement[] => {
      if (!ts.isVariableStatement(st)) return [];
      const local = st.declarationList.declarations[0]?.name;
      if (!local || !ts.isIdentifier(local)) return [];
      const out: TS.Statement[] = [];
      const put = (name: TS.Identifier, value: TS.Expression) => {
        const sym = checker.getSymbolAtLocation(name);
        if (!sym || !(checker.getAliasedSymbol(sym).flags & ts.SymbolFlags.Value)) return;
        out.push(f.createExpressionStatement(f.createAssignment(slot(name.text), value)));
      };
      if (ts.isImportEqualsDeclaration(o)) {
        put(o.name, local);
        return out;
      }
      const c = o.importClause;
      if (!c || c.isTypeOnly) return out;
      if (c.name) put(c.name, f.createPropertyAccessExpression(local, "default"));
      const b = c.namedBindings;
      if (b && ts.isNamespaceImport(b)) put(b.name, local);
      else if (b)
        for (const e of b.elements)
          if (!e.isTypeOnly) put(e.name, f.createPropertyAccessExpression(local, (e.propertyName ?? e.name).text));
      return out;
    };

    return (file) => {
      const hoisted: TS.Statement[] = [];
      const body: TS.Statement[] = [];
      for (const st of file.statements) {
        // `Object.defineProperty(exports, "__esModule", ...)`: the notebook's scope is no module.
        if (isEsModuleMarker(ts, st)) continue;
        const { before, after } = stores(st);
        hoisted.push(...before);
        const o = ts.getOriginalNode(st);
        skip = isEnumOrNamespace(o) && ts.isIdentifier(o.name) ? new Set([o.name.text]) : new Set<string>();
        // A module's `require` is left as TypeScript wrote it; `import x = N.y` reads notebook names.
        const required = ts.isImportDeclaration(o) || (ts.isImportEqualsDeclaration(o) && ts.isExternalModuleReference(o.moduleReference));
        const out = required ? st : visit(st);
        skip = new Set();
        if (Array.isArray(out)) body.push(...(out as TS.Statement[]));
        else if (out) body.push(out as TS.Statement);
        body.push(...after);
      }
      const prologue = body.findIndex((st) => !(ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)));
      const at = prologue < 0 ? body.length : prologue;
      return f.updateSourceFile(file, [...body.slice(0, at), ...hoisted, ...body.slice(at)]);
    };
  };
}

/** The identifiers a binding name binds. */
function boundNames(name: TS.BindingName): TS.Identifier[] {
  if ("escapedText" in name) return [name as TS.Identifier];
  const out: TS.Identifier[] = [];
  for (const e of (name as TS.BindingPattern).elements) if ("name" in e) out.push(...boundNames(e.name));
  return out;
}

/** `Object.defineProperty(exports, "__esModule", { value: true });` */
function isEsModuleMarker(ts: Ts, st: TS.Statement): boolean {
  if (!ts.isExpressionStatement(st) || !ts.isCallExpression(st.expression)) return false;
  const [target, key] = st.expression.arguments;
  return !!target && ts.isIdentifier(target) && target.text === "exports" && !!key && ts.isStringLiteral(key) && key.text === "__esModule";
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

/**
 * After declarations: a `var` a top-level statement declares inside itself (`for (var i ...)`,
 * `if (c) { var y = 1; }`) is a notebook name as much as a top-level `var` is, but TypeScript's
 * declaration emit writes only direct declarations. Each such name the `.d.ts` lacks is added as
 * `declare var name: T;`, T its type from the checker (`any` when it has none to print).
 */
export function nestedVarDeclarations(
  ts: Ts,
  checker: TS.TypeChecker,
  srcFile: TS.SourceFile,
): TS.TransformerFactory<TS.SourceFile | TS.Bundle> {
  return () => (node) => {
    if (!ts.isSourceFile(node)) return node;
    const nested = new Map<string, TS.Identifier>();
    const collectNames = (name: TS.BindingName) => {
      if (ts.isIdentifier(name)) {
        if (!nested.has(name.text)) nested.set(name.text, name);
      } else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectNames(el.name);
    };
    const visit = (n: TS.Node): void => {
      // A var inside a function, class or namespace belongs to it, not to the notebook.
      if (ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isModuleDeclaration(n)) return;
      if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) {
        for (const d of n.declarations) collectNames(d.name);
      }
      ts.forEachChild(n, visit);
    };
    for (const st of srcFile.statements) if (!ts.isVariableStatement(st)) visit(st);
    if (nested.size === 0) return node;
    const declared = new Set<string>();
    for (const st of node.statements) {
      if (ts.isVariableStatement(st))
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.add(d.name.text);
    }
    const added: TS.Statement[] = [];
    for (const [name, id] of nested) {
      if (declared.has(name)) continue;
      const type = checker.getTypeAtLocation(id);
      const typeNode =
        checker.typeToTypeNode(type, srcFile, ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.IgnoreErrors) ??
        ts.factory.createKeywordTypeNode(ts.SyntaxKind.AnyKeyword);
      added.push(
        ts.factory.createVariableStatement(
          [ts.factory.createModifier(ts.SyntaxKind.DeclareKeyword)],
          ts.factory.createVariableDeclarationList([ts.factory.createVariableDeclaration(name, undefined, typeNode)], ts.NodeFlags.None),
        ),
      );
    }
    return added.length === 0 ? node : ts.factory.updateSourceFile(node, [...added, ...node.statements]);
  };
}

/** A directive of a prologue (`"use strict";`). */
function isDirective(ts: Ts, st: TS.Statement): boolean {
  return ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression);
}

/** The global Int32Array whose element 0 is non-zero while an interrupt is asked for ({@link interruptChecks}). */
export const INTERRUPT_FLAG = "__gradlab_interrupt__";
/** The global function the checks call when the flag is set: it throws the interrupt. */
export const INTERRUPT_RAISE = "__gradlab_interrupted__";

/**
 * After emit: a check of the interrupt flag at the start of every loop body (`for`, `for-in`,
 * `for-of`, `while`, `do`) and every function body of the cell, so cell code that never yields
 * (`while (true) {}`, a function defined in a cell and called later) can be stopped by another
 * thread: `if (Atomics.load(__gradlab_interrupt__, 0) !== 0) __gradlab_interrupted__();`.
 * A check at the start of the body runs on every iteration whatever `continue` (labelled or not)
 * jumps to, and changes no `break`; a function's directive prologue stays first; an arrow
 * function with an expression body becomes `(check && raise(), body)`.
 */
export function interruptChecks(ts: Ts): TS.TransformerFactory<TS.SourceFile> {
  const f = ts.factory;
  const flagSet = () =>
    f.createStrictInequality(
      f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("Atomics"), "load"), undefined, [
        f.createIdentifier(INTERRUPT_FLAG),
        f.createNumericLiteral(0),
      ]),
      f.createNumericLiteral(0),
    );
  const raise = () => f.createCallExpression(f.createIdentifier(INTERRUPT_RAISE), undefined, []);
  const check = (): TS.Statement => f.createIfStatement(flagSet(), f.createExpressionStatement(raise()));
  /** `body` with the check first (after its directives, when it is a function's). */
  const checked = (body: TS.Statement): TS.Block => {
    if (!ts.isBlock(body)) return f.createBlock([check(), body], true);
    let at = 0;
    while (at < body.statements.length && isDirective(ts, body.statements[at]!)) at++;
    return f.updateBlock(body, [...body.statements.slice(0, at), check(), ...body.statements.slice(at)]);
  };
  return (context) => {
    const visit = (node: TS.Node): TS.Node => {
      const n = ts.visitEachChild(node, visit, context);
      if (ts.isForStatement(n)) return f.updateForStatement(n, n.initializer, n.condition, n.incrementor, checked(n.statement));
      if (ts.isForInStatement(n)) return f.updateForInStatement(n, n.initializer, n.expression, checked(n.statement));
      if (ts.isForOfStatement(n)) return f.updateForOfStatement(n, n.awaitModifier, n.initializer, n.expression, checked(n.statement));
      if (ts.isWhileStatement(n)) return f.updateWhileStatement(n, n.expression, checked(n.statement));
      if (ts.isDoStatement(n)) return f.updateDoStatement(n, checked(n.statement), n.expression);
      if (ts.isArrowFunction(n)) {
        const body = ts.isBlock(n.body) ? checked(n.body) : f.createComma(f.createLogicalAnd(flagSet(), raise()), n.body);
        return f.updateArrowFunction(n, n.modifiers, n.typeParameters, n.parameters, n.type, n.equalsGreaterThanToken, body);
      }
      if (
        (ts.isFunctionDeclaration(n) ||
          ts.isFunctionExpression(n) ||
          ts.isMethodDeclaration(n) ||
          ts.isAccessor(n) ||
          ts.isConstructorDeclaration(n)) &&
        n.body
      ) {
        const body = checked(n.body);
        if (ts.isFunctionDeclaration(n))
          return f.updateFunctionDeclaration(n, n.modifiers, n.asteriskToken, n.name, n.typeParameters, n.parameters, n.type, body);
        if (ts.isFunctionExpression(n))
          return f.updateFunctionExpression(n, n.modifiers, n.asteriskToken, n.name, n.typeParameters, n.parameters, n.type, body);
        if (ts.isMethodDeclaration(n))
          return f.updateMethodDeclaration(
            n,
            n.modifiers,
            n.asteriskToken,
            n.name,
            n.questionToken,
            n.typeParameters,
            n.parameters,
            n.type,
            body,
          );
        if (ts.isGetAccessorDeclaration(n)) return f.updateGetAccessorDeclaration(n, n.modifiers, n.name, n.parameters, n.type, body);
        if (ts.isSetAccessorDeclaration(n)) return f.updateSetAccessorDeclaration(n, n.modifiers, n.name, n.parameters, body);
        return f.updateConstructorDeclaration(n, n.modifiers, n.parameters, body);
      }
      return n;
    };
    return (file) => ts.visitEachChild(file, visit, context);
  };
}
