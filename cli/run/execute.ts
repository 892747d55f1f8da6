/** @file Executes one notebook's code cells in a kernel session, as nbclient does (stop at the first error unless told otherwise). */
import { ExecuteTimeoutError } from "../client/messages.js";
import type { CellError, DisplayRegistry } from "../client/outputs.js";
import { cellSource, type Notebook } from "../notebook/notebook.js";
import { saveWidgetState, WidgetStates } from "../client/widget-state.js";
import type { KernelSession } from "../client/sessions.js";

/** The outcome of one executed code cell. */
export interface CellRun {
  /** 1-based position of the cell in the notebook (markdown cells count too). */
  cell: number;
  id?: string;
  tags: string[];
  status: "ok" | "error" | "aborted" | "timeout";
  error?: CellError;
}

/** Options of {@link executeNotebook}. */
export interface ExecuteNotebookOptions {
  /** Per-cell timeout in milliseconds (default: none). */
  timeoutMs?: number;
  /** Stop at the first failing cell (nbclient's default, used by `run`); `check` keeps going. */
  stopOnError?: boolean;
  /** Called before each code cell runs: (1-based cell number, number of cells). */
  onCell?: (cell: number, total: number) => void;
  /** Code to send instead of a cell's text, by 0-based cell index (grading wraps checks; the cell keeps its text). */
  code?: ReadonlyMap<number, string>;
  /** Time limit for the whole notebook in milliseconds: cells past it are not run (status "timeout"). */
  notebookTimeoutMs?: number;
}

/** What {@link executeNotebook} returns; the notebook passed in has been filled with outputs. */
export interface NotebookRun {
  runs: CellRun[];
  /** Failing cells that were not allowed to fail (tag `raises-exception` allows it, as in nbclient). */
  failures: CellRun[];
}

/**
 * Runs every non-empty code cell in order, writing outputs and execution counts into `nb`.
 * Cells after a failure are left without outputs when `stopOnError` is set.
 *
 * @example
 * const { failures } = await executeNotebook(nb, session, { stopOnError: true });
 */
export async function executeNotebook(nb: Notebook, session: KernelSession, opts: ExecuteNotebookOptions = {}): Promise<NotebookRun> {
  const runs: CellRun[] = [];
  const failures: CellRun[] = [];
  const displays: DisplayRegistry = new Map();
  const widgets = new WidgetStates();
  const info = session.kernelInfo.language_info;
  if (info && typeof info === "object") nb.metadata.language_info = info as Record<string, unknown>;
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  const deadline = opts.notebookTimeoutMs === undefined ? Infinity : performance.now() + opts.notebookTimeoutMs;
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code" || cellSource(cell).trim() === "") continue;
    opts.onCell?.(i + 1, nb.cells.length);
    const tags = Array.isArray(cell.metadata.tags) ? cell.metadata.tags.map(String) : [];
    const run: CellRun = { cell: i + 1, tags, status: "ok", ...(cell.id ? { id: cell.id } : {}) };
    const left = deadline - performance.now();
    if (left <= 0) {
      run.status = "timeout";
      run.error = {
        ename: "NotebookTimeLimit",
        evalue: `not run: the notebook used up its time limit of ${opts.notebookTimeoutMs! / 1000} s`,
        traceback: [],
      };
      runs.push(run);
      failures.push(run);
      if (opts.stopOnError) break;
      continue;
    }
    const timeoutMs = Math.min(opts.timeoutMs ?? Infinity, left);
    try {
      const r = await session.execute(opts.code?.get(i) ?? cellSource(cell), {
        timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : undefined,
        displays,
        widgets,
        stopOnError: opts.stopOnError ?? false,
      });
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
      run.status = r.status;
      if (r.status !== "ok") run.error = r.error ?? { ename: "Aborted", evalue: "the kernel aborted this cell", traceback: [] };
    } catch (e) {
      run.status = e instanceof ExecuteTimeoutError ? "timeout" : "error";
      run.error = {
        ename: e instanceof ExecuteTimeoutError ? "CellTimeoutError" : "KernelError",
        evalue: (e as Error).message,
        traceback: [],
      };
    }
    runs.push(run);
    if (run.status !== "ok" && !tags.includes("raises-exception")) {
      failures.push(run);
      // A dead kernel cannot run the rest; a timed-out one was interrupted and can (check mode).
      if (opts.stopOnError || run.error?.ename === "KernelError") break;
    }
  }
  saveWidgetState(nb.metadata, widgets);
  return { runs, failures };
}
