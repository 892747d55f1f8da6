/**
 * @file Shared argument handling of the autodiff magics (%graph, %backprop, %forward, %gradcheck,
 * %plot): trailing `--flag value` pairs, splitting `f(x, w, b)` into callee and arguments, and
 * turning library errors into one-line usage errors. No default export: not a magic itself.
 */
import { errorParts } from "../../src/index.js";
import { MagicUsageError, parseFlags, scanArgs, setFlag, unbalancedError, type FlagSpec, type ParsedArgs } from "./parse.js";
import { tr } from "../../src/i18n/index.js";

/** The library's ops that the autodiff magics call for the user (their errors are the magic's usage errors). */
const MAGIC_OPS = new Set(["traceGraph", "backwardGraph", "graph", "backprop", "forward", "forwardTable", "gradcheck"]);

/**
 * Flags may come before or after the expression (`%graph f(x) --rankdir TB`); trailing ones
 * must start with `--`. A trailing flag's value runs to the next top-level `--name` or the end,
 * so it may hold blanks when it is a balanced expression (`--cotangent tensor([1, 0])`,
 * `--analytic (x) => mul(2, x)`); an unbalanced value is a usage error naming its flag.
 * Returns the flags and the expression between them.
 *
 * @example
 * flagsAnywhere("f(x) --rankdir TB", { rankdir: ["LR", "TB"] }); // { flags: { rankdir: "TB" }, rest: "f(x)" }
 */
export function flagsAnywhere(args: string, spec: Record<string, FlagSpec>): ParsedArgs {
  const { flags, rest } = parseFlags(args, spec);
  const scan = scanArgs(rest);
  const starts = scan.flagStarts;
  if (scan.unbalanced) {
    const owner = starts.filter((i) => i < scan.unbalanced!.at).pop();
    if (owner !== undefined) throw unbalancedError(/^--[\w-]+/.exec(rest.slice(owner))![0], scan.unbalanced);
  }
  starts.forEach((start, k) => {
    const text = rest.slice(start, starts[k + 1] ?? rest.length).trimEnd();
    const m = /^--([A-Za-z][\w-]*)(=?)/.exec(text)!;
    const kind = spec[m[1]];
    if (kind === undefined) throw new MagicUsageError(tr("unknown flag {flag}", { flag: `--${m[1]}` }));
    const value = text.slice(m[0].length).trim();
    setFlag(flags, `--${m[1]}`, kind, m[2] || value !== "" ? value : undefined);
  });
  return { flags, rest: rest.slice(0, starts[0] ?? rest.length).trim() };
}

/** Index of the bracket closing the one at `open` (tracking (), [], {} and string quotes), or -1. */
function closing(src: string, open: number): number {
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const stack: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === "\\") i++;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === ")" || c === "]" || c === "}") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Split comma-separated text at depth 0. */
function splitTop(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === "\\") i++;
    } else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      out.push(src.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = src.slice(start).trim();
  if (last || out.length) out.push(last);
  return out;
}

/** A call `callee(arg, ...)` split into its parts (texts, not evaluated). */
export interface CallText {
  callee: string;
  args: string[];
}

/**
 * Split `f(x, w, b)` into `{ callee: "f", args: ["x", "w", "b"] }`; the callee may be any
 * expression (`model.loss`), the arguments any expressions.
 *
 * @example
 * splitCall("loss(tensor([1, 2]), w, 0.5)"); // { callee: "loss", args: ["tensor([1, 2])", "w", "0.5"] }
 */
export function splitCall(expr: string): CallText {
  const s = expr.trim();
  if (!s.endsWith(")")) throw new MagicUsageError(tr('expected a call such as f(x, w, b), got "{text}"', { text: s }));
  // The argument list is the last top-level (...) group: find the "(" whose match is the end.
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "(") continue;
    const j = closing(s, i);
    if (j === s.length - 1 && i > 0) {
      const callee = s.slice(0, i).trim();
      if (callee) return { callee, args: splitTop(s.slice(i + 1, j)) };
    }
    if (j > i) i = j;
  }
  throw new MagicUsageError(tr('expected a call such as f(x, w, b), got "{text}"', { text: s }));
}

/**
 * Split `f x-expression` (as in `%gradcheck f x`): the first top-level token is the function.
 *
 * @example
 * splitFirst("loss [1, 2, 3]"); // ["loss", "[1, 2, 3]"]
 */
export function splitFirst(expr: string): [string, string] {
  const s = expr.trim();
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (/\s/.test(c) && depth === 0) return [s.slice(0, i), s.slice(i + 1).trim()];
  }
  return [s, ""];
}

/**
 * Run a library call; its errors become usage errors without the repeated prefix
 * (`backprop: expected ...` -> `expected ...`), so the user sees one line naming the magic.
 *
 * @example
 * await asUsage("backprop", () => backprop(f, x));
 */
export async function asUsage<T>(name: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof MagicUsageError) throw e;
    // the library names the failing op in a field: the magic's own ops are the magic itself, so
    // only their detail is shown; any other error (a library op inside the user's f) in full
    const parts = errorParts(e);
    const own = parts !== undefined && (parts.op === name || MAGIC_OPS.has(parts.op) || parts.op.startsWith("plot"));
    const msg = own ? parts.detail : e instanceof Error ? e.message : String(e);
    throw new MagicUsageError(msg.split("\n")[0]);
  }
}
