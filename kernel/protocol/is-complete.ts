/**
 * @file `is_complete_request`: complete / incomplete (with indent) / invalid, magics aware,
 * decided from tokens alone (lexer.ts) as IPython's `is_complete` reasons about Python input,
 * so the protocol process answers at once and never loads the TypeScript compiler.
 *
 * Incomplete: a bracket, template literal, `${}` or block comment still open; a string whose
 * last character is a continuing `\`; a last token that needs more after it (a binary operator,
 * `.`, `=>`, `,`, a keyword such as `else` or `extends`), a `?` without its `:`; the header of
 * `if (...)`, `for (...)`, `while (...)`; `try { ... }` and `do { ... }` alone; a class,
 * interface, enum, namespace or function declared without its body yet.
 * Invalid: what no continuation can mend (a closing bracket that closes nothing, a string cut by
 * a line end, a stray character, `const` without a name, an operator right before `;` or a
 * closing bracket). Anything else is complete; the compiler reports the rest when
 * the cell runs. Input that ends with a blank line is never incomplete (invalid if unfinished):
 * the way out of a continuation prompt, as in IPython's console.
 */
import { parseCell } from "../magics/parse.js";
import { endsOperand, lex, type Lexed, type Token } from "./lexer.js";

/** The content of an is_complete_reply. */
export type IsCompleteReply = { status: "complete" | "invalid" } | { status: "incomplete"; indent: string };

/** One indentation step of the continuation prompt. */
const STEP = "  ";

/** Punctuators that cannot end an expression or statement. (`>` can: it closes `Array<number>`.) */
const CONTINUING_PUNCTUATORS = new Set([
  "+",
  "-",
  "*",
  "/",
  "%",
  "**",
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "**=",
  "<<=",
  ">>=",
  ">>>=",
  "&=",
  "|=",
  "^=",
  "&&=",
  "||=",
  "??=",
  "==",
  "===",
  "!=",
  "!==",
  "<",
  "<=",
  ">=",
  "<<",
  "&",
  "|",
  "^",
  "&&",
  "||",
  "??",
  "~",
  "?",
  ":",
  ",",
  ".",
  "?.",
  "=>",
  "...",
  "@",
]);

/**
 * Keywords that cannot end a statement (not `void`, which ends `() => void`; `const` does end
 * `as const`; `from` only continues an import or export).
 */
const CONTINUING_KEYWORDS = new Set([
  "if",
  "else",
  "for",
  "while",
  "do",
  "switch",
  "case",
  "try",
  "catch",
  "finally",
  "with",
  "function",
  "class",
  "interface",
  "enum",
  "namespace",
  "const",
  "let",
  "var",
  "import",
  "export",
  "extends",
  "implements",
  "in",
  "instanceof",
  "new",
  "typeof",
  "keyof",
  "delete",
  "await",
  "yield",
  "throw",
  "as",
  "satisfies",
]);

/** Keywords a statement follows, indented one step more. */
const BODY_KEYWORDS = new Set(["else", "do", "try", "finally"]);

/** Keywords whose `(...)` is followed by a statement. (`while` too, unless it ends a `do`.) */
const HEADER_KEYWORDS = new Set(["if", "for", "with", "while"]);

/** Declarations that a body (`{ ... }`) must follow; modifiers that may come before them. */
const BODY_DECLARATIONS = new Set(["class", "interface", "enum", "namespace", "function"]);
const MODIFIERS = new Set(["export", "default", "abstract", "async"]);

/**
 * Decide whether a console should run `code` now; magic lines count as complete statements.
 *
 * @example
 * isCompleteReply("let y = )") // { status: "invalid" }
 * isCompleteReply("function f() {") // { status: "incomplete", indent: "  " }
 */
export function isCompleteReply(code: string): IsCompleteReply {
  const segments = parseCell(code);
  if (segments[0]?.type === "magic" && segments[0].mode === "cell") return { status: "complete" };
  // Blank out magic lines so positions (and the end of input) stay where they were.
  const lines = code.split("\n");
  for (const s of segments) if (s.type !== "code") lines[s.line] = "";
  const ts = lines.join("\n");
  if (ts.trim() === "") return { status: "complete" };
  const lexed = lex(ts);
  const reply = fromTokens(ts, lexed);
  // A blank line at the end runs what is there: unfinished, it is invalid (blank lines in a
  // template literal are its text).
  if (reply.status === "incomplete" && /(^|\n)\s*\n\s*$/.test(ts) && lexed.open.at(-1)?.ch !== "`") return { status: "invalid" };
  return reply;
}

