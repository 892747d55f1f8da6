/**
 * @file Pure parsing of notebook cells into TypeScript and magic segments, plus magic flag parsing.
 *
 * A line whose first non-blank characters are `%name` is a line magic; a cell whose first
 * non-blank line starts with `%%name` is a cell magic (the rest of the cell is its body).
 * `%` cannot start a TypeScript statement, so this never clashes with code, except a
 * continuation line such as `x\n%y` (modulo by a bare identifier on a new line), which
 * gradlab reads as a magic: write `x % y` on one line. Lines inside template literals and
 * block comments are never magics (a tiny lexer tracks them).
 */
import { tr } from "../../src/i18n/index.js";

/** One piece of a cell, in source order. `line` is the zero-based line where it starts. */
export type Segment =
  | { type: "code"; code: string; line: number }
  | { type: "magic"; mode: "line" | "cell"; name: string; args: string; body: string; line: number }
  | { type: "help"; mode: "line" | "cell"; name: string; line: number };

/** Thrown for bad magic input; the registry turns it into `UsageError: %name: <message>` + usage. */
export class MagicUsageError extends Error {
  override name = "UsageError";
}

const MAGIC_LINE = /^\s*(%%?)([A-Za-z_][\w-]*)(\?{1,2})?(?:\s+(.*))?$/;
const MAGIC_START = /^\s*%%?[A-Za-z_]/;

/**
 * For every line of `src`, whether it starts inside a template literal or block comment
 * (so a leading `%` there is text, not a magic).
 *
 * @example
 * linesInsideLiterals("const s = `a\n%b`;\n%who") // [false, true, false]
 */
export function linesInsideLiterals(src: string): boolean[] {
  const out: boolean[] = [false];
  // Stack of open contexts: "`" template text, "{" code inside `${ }` or a plain brace.
  const stack: string[] = [];
  let inBlockComment = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const top = stack[stack.length - 1];
    if (c === "\n") {
      out.push(inBlockComment || top === "`");
      continue;
    }
    if (inBlockComment) {
      if (c === "*" && src[i + 1] === "/") {
        inBlockComment = false;
        i++;
      }
      continue;
    }
    if (top === "`") {
      if (c === "\\") i++;
      else if (c === "`") stack.pop();
      else if (c === "$" && src[i + 1] === "{") {
        stack.push("${");
        i++;
      }
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i + 1 < src.length && src[i + 1] !== "\n") i++;
    } else if (c === "/" && src[i + 1] === "*") {
      inBlockComment = true;
      i++;
    } else if (c === "'" || c === '"') {
      // Quoted strings end at the line end (unterminated ones are a syntax error anyway).
      for (i++; i < src.length && src[i] !== c && src[i] !== "\n"; i++) if (src[i] === "\\") i++;
      if (src[i] === "\n") i--;
    } else if (c === "`") {
      stack.push("`");
    } else if (c === "{") {
      stack.push("{");
    } else if (c === "}") {
      if (top === "{" || top === "${") stack.pop();
    }
  }
  return out;
}

/**
 * Split a cell into code and magic segments, in order.
 *
 * @example
 * parseCell("let x = 1;\n%timeit x + 1\nx")
 * // [{type:"code", code:"let x = 1;", line:0}, {type:"magic", mode:"line", name:"timeit", args:"x + 1", ...},
 * //  {type:"code", code:"x", line:2}]
 */
