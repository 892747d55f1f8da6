/**
 * @file Completion and inspection (`complete_request`, `inspect_request`) of gradlab's cell
 * compiler, answered from a full build of the previous declarations and the cell as typed so far.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { build } from "./full-build.js";
import { internals, NO_CANCEL, PREFIX, type CompilerState, type Ts } from "./state.js";
import type { Completion } from "./types.js";

/**
 * Completions at `cursor`: the identifier under the cursor (if any) is what the candidates
 * replace, best matches first. Members whose name starts with `_` (a tensor's `_data`, `_buf`,
 * ...: internal by convention) are offered only once the name typed starts with `_`, as IPython
 * omits them.
 */
export function complete(s: CompilerState, prevDecl: string, code: string, cursor: number): Completion {
  const { ts } = s;
  const { program: p, srcFile } = build(s, prevDecl, code);
  const pos = cursor + PREFIX.length;
  const { Completions, findPrecedingToken, findNextToken } = internals(ts);
  const info = Completions.getCompletionsAtPositionForTslab(
    {},
    p,
    () => undefined,
    srcFile,
    pos,
    {},
    undefined,
    ts.CompletionTriggerKind.Invoked,
    NO_CANCEL,
  );
  const prev = findPrecedingToken(pos, srcFile);
  const next = prev && !(ts.isIdentifier(prev) && prev.end >= pos) ? findNextToken(prev, srcFile, srcFile) : undefined;
  const id =
    prev && ts.isIdentifier(prev) && prev.end >= pos
      ? prev
      : next && ts.isIdentifier(next) && next.getStart(srcFile) <= pos && pos <= next.end
        ? next
        : undefined;
  const hideInternal = info?.isMemberCompletion === true && !id?.text.startsWith("_");
  const entries = (info?.entries ?? []).filter((e) => !(hideInternal && e.name.startsWith("_")));
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

/**
 * Quick info (type and documentation) at `cursor`. Inside a call's parentheses it is the callee's
 * (`grad(f, |)` and `grad(f|)` inspect `grad`): the innermost call whose parentheses hold the
 * cursor wins, as IPython's `token_at_cursor` prefers the callable; a function body inside the
 * arguments is code of its own, inspected where the cursor is.
 */
export function inspect(s: CompilerState, prevDecl: string, code: string, cursor: number): TS.QuickInfo | undefined {
  const { ts } = s;
  const { program: p, srcFile } = build(s, prevDecl, code);
  const pos = cursor + PREFIX.length;
  const at = calleeAt(ts, srcFile, pos) ?? pos;
  const info = ts.getQuickInfoAtPosition(srcFile, p.getTypeChecker(), NO_CANCEL, at);
  if (info?.textSpan) info.textSpan.start -= PREFIX.length;
  return info;
}

/**
 * Where the callee's name starts, for the innermost call (or `new`) whose parentheses hold `pos`
 * (from just after `(` to just before `)`, or past the blanks after it when `)` is missing); undefined when
 * there is none, or a function body, class or block lies between it and `pos`.
 */
function calleeAt(ts: Ts, sf: TS.SourceFile, pos: number): number | undefined {
  // The node before any blanks at the cursor (`grad(f, |` has only the end of the file at it).
  let probe = pos;
  while (probe > 0 && /\s/.test(sf.text[probe - 1]!)) probe--;
  const chain: TS.Node[] = [];
  for (let n = deepestAt(ts, sf, probe); n && n !== sf; n = n.parent as TS.Node | undefined) chain.push(n);
  for (const node of chain) {
    if (ts.isBlock(node) || ts.isClassLike(node) || ts.isModuleBlock(node) || (ts.isArrowFunction(node) && node.body.pos <= pos))
      return undefined;
    if (!(ts.isCallExpression(node) || ts.isNewExpression(node)) || !node.arguments) continue;
    const open = node.arguments.pos; // just after `(`
    // Unclosed, the call reaches to the end of the blanks after it.
    const closed = node.getChildren(sf).at(-1)?.kind === ts.SyntaxKind.CloseParenToken;
    if (pos < open || pos > (closed ? node.end - 1 : probe === node.end ? pos : node.end)) continue;
    const callee = node.expression;
    return (ts.isPropertyAccessExpression(callee) ? callee.name : callee).getStart(sf);
  }
  return undefined;
}

/** The innermost node whose text (without leading trivia) touches `pos`. */
function deepestAt(ts: Ts, sf: TS.SourceFile, pos: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (n: TS.Node): void => {
    if (n.pos > pos || n.end < pos || n.kind === ts.SyntaxKind.EndOfFileToken) return;
    if (n.getStart(sf) <= pos) found = n;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return found;
}