function fromTokens(code: string, lexed: Lexed): IsCompleteReply {
  const { tokens, open } = lexed;
  if (lexed.invalid !== undefined || tokens.some((t, k) => cannotFollow(tokens, k))) return { status: "invalid" };
  const incomplete = (indent: string): IsCompleteReply => ({ status: "incomplete", indent });
  // In a template's text or a continued string, leading blanks would be part of the text.
  if (lexed.endsIn === "string") return lexed.continued ? incomplete("") : { status: "invalid" };
  if (lexed.endsIn === "block-comment") return incomplete(indentAt(code, code.length));
  const inner = open[open.length - 1];
  if (inner?.ch === "`") return incomplete("");
  if (inner) return incomplete(indentAt(code, inner.start) + STEP);
  const last = tokens[tokens.length - 1];
  if (!last) return { status: "complete" };
  const here = indentAt(code, code.length);
  if (last.kind === "punct" && CONTINUING_PUNCTUATORS.has(last.text)) return incomplete(here);
  // `x!` asserts non-null; a `!` that starts an operand needs one.
  if (last.kind === "punct" && last.text === "!" && !endsOperand(tokens[tokens.length - 2])) return incomplete(here);
  const start = statementStart(tokens);
  if (last.kind === "name" && !isMember(tokens, tokens.length - 1)) {
    const before = tokens[tokens.length - 2];
    if (CONTINUING_KEYWORDS.has(last.text) && !(last.text === "const" && before?.text === "as"))
      return incomplete(BODY_KEYWORDS.has(last.text) ? here + STEP : here);
    if (last.text === "from" && importsOrExports(tokens)) return incomplete(here);
  }
  const closed = lexed.closed;
  if (closed && last.start === closed.end - 1 && closed.before?.kind === "name") {
    let keyword = tokens.indexOf(closed.before);
    // `for await (...)`, as `for (...)`.
    if (closed.before.text === "await" && tokens[keyword - 1]?.text === "for") keyword--;
    const kw = tokens[keyword]!;
    const endsDo = kw.text === "while" && tokens[keyword - 1]?.text === "}";
    // `if (...)`, `for (...)`, `while (...)` (unless it ends a `do { ... }`) need a statement;
    // `try { ... }` a catch or finally, `do { ... }` its `while (...)`.
    const header = closed.ch === "(" && HEADER_KEYWORDS.has(kw.text) && !endsDo;
    const block = closed.ch === "{" && (kw.text === "try" || kw.text === "do");
    if ((header || block) && !isMember(tokens, keyword)) return incomplete(header ? here + STEP : here);
  }
  // A conditional `a ? b` without its `: c`.
  const top = tokens.slice(start).filter((t) => t.depth === 0 && t.kind === "punct");
  if (top.filter((t) => t.text === "?").length > top.filter((t) => t.text === ":").length) return incomplete(here);
  if (declaresWithoutBody(tokens, start)) return incomplete(here);
  return { status: "complete" };
}

/** Operators that may come right before `;` or a closing bracket: `f(a, )`, `(x?) => x`, `case 1: }`. */
const BEFORE_CLOSER = new Set([",", "?", ":"]);

/**
 * Whether token `k` cannot follow the token before it, whatever comes next: a name, `[` or `{`
 * must follow `const`, `let` and `var` (`const = 5`); an operand must follow an operator before
 * `;` or a closing bracket (`a = ;`, `f(x.)`).
 */
function cannotFollow(tokens: Token[], k: number): boolean {
  const t = tokens[k]!;
  const before = tokens[k - 1];
  if (!before || t.kind !== "punct") return false;
  if (before.kind === "name" && ["const", "let", "var"].includes(before.text) && !isMember(tokens, k - 1) && tokens[k - 2]?.text !== "as")
    return t.text !== "[" && t.text !== "{";
  return (
    before.kind === "punct" &&
    CONTINUING_PUNCTUATORS.has(before.text) &&
    !BEFORE_CLOSER.has(before.text) &&
    [";", ")", "]", "}"].includes(t.text)
  );
}

/** The blanks that start the line holding `pos`. */
function indentAt(code: string, pos: number): string {
  const lineStart = code.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(code.slice(lineStart))![0];
}

/** Whether token `k` is a property name (`x.if`, `x?.for`), not a keyword. */
function isMember(tokens: Token[], k: number): boolean {
  const before = tokens[k - 1];
  return before?.kind === "punct" && (before.text === "." || before.text === "?.");
}

/** Whether the last statement (back to a `;` outside brackets) is an import or export, whose `from` wants a module. */
function importsOrExports(tokens: Token[]): boolean {
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!;
    if (t.depth !== 0) continue;
    if (t.text === ";") return false;
    if (t.kind === "name" && (t.text === "import" || t.text === "export") && !isMember(tokens, k)) return true;
  }
  return false;
}

/** Where the last statement at the top level starts: after the last `;` or `}` outside brackets. */
function statementStart(tokens: Token[]): number {
  let k = tokens.length;
  while (k > 0 && !(tokens[k - 1]!.depth === 0 && (tokens[k - 1]!.text === ";" || tokens[k - 1]!.text === "}"))) k--;
  return k;
}

/**
 * Whether the statement starting at token `start` declares a class, interface, enum, namespace or
 * function and has not opened its body yet.
 */
function declaresWithoutBody(tokens: Token[], start: number): boolean {
  let k = start;
  while (k < tokens.length && tokens[k]!.kind === "name" && MODIFIERS.has(tokens[k]!.text)) k++;
  const first = tokens[k];
  if (!first || first.kind !== "name" || !BODY_DECLARATIONS.has(first.text)) return false;
  return !tokens.slice(k).some((t) => t.depth === 0 && t.text === "{");
}
