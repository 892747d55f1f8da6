/** @file In-memory input history answering `history_request` (range, tail and search). */

/** One stored cell: [session, line, input] (output text kept for `output: true`). */
interface Entry {
  line: number;
  input: string;
  output: string | null;
}

/** A `history_request`'s content (https://jupyter-client.readthedocs.io/en/stable/messaging.html#history). */
export interface HistoryQuery {
  output?: boolean;
  hist_access_type?: string;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

/**
 * The history of this kernel session (session number 1; 0 means "current" as in IPython).
 *
 * @example
 * const h = new History(); h.add(1, "1+1"); h.query({ hist_access_type: "tail", n: 1 }) // [[1, 1, "1+1"]]
 */
export class History {
  private readonly entries: Entry[] = [];
  static readonly SESSION = 1;

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** Remember the text/plain of a cell's execute_result (for `output: true`). */
  setOutput(line: number, output: string): void {
    // The cell just run is the last entry: search from the end (a long session has thousands).
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.line !== line) continue;
      this.entries[i]!.output = output;
      return;
    }
  }

  query(q: HistoryQuery): unknown[] {
    let rows = this.entries;
    const type = q.hist_access_type ?? "tail";
    if (type === "range") {
      if (q.session !== undefined && q.session !== 0 && q.session !== History.SESSION) return [];
      const start = q.start ?? 0;
      const stop = q.stop ?? Infinity;
      rows = rows.filter((e) => e.line >= start && e.line < stop);
    } else if (type === "search") {
      const re = globToRegExp(q.pattern ?? "*");
      rows = rows.filter((e) => re.test(e.input));
      if (q.unique) rows = rows.filter((e, i) => rows.findIndex((x) => x.input === e.input) === i);
      if (q.n) rows = rows.slice(-q.n);
    } else if (type === "tail") {
      rows = q.n ? rows.slice(-q.n) : rows.slice();
    } else {
      return [];
    }
    return rows.map((e) => (q.output ? [History.SESSION, e.line, [e.input, e.output]] : [History.SESSION, e.line, e.input]));
  }
}

/** IPython's glob patterns: `*` any text, `?` one character. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}