export function parseCell(src: string): Segment[] {
  const lines = src.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first >= 0 && /^\s*%%/.test(lines[first])) {
    const m = MAGIC_LINE.exec(lines[first]);
    if (m && m[1] === "%%") {
      const name = m[2];
      if (m[3]) return [{ type: "help", mode: "cell", name, line: first }];
      return [{ type: "magic", mode: "cell", name, args: (m[4] ?? "").trim(), body: lines.slice(first + 1).join("\n"), line: first }];
    }
  }
  const inside = linesInsideLiterals(src);
  const segments: Segment[] = [];
  let code: string[] = [];
  let codeStart = 0;
  const flush = (next: number): void => {
    if (code.some((l) => l.trim() !== "")) segments.push({ type: "code", code: code.join("\n"), line: codeStart });
    code = [];
    codeStart = next;
  };
  lines.forEach((text, i) => {
    const m = !inside[i] && MAGIC_START.test(text) ? MAGIC_LINE.exec(text) : null;
    if (!m) {
      if (code.length === 0) codeStart = i;
      code.push(text);
      return;
    }
    flush(i + 1);
    const mode = m[1] === "%%" ? "cell" : "line";
    if (m[3]) segments.push({ type: "help", mode, name: m[2], line: i });
    else segments.push({ type: "magic", mode, name: m[2], args: (m[4] ?? "").trim(), body: "", line: i });
  });
  flush(lines.length);
  return segments;
}

/** How a flag's value is read: a number, a string, one of a fixed list, or a boolean switch. */
export type FlagSpec = "number" | "string" | "boolean" | readonly string[];

/** Parsed flags and the text after them. */
export interface ParsedArgs {
  flags: Record<string, string | number | boolean>;
  /** Everything after the flags, verbatim (e.g. the expression of `%timeit -n 10 f(x)`). */
  rest: string;
}

/** Where magic argument text stops being a balanced expression. */
export interface Unbalanced {
  /** Index of the offending character. */
  at: number;
  /** An opening bracket never closed, a closing one that closes nothing, or a string never closed. */
  kind: "open" | "close" | "string";
  char: string;
}

/** What {@link scanArgs} found: where it stopped, the top-level `--name` flags, the first imbalance. */
export interface ArgScan {
  /** Where the scan ended: `src.length`, or the first top-level blank when asked to stop there. */
  end: number;
  /** Start indices of top-level `--name` flags (after a blank, followed by a blank, `=` or the end). */
  flagStarts: number[];
  unbalanced?: Unbalanced;
}

const FLAG_AT = /^--[A-Za-z][\w-]*(?=[\s=]|$)/;

/**
 * Scan magic argument text as a sequence of expressions: brackets `()[]{}`, quoted strings and
 * template literals (with `${...}`) nest; a `--name` flag counts only at the top level, so
 * `tensor([1, 0])` or `(x) => mul(2, x)` is one value. With `stopAtBlank`, the scan ends at the
 * first top-level blank (one balanced token).
 *
 * @example
 * scanArgs("f(a, b) --cotangent tensor([1, 0])").flagStarts // [8]
 */
export function scanArgs(src: string, stopAtBlank = false): ArgScan {
  const flagStarts: number[] = [];
  // Open contexts: a bracket awaiting its closer, or "`" template text.
  const stack: { close: string; at: number; char: string }[] = [];
  const closers: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const top = stack[stack.length - 1];
    if (top?.close === "`") {
      if (c === "\\") i++;
      else if (c === "`") stack.pop();
      else if (c === "$" && src[i + 1] === "{") {
        stack.push({ close: "}", at: i + 1, char: "${" });
        i++;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < src.length && src[j] !== c; j++) if (src[j] === "\\") j++;
      if (j >= src.length) return { end: src.length, flagStarts, unbalanced: { at: i, kind: "string", char: c } };
      i = j;
    } else if (c === "`") {
      stack.push({ close: "`", at: i, char: "`" });
    } else if (closers[c]) {
      stack.push({ close: closers[c], at: i, char: c });
    } else if (c === ")" || c === "]" || c === "}") {
      if (top?.close !== c) return { end: src.length, flagStarts, unbalanced: { at: i, kind: "close", char: c } };
      stack.pop();
    } else if (stack.length === 0) {
      if (stopAtBlank && /\s/.test(c)) return { end: i, flagStarts };
      if (c === "-" && (i === 0 || /\s/.test(src[i - 1]))) {
        const m = FLAG_AT.exec(src.slice(i));
        if (m) {
          flagStarts.push(i);
          i += m[0].length - 1;
        }
      }
    }
  }
  const open = stack[0];
  if (open)
    return { end: src.length, flagStarts, unbalanced: { at: open.at, kind: open.char === "`" ? "string" : "open", char: open.char } };
  return { end: src.length, flagStarts };
}

