/**
 * @file One cell: its code segments run in the executor, its magics (`%name`, `%%name`,
 * `%name?`) through the registry; the value of its last segment is the cell's result.
 */
import { parseCell, MagicUsageError } from "../magics/parse.js";
import type { loadMagicModules, MagicContext, MagicRegistry } from "../magics/registry.js";
import type { MimeBundle } from "../../src/display/mime.js";
import { toBundle, type DisplayApi } from "./display.js";
import { CellError } from "./errors.js";
import { tr } from "../../src/i18n/index.js";
import type { Executor } from "./executor.js";

/** What a cell runs with. */
export interface CellEnv {
  executor: Executor;
  display: DisplayApi;
  /** The magics registry (loaded on first use). */
  magics(): ReturnType<typeof loadMagicModules>;
}

/** The execute_reply payload (pager pages for `%name?`) and the cell's value to show. */
export interface CellOutcome {
  payload: Record<string, unknown>[];
  result?: { data: MimeBundle; metadata: Record<string, unknown> };
}

/**
 * Runs a cell (`count`: its execution count; `silent`: show no value). Errors are
 * {@link CellError}s: type and runtime errors, usage errors of magics, interrupts.
 *
 * @example
 * await executeCell(env, "const x = 2;\nx", 1, false) // { payload: [], result: { data: { "text/plain": "2" }, metadata: {} } }
 */
export async function executeCell(env: CellEnv, code: string, count: number, silent: boolean): Promise<CellOutcome> {
  const { executor } = env;
  const payload: Record<string, unknown>[] = [];
  let result: CellOutcome["result"];
  const segments = parseCell(code);
  const needsMagics = segments.some((s) => s.type !== "code");
  const registry = needsMagics ? (await env.magics()).registry : undefined;
  for (const [i, seg] of segments.entries()) {
    if (seg.type === "code") {
      const r = await executor.run(seg.code, `cell[${count}]`, seg.line);
      if (i === segments.length - 1 && !silent && r.hasValue && r.value !== undefined) result = { data: toBundle(r.value), metadata: {} };
      continue;
    }
    const magic = registry!.get(seg.name, seg.mode);
    if (!magic) throw usageError(registry!.unknownMessage(seg.name, seg.mode));
    if (seg.type === "help") {
      // As IPython does for `?`: a pager payload (front ends show it in their help pager).
      payload.push({ source: "page", data: { "text/plain": registry!.helpText(magic) }, start: 0 });
      continue;
    }
    try {
      executor.beforeLongWork();
      const out = await magic.run({ name: seg.name, mode: seg.mode, args: seg.args, body: seg.body }, magicContext(env, registry!, count));
      if (i === segments.length - 1 && !silent && out && out.value !== undefined) result = { data: toBundle(out.value), metadata: {} };
    } catch (e) {
      if (e instanceof MagicUsageError) throw usageError(registry!.usageMessage(magic, e, seg.mode));
      if (e instanceof CellError) throw e;
      if (executor.signal.aborted) throw executor.interruptedError();
      const err = e instanceof Error ? e : new Error(String(e));
      throw new CellError({
        ename: err.name,
        evalue: err.message,
        traceback: [`${err.name}: ${err.message} (${tr("in %{magic}, cell line {line}", { magic: magic.name, line: seg.line + 1 })})`],
      });
    }
  }
  return { payload, result };
}

/** What a magic of cell `count` may do. */
function magicContext(env: CellEnv, registry: MagicRegistry, count: number): MagicContext {
  const { executor, display } = env;
  return {
    evaluate: async (code) => (await executor.run(code, `magic[${count}]`, 0)).value,
    runCell: async (code) => {
      const r = await executor.run(code, `cell[${count}]`, 0);
      if (r.hasValue && r.value !== undefined) display(r.value);
    },
    display: (v) => display(v),
    displayBundle: (b, opts) => display.bundle(b, opts),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    interruptible: (fn) => executor.interruptible(fn),
    scope: () => executor.userScope(),
    registry,
    cwd: executor.cwd,
    signal: executor.signal,
  };
}

function usageError(line: string): CellError {
  return new CellError({ ename: "UsageError", evalue: line.replace(/^UsageError: /, ""), traceback: [line] });
}
