/** @file Turn TypeScript diagnostics and runtime exceptions into Jupyter error content with cell lines. */
import { REPO_ROOT, type Diagnostic } from "./compiler/index.js";
import { sourceLine } from "./source-map.js";
import type { ErrorContent } from "./ipc.js";
import { tr, trn } from "../../src/i18n/index.js";

/** An error already formatted for Jupyter (type errors, usage errors, interrupts). */
export class CellError extends Error {
  constructor(readonly content: ErrorContent) {
    super(content.evalue);
  }
}

/**
 * Error content for TypeScript diagnostics; `lineOffset` shifts lines to the whole cell.
 *
 * @example
 * diagnosticsError([{ start: { line: 0, character: 6 }, messageText: "Type 'string' ...", code: 2322 }], 0)
 * // { ename: "TSError", evalue: "line 1:7 - Type 'string' ... (TS2322)", traceback: [...] }
 */
export function diagnosticsError(diags: Diagnostic[], lineOffset: number): ErrorContent {
  const lines = diags.map((d) => {
    const at = tr("line {line}:{column}", { line: d.start.line + 1 + (d.fileName ? 0 : lineOffset), column: d.start.character + 1 });
    const where = `${d.fileName ? d.fileName + " " : ""}${at}`;
    return `${where} - ${d.messageText} (TS${d.code})`;
  });
  return { ename: "TSError", evalue: lines.join("\n"), traceback: [`TSError: ${tr("TypeScript compilation failed")}`, ...lines] };
}

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"[^"]*"|'[^']*'|`[^`]*`/g;

/**
 * The zero-based line of `tsLines` that best matches a line of the emitted JavaScript (highest
 * Jaccard similarity of their token sets, earliest on ties). tslab emits no source maps;
 * emitted statements keep their tokens, so this finds the source line of a runtime error.
 *
 * @example
 * mapJsLine('    throw new Error("boom");', ["const a = 1;", 'throw new Error("boom");']) // 1
 */