/** The usage error for a flag whose value is not a balanced expression. */
export function unbalancedError(flag: string, u: Unbalanced): MagicUsageError {
  if (u.kind === "open")
    return new MagicUsageError(tr('the value of {flag} is not a balanced expression: "{char}" is never closed', { flag, char: u.char }));
  if (u.kind === "close")
    return new MagicUsageError(tr('the value of {flag} is not a balanced expression: "{char}" closes nothing', { flag, char: u.char }));
  return new MagicUsageError(
    tr("the value of {flag} is not a balanced expression: a string ({char}) is never closed", { flag, char: u.char }),
  );
}

/** Check `value` against the flag's spec and store it in `flags`. */
export function setFlag(flags: ParsedArgs["flags"], flag: string, kind: FlagSpec, value: string | undefined): void {
  const name = flag.replace(/^--?/, "");
  if (kind === "boolean") {
    if (value !== undefined) throw new MagicUsageError(tr("flag {flag} takes no value", { flag }));
    flags[name] = true;
    return;
  }
  if (value === undefined || value === "") throw new MagicUsageError(tr("flag {flag} needs a value", { flag }));
  if (kind === "number") {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new MagicUsageError(tr('flag {flag} expects a number, got "{value}"', { flag, value }));
    flags[name] = n;
  } else if (Array.isArray(kind)) {
    if (!kind.includes(value))
      throw new MagicUsageError(tr('flag {flag} expects one of {choices}, got "{value}"', { flag, choices: kind.join("|"), value }));
    flags[name] = value;
  } else {
    flags[name] = value;
  }
}

/**
 * Parse leading flags (`-n 10`, `--rankdir=LR`, `--fast`) of a magic's argument string; flag
 * parsing stops at the first token that is not a known flag form, or after `--`. A value is one
 * balanced token: blanks inside brackets, strings or templates belong to it (`--cotangent
 * tensor([1, 0])`). Throws {@link MagicUsageError} for an unknown flag, a missing, malformed or
 * unbalanced value.
 *
 * @example
 * parseFlags("-n 5 -r 2 f(x)", { n: "number", r: "number" }) // { flags: { n: 5, r: 2 }, rest: "f(x)" }
 */
export function parseFlags(args: string, spec: Record<string, FlagSpec>): ParsedArgs {
  const flags: ParsedArgs["flags"] = {};
  let s = args.trim();
  for (;;) {
    if (/^--(\s|$)/.test(s)) {
      s = s.slice(2).trim();
      break;
    }
    const m = /^(--?)([A-Za-z][\w-]*)(?=[\s=]|$)/.exec(s);
    if (!m) break;
    const flag = m[1] + m[2];
    const kind = spec[m[2]];
    if (kind === undefined) throw new MagicUsageError(tr("unknown flag {flag}", { flag }));
    s = s.slice(m[0].length);
    let value: string | undefined;
    if (s.startsWith("=") || (kind !== "boolean" && s.trim() !== "")) {
      s = s.startsWith("=") ? s.slice(1) : s.trim();
      const tok = scanArgs(s, true);
      if (tok.unbalanced) throw unbalancedError(flag, tok.unbalanced);
      value = s.slice(0, tok.end);
      s = s.slice(tok.end);
    }
    setFlag(flags, flag, kind, value);
    s = s.trim();
  }
  return { flags, rest: s };
}

/**
 * Levenshtein edit distance (for "did you mean" suggestions).
 *
 * @example
 * editDistance("timit", "timeit") // 1
 */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The known name closest to `name`, or undefined when none is reasonably close.
 *
 * @example
 * closestName("whoo", ["who", "whos", "time"]) // "who"
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && k < best)) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}
