/** @file numpy-like text and HTML renderings of tensor entries; large tensors are summarised. */
import { getPrintOptions, printPrecision } from "./print-options.js";
import type { Shape } from "./shape.js";

/** Tensors with more entries than this are summarised (numpy's default threshold). */
const SUMMARY_THRESHOLD = 1000;
/** Entries kept at each end of a summarised axis. */
const EDGE_ITEMS = 3;
/** HTML tables show at most this many rows and columns before eliding. */
const HTML_EDGE = 10;

/** Decimals shown in fixed notation (numpy's default precision) when no precision is set. */
const PRECISION = 8;

/**
 * Decimals that show `v` to the precision asked for: numpy's 8 decimals by default, or the
 * decimals that give `setPrintOptions({ precision })` significant digits.
 */
function decimalsFor(v: number): number {
  const p = printPrecision(0);
  if (p === 0 || v === 0) return PRECISION;
  return Math.min(100, Math.max(0, p - 1 - Math.floor(Math.log10(Math.abs(v)))));
}

/** How a set of shown entries is printed: integers, fixed with d decimals, or scientific. */
type NumberStyle = { kind: "int" } | { kind: "fixed"; decimals: number } | { kind: "sci" };

function chooseStyle(values: readonly number[]): NumberStyle {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.every((v) => Number.isInteger(v) && Math.abs(v) < 1e16)) return { kind: "int" };
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  if (nonzero.some((a) => a >= 1e8 || a < 1e-4)) return { kind: "sci" };
  let decimals = 1;
  for (const v of finite) {
    const text = v.toFixed(decimalsFor(v)).replace(/0+$/, "");
    decimals = Math.max(decimals, text.length - text.indexOf(".") - 1);
  }
  return { kind: "fixed", decimals };
}

function formatNumber(v: number, style: NumberStyle): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (style.kind === "int") return `${v.toFixed(0)}.`;
  if (style.kind === "sci") return v.toExponential(printPrecision(PRECISION + 1) - 1).replace(/\.?0+e/, "e");
  return v.toFixed(style.decimals);
}

/** Indices kept along an axis of length n (or all of them), with -1 marking the ellipsis. */
function keptIndices(n: number, summarise: boolean, edge: number): number[] {
  if (!summarise || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: edge }, (_, i) => i);
  const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
  return [...head, -1, ...tail];
}

/**
 * `[a, b, c]` for the entries of a row whose `[` is at column `indent`, wrapped as numpy does:
 * a line that would pass `linewidth` continues below the first entry.
 */
function wrapRow(parts: string[], indent: number, linewidth: number): string {
  const lines: string[] = [];
  let line = "[";
  let start = indent;
  parts.forEach((p, k) => {
    const piece = p + (k < parts.length - 1 ? "," : "]");
    if (k > 0 && start + line.length + 1 + piece.length > linewidth) {
      lines.push(line);
      line = " ".repeat(indent + 1) + piece;
      start = 0;
    } else {
      line += (k > 0 ? " " : "") + piece;
    }
  });
  if (parts.length === 0) line += "]";
  return [...lines, line].join("\n");
}

/**
 * numpy-style repr of row-major entries, e.g. `tensor([[1., 2.],\n        [3., 4.]])`; rows longer
 * than the `setPrintOptions` linewidth wrap.
 * @example formatTensor(new Float64Array([1, 2]), [2]) // "tensor([1., 2.])"
 */
export function formatTensor(data: Float64Array, shape: Shape): string {
  const summarise = data.length > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  // Collect the shown entries first so that every column gets the same width.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(data[offset]);
      return;
    }
    for (const i of keptIndices(shape[axis], summarise, EDGE_ITEMS)) if (i >= 0) collect(axis + 1, offset + i * strides[axis]);
  };
  collect(0, 0);
  const style = chooseStyle(shown);
  const width = shown.reduce((w, v) => Math.max(w, formatNumber(v, style).length), 0);
  const prefix = "tensor(";
  const render = (axis: number, offset: number, indent: number): string => {
    if (axis === shape.length) return formatNumber(data[offset], style).padStart(width);
    const parts = keptIndices(shape[axis], summarise, EDGE_ITEMS).map((i) =>
      i < 0 ? "..." : render(axis + 1, offset + i * strides[axis], indent + 1),
    );
    // Reserve room for the brackets and `)` that close the tensor after the last entry.
    if (axis === shape.length - 1) return wrapRow(parts, indent, getPrintOptions().linewidth - shape.length);
    const sep = "," + "\n".repeat(shape.length - 1 - axis) + " ".repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, prefix.length);
  const suffix = summarise ? `, shape=[${shape.join(",")}]` : "";
  return `${prefix}${body}${suffix})`;
}

/**
 * A small HTML table for 0-2 dimensional tensors (rows/columns elided past 2*10), a `<pre>`
 * block of the text repr otherwise. Only numbers are rendered, so nothing needs escaping.
 * @example tensorHtml(new Float64Array([1, 2]), [2]) // "<table ...>...</table>"
 */
export function tensorHtml(data: Float64Array, shape: Shape): string {
  const caption = `<caption style="caption-side:bottom;font-size:smaller">Tensor, shape [${shape.join(",")}]</caption>`;
  if (shape.length > 2) return `<pre>${formatTensor(data, shape)}</pre>`;
  const rows = shape.length === 2 ? shape[0] : 1;
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rowIdx = keptIndices(rows, true, HTML_EDGE);
  const colIdx = keptIndices(cols, true, HTML_EDGE);
  const shown = rowIdx.flatMap((i) => (i < 0 ? [] : colIdx.filter((j) => j >= 0).map((j) => data[i * cols + j])));
  const style = chooseStyle(shown);
  const cell = (i: number, j: number): string =>
    i < 0 || j < 0 ? "<td>&hellip;</td>" : `<td>${formatNumber(data[i * cols + j], style)}</td>`;
  const body = rowIdx.map((i) => `<tr>${colIdx.map((j) => cell(i, j)).join("")}</tr>`).join("");
  return `<table class="gradlab-tensor" style="font-family:monospace">${caption}<tbody>${body}</tbody></table>`;
}