export function mapJsLine(jsLine: string, tsLines: string[]): number | undefined {
  const tokens = (s: string) => new Set((s.match(TOKEN) ?? []).map((t) => t.replace(/^'(.*)'$/, '"$1"')));
  const want = tokens(jsLine.replace(/\bexports\./g, ""));
  if (want.size === 0) return undefined;
  let best: number | undefined;
  let bestScore = 0;
  tsLines.forEach((line, i) => {
    const have = tokens(line);
    let shared = 0;
    for (const t of want) if (have.has(t)) shared++;
    const score = shared / (want.size + have.size - shared);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/** A script the executor ran for a cell or a magic: what maps its frames to cell lines. */
export interface CellScript {
  /** The JavaScript run, as wrapped by the executor. */
  js: string;
  /** The TypeScript it came from, and the cell line it starts at. */
  ts: string;
  lineOffset: number;
  /** The output's source map (`mappings`), and the characters put before the output on its first line. */
  map?: { mappings: string; shift: number };
}

/** Every script run so far, by name (`cell[3]`, `magic[3]`): a function an earlier cell declared may raise in a later one. */
const scripts = new Map<string, CellScript>();

/** Records a script the executor is about to run (a later script of the same name replaces it). */
export function registerCellScript(name: string, script: CellScript): void {
  scripts.set(name, script);
}

/**
 * The zero-based line of a script's TypeScript that generated (1-based) `line`:`column` of its
 * JavaScript: through the source map, else the line whose tokens match best.
 */
function scriptLine(s: CellScript, line: number, column: number): number | undefined {
  const jsLine = line - 1;
  const col = column - 1 - (jsLine === 0 && s.map ? s.map.shift : 0);
  const tsLines = s.ts.split("\n");
  const mapped = s.map ? sourceLine(s.map.mappings, jsLine, col) : undefined;
  return mapped !== undefined && mapped < tsLines.length ? mapped : mapJsLine(s.js.split("\n")[jsLine] ?? "", tsLines);
}

/**
 * The cell line (1-based, in the whole cell) of a frame in script `name`, or undefined when the
 * script or its line is unknown (published for the homework checker: see executor.ts).
 */
export function cellLineOf(name: string, line: number, column: number): number | undefined {
  const s = scripts.get(name);
  const l = s && scriptLine(s, line, column);
  return s && l !== undefined ? l + 1 + s.lineOffset : undefined;
}

/** A frame in a cell's or a magic's script: `cell[3]:5:12`. */
const CELL_FRAME = /((?:cell|magic)\[(\d+)\]):(\d+):(\d+)/;

/** The frame of the indirect eval a bundled host runs a script with. */
const EVAL_FRAME = /^\s+at eval \(<anonymous>\)$/;

/**
 * The file holding the engine and the library as one bundle, where a host runs them so (the
 * browser's worker and Node's executor started from its bundle, kernel/node/executor-bundle.ts, by
 * its URL); unset where the modules are files of their own, whose frames tell the two apart by
 * their paths.
 * A bundle's frames below a stack's outermost cell frame are the engine's, which ran the script,
 * and go as Node's kernel frames do; its frames above it are the library's, and are folded.
 */
let bundle: string | undefined;

/** Says where the host's bundle of the engine and the library lies (see {@link userFrames}). */
export function setEngineBundle(url: string | undefined): void {
  bundle = url;
}

/**
 * A stack's frames for the user: each frame in a cell's script becomes its cell line (`at f, cell
 * line 2: f();` in the script that raised, `at f, In [1], line 5: ...` in an earlier cell's);
 * frames of Node and of the kernel go (of a bundled host: {@link setEngineBundle}), and frames
 * inside the gradlab library are folded into one line per run, as JAX filters its internal
 * frames (`GRADLAB_TRACEBACK_FILTERING=off` shows them).
 */
export function userFrames(stack: string, current?: { name: string; script: CellScript }): string[] {
  const out: string[] = [];
  const library = `${REPO_ROOT}/dist/src/`;
  const kernel = `${REPO_ROOT}/dist/kernel/`;
  const filtering = process.env.GRADLAB_TRACEBACK_FILTERING !== "off";
  let folded = 0;
  const fold = () => {
    if (folded > 0) out.push(`    (${trn("{n} frame inside gradlab", "{n} frames inside gradlab", folded)})`);
    folded = 0;
  };
  const lines = stack.split("\n").slice(1);
  let outermost = -1;
  for (let i = 0; i < lines.length; i++) if (CELL_FRAME.test(lines[i]!)) outermost = i;
  for (const [i, line] of lines.entries()) {
    if (!/^\s+at /.test(line)) continue;
    const m = CELL_FRAME.exec(line);
    if (!m) {
      const bundled = bundle !== undefined && (line.includes(bundle) || EVAL_FRAME.test(line));
      if (!bundled && (/[( ]node:|runInThisContext|kernel\/exec\//.test(line) || line.includes(kernel))) continue;
      if (bundled && i > outermost) continue;
      if (filtering && (line.includes(library) || bundled)) folded++;
      else {
        fold();
        out.push(line);
      }
      continue;
    }
    fold();
    const s = m[1] === current?.name ? current.script : scripts.get(m[1]!);
    const tsLine = s && scriptLine(s, Number(m[3]), Number(m[4]));
    if (!s || tsLine === undefined) continue;
    // A notebook function is called as a property of the notebook's scope object: V8 names the frame
    // `Object.f`. One Node's timers call is a property of their Timeout (Immediate) object:
    // `Timeout.f [as _onTimeout]`, or `Timeout._onTimeout` when it has no name of its own.
    const fn = /^\s+at (?:async )?([^\s(]+)(?: \[as [^\]]+\])? \(/.exec(line)?.[1]?.replace(/^(?:Object|Timeout|Immediate)\./, "");
    const anonymous = !fn || fn.startsWith("eval") || fn === "<anonymous>" || fn === "_onTimeout" || fn === "_onImmediate";
    const name = anonymous ? "" : fn + ", ";
    const cellLine = tsLine + 1 + s.lineOffset;
    const where =
      m[1] === current?.name
        ? tr("cell line {line}", { line: cellLine })
        : tr("In [{count}], line {line}", { count: m[2]!, line: cellLine });
    out.push(`    at ${name}${where}: ${s.ts.split("\n")[tsLine]!.trim()}`);
  }
  fold();
  return out;
}

/**
 * Error content for a runtime exception thrown by the cell script `scriptName`, whose emitted
 * JavaScript is `js` and TypeScript source `ts` (starting at cell line `lineOffset`). With the
 * output's source map (`map.mappings`; `map.shift`: characters the executor put before the
 * output on its first line) each frame gets its exact line; without it, the line whose tokens
 * match best ({@link mapJsLine}). Frames in earlier cells' scripts get theirs too
 * ({@link userFrames}).
 *
 * @example
 * runtimeError(new Error("boom"), "cell[3]", js, ts, 0).traceback[1] // "    at cell line 2: throw new Error("boom");"
 */
export function runtimeError(
  err: unknown,
  scriptName: string,
  js: string,
  ts: string,
  lineOffset: number,
  map?: { mappings: string; shift: number },
): ErrorContent {
  if (!(err instanceof Error)) {
    return {
      ename: "Error",
      evalue: `Uncaught ${typeof err === "string" ? JSON.stringify(err) : String(err)}`,
      traceback: [`Uncaught ${String(err)}`],
    };
  }
  const evalue = err.message + outOfMemoryHint(err);
  const current = { name: scriptName, script: { js, ts, lineOffset, map } };
  return { ename: err.name, evalue, traceback: [`${err.name}: ${evalue}`, ...userFrames(err.stack ?? "", current)] };
}

/**
 * An error raised outside any cell (a timer, a promise nobody awaited), as the user reads it:
 * its first line, then its frames in cell lines ({@link userFrames}).
 */
export function uncaughtText(reason: unknown): string {
  if (!(reason instanceof Error)) return String(reason);
  const head = `${reason.name}: ${reason.message}`;
  return [head, ...userFrames(reason.stack ?? "")].join("\n");
}

/**
 * The stderr line a host writes, on the request running or run last, for an error raised outside
 * any cell: thrown by a timer's callback (`exception`) or a rejected promise nobody handles (`rejection`).
 *
 * @example
 * uncaughtReport("exception", new Error("late")) // "Uncaught Error: late\n    at late, In [3], line 2: ...\n"
 */
export function uncaughtReport(kind: "exception" | "rejection", reason: unknown): string {
  return `${kind === "exception" ? "Uncaught" : "Unhandled promise rejection:"} ${uncaughtText(reason)}\n`;
}

/**
 * What to add to the message of an allocation that failed because the executor reached its
 * memory limit (RLIMIT_DATA, set by the kernel: see kernel/node/limits.ts).
 */
export function outOfMemoryHint(err: Error, budget = Number(process.env.GRADLAB_MEMORY_LIMIT_BYTES)): string {
  if (!(err instanceof RangeError) || !/Array buffer allocation failed/.test(err.message)) return "";
  const limit = budget > 0 ? tr(" of {gb} GB", { gb: (budget / 2 ** 30).toFixed(1) }) : "";
  return tr(
    " (out of memory: the executor reached its limit{limit}, which GRADLAB_MEMORY_LIMIT sets; your variables are kept: drop large tensors you no longer need)",
    { limit },
  );
}

/** The error a cell gets for trying to end the kernel's processes. */
export class SystemExit extends Error {
  override name = "SystemExit";
}

/**
 * What a cell's call of `what` (`process.exit(1)`) throws, in every host: the kernel carries on.
 *
 * @example
 * throw systemExit("process.exit(1)")
 */
export function systemExit(what: string): SystemExit {
  return new SystemExit(
    tr(
      "{what} was called: the kernel keeps running and your variables are kept (to stop the kernel, shut it down or restart it from the notebook)",
      { what },
    ),
  );
}
