/** @file Progress display (TTY-aware), the summary table and the failure report of `gradlab run`. */
import type { CellRun } from "./execute.js";
import { stripAnsi } from "../notebook/ansi.js";

/** One notebook's line in the summary. */
export interface NotebookSummary {
  notebook: string;
  /** Code cells executed. */
  cells: number;
  errors: number;
  seconds: number;
  failures: CellRun[];
  /** Set when the notebook could not run at all (unreadable, kernel failed to start). */
  fatal?: string;
}

/**
 * Progress of a run: one rewritten status line on a terminal, plain lines otherwise (CI logs).
 *
 * @example
 * const p = new Progress(process.stderr, 3);
 * p.cell("a.ipynb", 2, 10);
 * p.done({ notebook: "a.ipynb", cells: 7, errors: 0, seconds: 1.2, failures: [] });
 */
export class Progress {
  private readonly tty: boolean;
  private readonly running = new Map<string, string>();
  private finished = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly total: number,
  ) {
    this.tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  /** A notebook has reached a cell (1-based, out of all its cells). */
  cell(notebook: string, cell: number, cells: number): void {
    if (!this.running.has(notebook) && !this.tty) this.stream.write(`run: ${notebook} ...\n`);
    this.running.set(notebook, `${notebook} ${cell}/${cells}`);
    this.redraw();
  }

  /** A notebook has finished (well or not). */
  done(s: NotebookSummary): void {
    this.running.delete(s.notebook);
    this.finished++;
    const mark = s.errors > 0 || s.fatal ? "FAIL" : "ok  ";
    this.clearLine();
    this.stream.write(`run: ${mark} [${this.finished}/${this.total}] ${s.notebook} (${s.cells} cells, ${s.seconds.toFixed(1)} s)\n`);
    this.redraw();
  }

  private clearLine(): void {
    if (this.tty) this.stream.write("\r\x1b[K");
  }

  private redraw(): void {
    if (!this.tty) return;
    this.clearLine();
    if (this.running.size > 0) this.stream.write(`running: ${[...this.running.values()].join(", ")}`.slice(0, 200));
  }
}

/**
 * The summary table: notebook, cells, errors, seconds.
 *
 * @example
 * summaryTable([{ notebook: "a.ipynb", cells: 3, errors: 0, seconds: 0.5, failures: [] }]);
 * // "notebook  cells  errors  seconds\n--------  ...\na.ipynb       3       0      0.5"
 */
export function summaryTable(rows: NotebookSummary[]): string {
  const head = ["notebook", "cells", "errors", "seconds"];
  const body = rows.map((r) => [r.notebook, String(r.cells), r.fatal ? "fatal" : String(r.errors), r.seconds.toFixed(1)]);
  const all = [head, ...body];
  const width = head.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const fmt = (row: string[]) => row.map((v, c) => (c === 0 ? v.padEnd(width[c]) : v.padStart(width[c]))).join("  ");
  return [fmt(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt)].join("\n");
}

/**
 * The failure report: one block per failing cell naming notebook, cell number and error, with
 * the last traceback lines (colour codes removed).
 *
 * @example
 * failureReport(rows); // "FAILED a.ipynb, cell 4: ZeroDivisionError: division by zero\n    ..."
 */
export function failureReport(rows: NotebookSummary[]): string {
  const blocks: string[] = [];
  for (const r of rows) {
    if (r.fatal) blocks.push(`FAILED ${r.notebook}: ${r.fatal}`);
    for (const f of r.failures) {
      const where = `${r.notebook}, cell ${f.cell}${f.id ? ` (id ${f.id})` : ""}`;
      const err = f.error ?? { ename: f.status, evalue: "", traceback: [] };
      const tb = stripAnsi(err.traceback.join("\n"))
        .split("\n")
        .filter((l) => l.trim() !== "")
        .slice(-8);
      blocks.push([`FAILED ${where}: ${err.ename}: ${err.evalue}`, ...tb.map((l) => `    ${l}`)].join("\n"));
    }
  }
  return blocks.join("\n");
}
