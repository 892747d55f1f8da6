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

/**
 * Error content for a runtime exception thrown by the cell script `scriptName`, whose emitted
 * JavaScript is `js` and TypeScript source `ts` (starting at cell line `lineOffset`). With the
 * output's source map (`map.mappings`; `map.shift`: characters the executor put before the
 * output on its first line) each frame gets its exact line; without it, the line whose tokens
 * match best ({@link mapJsLine}). Frames inside the gradlab library are folded into one line
 * per run, as JAX filters its internal frames (`GRADLAB_TRACEBACK_FILTERING=off` shows them).
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
  const jsLines = js.split("\n");
  const tsLines = ts.split("\n");
  const evalue = err.message + outOfMemoryHint(err);
  const traceback = [`${err.name}: ${evalue}`];
  const escaped = scriptName.replace(/[[\]]/g, "\\$&");
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`);
  const library = `${REPO_ROOT}/dist/src/`;
  const filtering = process.env.GRADLAB_TRACEBACK_FILTERING !== "off";
  let folded = 0;
  const fold = () => {
    if (folded > 0) traceback.push(`    (${trn("{n} frame inside gradlab", "{n} frames inside gradlab", folded)})`);
    folded = 0;
  };
  for (const line of (err.stack ?? "").split("\n").slice(1)) {
    const m = frame.exec(line);
    if (!m) {
      if (!/^\s+at /.test(line) || /[( ]node:|runInThisContext|kernel\/exec\//.test(line)) continue;
      if (filtering && line.includes(library)) folded++;
      else {
        fold();
        traceback.push(line);
      }
      continue;
    }
    fold();
    const jsLine = Number(m[1]) - 1;
    const column = Number(m[2]) - 1 - (jsLine === 0 && map ? map.shift : 0);
    const mapped = map ? sourceLine(map.mappings, jsLine, column) : undefined;
    const tsLine = mapped !== undefined && mapped < tsLines.length ? mapped : mapJsLine(jsLines[jsLine] ?? "", tsLines);
    const fn = /^\s+at ([^\s(]+) \(/.exec(line)?.[1];
    if (tsLine !== undefined)
      traceback.push(
        `    at ${fn && !fn.startsWith("eval") ? fn + ", " : ""}${tr("cell line {line}", { line: tsLine + 1 + lineOffset })}: ${tsLines[tsLine]!.trim()}`,
      );
  }
  fold();
  return { ename: err.name, evalue, traceback };
}

/**
 * What to add to the message of an allocation that failed because the executor reached its
 * memory limit (RLIMIT_DATA, set by the kernel: see kernel/exec/limits.ts).
 */
export function outOfMemoryHint(err: Error, budget = Number(process.env.GRADLAB_MEMORY_LIMIT_BYTES)): string {
  if (!(err instanceof RangeError) || !/Array buffer allocation failed/.test(err.message)) return "";
  const limit = budget > 0 ? tr(" of {gb} GB", { gb: (budget / 2 ** 30).toFixed(1) }) : "";
  return tr(
    " (out of memory: the executor reached its limit{limit}, which GRADLAB_MEMORY_LIMIT sets; your variables are kept: drop large tensors you no longer need)",
    { limit },
  );
}
