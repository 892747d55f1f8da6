/**
 * @file A TypeScript lexer small enough for the protocol process, which never loads the
 * compiler: tokens with their bracket depth, and where the input ends (in code, or inside a
 * string, template literal or block comment, with the brackets still open). It knows strings,
 * template literals with `${}` nesting, comments, regular expression literals (a `/` where an
 * operand may start), numbers, names and punctuators; it does not parse.
 */

/** One token. `depth`: how many brackets are open before it. */
export interface Token {
  kind: "name" | "number" | "string" | "template" | "regex" | "punct";
  text: string;
  start: number;
  depth: number;
}

/** A bracket still open: `(`, `[`, `{`, a template's `${`, or a template's text. */
export interface Open {
  ch: "(" | "[" | "{" | "${" | "`";
  /** Where it opened. */
  start: number;
  /** The token before it (for `(`: the `if` of `if (`). */
  before?: Token;
}

/** What {@link lex} found. */
export interface Lexed {
  tokens: Token[];
  /** Open brackets, innermost last (a `` ` `` on top: the input ends in a template's text). */
  open: Open[];
  /** The input ends inside a block comment, or inside a quoted string (`continued`: after a `\`, which continues it). */
  endsIn?: "block-comment" | "string";
  continued?: boolean;
  /** Why the input cannot be TypeScript, whatever follows it (a closing bracket that matches none, ...). */
  invalid?: string;
  /** The last bracket closed (`(`, `[` or `{`), where its closing token ends, and the token before it opened. */
  closed?: { ch: "(" | "[" | "{"; end: number; before?: Token };
}

/** Punctuators, longest first within each leading character (longest match wins). */
const PUNCTUATORS = [
  ">>>=",
  "...",
  "===",
  "!==",
  "**=",
  "<<=",
  ">>=",
  ">>>",
  "&&=",
  "||=",
  "??=",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**",
  "<<",
  ">>",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ";",
  ",",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "!",
  "~",
  "?",
  ":",
  "=",
  ".",
  "@",
];
const NAME = /[A-Za-z_$\u0080-\uffff#]|\\u/y;
const NAME_REST = /(?:[\w$\u0080-\uffff]|\\u(?:[\da-fA-F]{4}|\{[\da-fA-F]+\}))*/y;
const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)n?/y;

/** Keywords after which an operand starts, so a `/` there begins a regular expression. */
const OPERAND_KEYWORDS = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

/** Whether a `/` after `tokens` starts a regular expression (else it divides: after an operand, or `x!`). */
function regexMayStart(tokens: Token[]): boolean {
  const prev = tokens[tokens.length - 1];
  if (!prev) return true;
  if (prev.kind === "name") return OPERAND_KEYWORDS.has(prev.text);
  if (prev.kind !== "punct") return false;
  if (prev.text === "!") return !endsOperand(tokens[tokens.length - 2]);
  return ![")", "]", "++", "--"].includes(prev.text);
}

/** Whether `t` can end an operand (a name, literal, `)` or `]`), so a `!` after it asserts non-null. */
export function endsOperand(t: Token | undefined): boolean {
  return t !== undefined && (t.kind !== "punct" || t.text === ")" || t.text === "]");
}

/**
 * Tokens of `code` and the state it ends in.
 *
 * @example
 * lex("f(`a${1}`").open // [{ ch: "(", start: 1, before: { kind: "name", text: "f", ... } }]
 */
export function lex(code: string): Lexed {
  const tokens: Token[] = [];
  const open: Open[] = [];
  const out: Lexed = { tokens, open };
  const push = (kind: Token["kind"], start: number, end: number): Token => {
    const t: Token = { kind, text: code.slice(start, end), start, depth: open.length };
    tokens.push(t);
    return t;
  };
  let i = 0;
  while (i < code.length) {
    const top = open[open.length - 1];
    if (top?.ch === "`") {
      // Template text: up to its closing backtick or the next `${`.
      const c = code[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        open.pop();
        push("template", top.start, ++i);
      } else if (c === "$" && code[i + 1] === "{") {
        open.push({ ch: "${", start: i });
        i += 2;
      } else i++;
      continue;
    }
    const c = code[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    if (c === "/" && code[i + 1] === "/") {
      while (i < code.length && code[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      if (end < 0) return { ...out, endsIn: "block-comment" };
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i++;
      for (;;) {
        if (i >= code.length) return { ...out, endsIn: "string", continued: escapedAtEnd(code, start) };
        const d = code[i]!;
        if (d === "\\") i += code[i + 1] === "\r" && code[i + 2] === "\n" ? 3 : 2;
        else if (d === "\n") return { ...out, invalid: `unterminated string at ${start}` };
        else if (d === c) break;
        else i++;
      }
      push("string", start, ++i);
      continue;
    }
    if (c === "`") {
      open.push({ ch: "`", start: i++ });
      continue;
    }
    if (c === "/" && regexMayStart(tokens)) {
      const start = i++;
      let inClass = false;
      for (;;) {
        const d = code[i];
        if (d === undefined || d === "\n") return { ...out, invalid: `unterminated regular expression at ${start}` };
        if (d === "\\") i += 2;
        else if (d === "[") {
          inClass = true;
          i++;
        } else if (d === "]") {
          inClass = false;
          i++;
        } else if (d === "/" && !inClass) break;
        else i++;
      }
      i++;
      while (i < code.length && /[a-z]/i.test(code[i]!)) i++;
      push("regex", start, i);
      continue;
    }
    NAME.lastIndex = i;
    if (NAME.test(code)) {
      // (A name may start with a unicode escape; a `\` that starts none is no TypeScript.)
      NAME_REST.lastIndex = c === "\\" ? i : i + 1;
      NAME_REST.test(code);
      if (NAME_REST.lastIndex === i) return { ...out, invalid: `stray \\ at ${i}` };
      push("name", i, NAME_REST.lastIndex);
      i = NAME_REST.lastIndex;
      continue;
    }
    NUMBER.lastIndex = i;
    if (/[\d.]/.test(c) && NUMBER.test(code) && NUMBER.lastIndex > i + (c === "." ? 1 : 0)) {
      push("number", i, NUMBER.lastIndex);
      i = NUMBER.lastIndex;
      continue;
    }
    const p = PUNCTUATORS.find((q) => code.startsWith(q, i));
    if (!p) return { ...out, invalid: `unexpected character ${JSON.stringify(c)} at ${i}` };
    if (p === "(" || p === "[" || p === "{") {
      push("punct", i, i + 1);
      open.push({ ch: p, start: i, before: prev });
    } else if (p === ")" || p === "]" || p === "}") {
      const want = p === ")" ? "(" : p === "]" ? "[" : top?.ch === "${" ? "${" : "{";
      if (top?.ch !== want) return { ...out, invalid: `${p} at ${i} closes nothing open` };
      open.pop();
      // The `}` of a `${` is the template's, not a token of its own.
      if (want !== "${") push("punct", i, i + 1);
      if (want !== "${") out.closed = { ch: want, end: i + 1, before: top.before };
    } else push("punct", i, i + p.length);
    i += p.length;
  }
  return out;
}

/** Whether the string started at `start` ends the input with an escaping `\` (an odd run of them). */
function escapedAtEnd(code: string, start: number): boolean {
  let n = 0;
  for (let k = code.length - 1; k > start && code[k] === "\\"; k--) n++;
  return n % 2 === 1;
}
