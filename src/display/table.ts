/** @file Plain tables -> aligned text and escaped HTML (pure, deterministic). */
import { trn } from "../i18n/index.js";
import { getPrintOptions } from "../tensor/print-options.js";
import { escapeHtml } from "./escape.js";

/** A wrapped column is never narrower than this, nor than its longest word up to {@link MAX_WORD} (a number is never cut). */
const MIN_COLUMN = 12;
/** Longer than the longest Float64 in exponent form, `-1.2345678901234567e-100`. */
const MAX_WORD = 24;

const len = (s: string): number => [...s].length;

/**
 * Break one line into pieces of at most `width` characters, after the last space that fits, mid-word
 * only for a word longer than `width`.
 */
function wrapLine(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = [...line];
  while (rest.length > width) {
    let cut = width;
    for (let k = width; k > 1; k--) {
      if (rest[k - 1] === " ") {
        cut = k;
        break;
      }
    }
    out.push(rest.slice(0, cut).join("").trimEnd());
    rest = rest.slice(cut);
  }
  out.push(rest.join(""));
  return out;
}

/** Column widths that fit `total` characters: the widest columns shrink first, none below its floor. */
function fitWidths(natural: number[], words: number[], total: number, gap: number): number[] {
  const room = total - gap * (natural.length - 1);
  const floor = natural.map((w, k) => Math.min(w, Math.max(MIN_COLUMN, Math.min(words[k], MAX_WORD))));
  const at = (cap: number) => natural.map((w, k) => Math.max(floor[k], Math.min(w, cap)));
  const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);
  let lo = 1;
  let hi = Math.max(...natural);
  // The largest cap whose widths fit (or the floors, when even they do not).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(at(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

/**
 * Align rows of cells into columns separated by two spaces, trailing spaces trimmed. A newline
 * in a cell starts a new line inside the cell. When the table is wider than `linewidth`
 * (default: `setPrintOptions`' linewidth, 100), the widest columns are narrowed and their cells
 * wrap onto more lines, so one long cell never pads every other row to its width. A row of one
 * cell in a wider table (a "… n rows omitted …" note) spans the table and sets no width.
 *
 * @example
 * formatTable([["a", "bb"], ["ccc", "d"]]); // "a    bb\nccc  d"
 * formatTable([["i", "value"], ["1", "[0.1, 0.2, 0.3]"]], 16);
 * // "i  value\n1  [0.1, 0.2,\n   0.3]"
 */
export function formatTable(input: string[][], linewidth = getPrintOptions().linewidth): string {
  const ncols = Math.max(0, ...input.map((r) => r.length));
  const spans = (r: string[]) => r.length === 1 && ncols > 1;
  const cells = input.map((r) => r.map((c) => c.split("\n")));
  const natural: number[] = new Array<number>(ncols).fill(0);
  const words: number[] = new Array<number>(ncols).fill(0);
  cells.forEach((r, i) => {
    if (spans(input[i])) return;
    r.forEach((lines, k) => {
      natural[k] = Math.max(natural[k], ...lines.map(len));
      words[k] = Math.max(words[k], ...lines.flatMap((l) => l.split(" ")).map(len));
    });
  });
  const gap = 2;
  const fits = natural.reduce((a, b) => a + b, 0) + gap * (ncols - 1) <= linewidth;
  const widths = fits ? natural : fitWidths(natural, words, linewidth, gap);
  const out: string[] = [];
  cells.forEach((r, i) => {
    if (spans(input[i])) {
      out.push(...r[0].flatMap((l) => wrapLine(l, linewidth)));
      return;
    }
    const wrapped = r.map((lines, k) => lines.flatMap((l) => wrapLine(l, widths[k])));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let h = 0; h < height; h++) {
      out.push(
        wrapped
          .map((w, k) => (w[h] ?? "") + " ".repeat(Math.max(0, widths[k] - len(w[h] ?? ""))))
          .join(" ".repeat(gap))
          .trimEnd(),
      );
    }
  });
  return out.join("\n");
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
  const width = getPrintOptions().linewidth;
  const caption = t.caption ? wrapLine(t.caption, width) : [];
  return [...caption, formatTable([t.head, ...t.rows], width)].join("\n");
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
  return [
    ...rows.slice(0, head),
    [`… ${trn("{n} row omitted", "{n} rows omitted", rows.length - max)} …`],
    ...rows.slice(rows.length - tail),
  ];
}
