/** @file Plain tables -> aligned text and escaped HTML (pure, deterministic). */
import { escapeHtml } from "./escape.js";

/**
 * Align rows of cells into columns separated by two spaces; trailing spaces trimmed; newlines
 * inside a cell are shown as `; `.
 *
 * @example
 * formatTable([["a", "bb"], ["ccc", "d"]]); // "a    bb\nccc  d"
 */
export function formatTable(input: string[][]): string {
  const rows = input.map((r) => r.map((c) => c.replace(/\n/g, "; ")));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, k) => (widths[k] = Math.max(widths[k] ?? 0, [...c].length)));
  return rows
    .map((r) => r.map((c, k) => c + " ".repeat(widths[k] - [...c].length)).join("  ").trimEnd())
    .join("\n");
}

/** A table for {@link htmlTable}: header cells, body rows, optional caption and CSS class per row. */
export interface TableSpec {
  caption?: string;
  head: string[];
  rows: string[][];
  /** A CSS class per body row (same length as `rows`), e.g. to mark failing checks. */
  rowClasses?: (string | undefined)[];
  /** The table's own CSS class. */
  className?: string;
}

/**
 * An HTML `<table>` with every cell escaped (a newline in a cell becomes `<br>`); deterministic, no ids.
 *
 * @example
 * htmlTable({ head: ["i", "u_i"], rows: [["1", "<b>"]] });
 * // '<table class="gradlab-table"><thead><tr><th>i</th>... <td>&lt;b&gt;</td>...'
 */
export function htmlTable(t: TableSpec): string {
  const cls = escapeHtml(t.className ?? "gradlab-table");
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : "";
  const head = `<thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`;
  const body = t.rows
    .map((r, i) => {
      const rc = t.rowClasses?.[i];
      const open = rc ? `<tr class="${escapeHtml(rc)}">` : "<tr>";
      return `${open}${r.map((c) => `<td>${escapeHtml(c).replace(/\n/g, "<br>")}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table class="${cls}">${caption}${head}<tbody>\n${body}\n</tbody></table>`;
}

/**
 * Minimal inline CSS shared by gradlab tables (monospace numbers, failing rows in red).
 *
 * @example
 * const html = TABLE_STYLE + htmlTable(spec);
 */
export const TABLE_STYLE =
  "<style>.gradlab-table{border-collapse:collapse;font-family:monospace;font-size:12px}" +
  ".gradlab-table td,.gradlab-table th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}" +
  ".gradlab-table tr.fail td{background:#fee2e2}.gradlab-table tr.pass td{background:#f0fdf4}</style>";

/**
 * A {@link TableSpec} as aligned plain text, caption first.
 *
 * @example
 * tableText({ caption: "t", head: ["a"], rows: [["1"]] }); // "t\na\n1"
 */
export function tableText(t: TableSpec): string {
  const caption = t.caption ? [t.caption] : [];
  return [...caption, formatTable([t.head, ...t.rows])].join("\n");
}

/**
 * Keep a long table readable: at most `max` rows, the first two thirds and the last third, with
 * one `… n rows omitted …` row between them.
 *
 * @example
 * capRows(rows, 300).length; // <= 301
 */
export function capRows(rows: string[][], max: number): string[][] {
  if (rows.length <= max) return rows;
  const head = Math.ceil((max * 2) / 3);
  const tail = max - head;
  return [...rows.slice(0, head), [`… ${rows.length - max} rows omitted …`], ...rows.slice(rows.length - tail)];
}
