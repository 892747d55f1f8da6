/** @file numpy-like text and HTML renderings of tensor entries; large tensors are summarised. */
import { tr } from "../i18n/index.js";
import { getPrintOptions, printPrecision } from "./print-options.js";
import type { Shape } from "./shape.js";

/** Tensors with more entries than this are summarised (numpy's default threshold). */
const SUMMARY_THRESHOLD = 1000;
/** Entries kept at each end of a summarised axis. */
const EDGE_ITEMS = 3;
/** HTML tables show at most this many rows and columns before eliding. */
const HTML_EDGE = 10;

/** Decimals numpy prints by default (`np.get_printoptions()["precision"]`). */
const PRECISION = 8;

/**
 * A non-negative decimal as `0.digits × 10^point`: `digits` has no leading or trailing zeros
 * ("" for zero, whose `point` is 0).
 */
interface Decimal {
  digits: string;
  point: number;
}

const ZERO: Decimal = { digits: "", point: 0 };

/** The digits of a plain decimal text, `123.45` or `1.2345e+2` (no sign). */
function parseDecimal(text: string): Decimal {
  const [mant, exp = "0"] = text.split("e");
  const [int, frac = ""] = mant.split(".");
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, "").length;
  const digits = all.slice(lead).replace(/0+$/, "");
  return digits === "" ? ZERO : { digits, point: int.length + Number(exp) - lead };
}

/** The shortest decimal that reads back as `a` (finite, non-negative): what `String(a)` prints. */
function shortest(a: number): Decimal {
  return parseDecimal(String(a));
}

/**
 * The exact value of `a` (finite, non-negative): a double is m·2^e, and for e < 0 that is
 * m·5^-e / 10^-e, so its decimal expansion is finite.
 */
function exact(a: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  if (m === 0n) return ZERO;
  const all = (e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e)).toString();
  return { digits: all.replace(/0+$/, ""), point: all.length + Math.min(e, 0) };
}

/** `d` rounded to its first `keep` digits, ties to the even digit (numpy's Dragon4 rounding). */
function roundDigits(d: Decimal, keep: number): Decimal {
  if (keep >= d.digits.length) return d;
  if (keep < 0) return ZERO; // below a tenth of the last kept place
  const kept = d.digits.slice(0, keep);
  const next = d.digits[keep];
  const tie = next === "5" && keep + 1 === d.digits.length;
  const odd = kept !== "" && Number(kept[kept.length - 1]) % 2 === 1;
  const up = next > "5" || (next === "5" && (!tie || odd));
  const n = up ? (BigInt(kept || "0") + 1n).toString() : kept;
  const digits = n.replace(/0+$/, "");
  return digits === "" ? ZERO : { digits, point: d.point + n.length - keep };
}

/**
 * How a set of shown entries is printed, as numpy's `FloatingFormat` with
 * `floatmode="maxprec_equal"` decides: scientific when the largest non-zero magnitude is at least
 * 1e8, the smallest below 1e-4, or their ratio above 1e3; fixed otherwise. The print precision
 * caps the decimals (of the mantissa in scientific notation); every entry shows `frac` decimals,
 * the most any entry needs, and scientific exponents show `expDigits` digits (at least 2).
 */
type NumberStyle = { kind: "fixed"; frac: number } | { kind: "sci"; frac: number; expDigits: number };

/** Decimals of `d` after the point: of the number itself (`fixed`) or of its mantissa (`sci`). */
function decimalsOf(d: Decimal, kind: NumberStyle["kind"]): number {
  return Math.max(0, d.digits.length - (kind === "fixed" ? d.point : 1));
}

/**
 * The digits numpy's Dragon4 prints for `a` (finite, non-negative) in unique mode, `decimals`
 * after the point (of the mantissa in scientific notation): the shortest digits that read back
 * as `a` when they have exactly that many, else the exact value rounded there (so 0.1 with 17
 * decimals shows 0.10000000000000001, as numpy does when another entry needs 17).
 */
function digitsAt(a: number, kind: NumberStyle["kind"], decimals: number): Decimal {
  const s = shortest(a);
  if (decimalsOf(s, kind) === decimals) return s;
  // toFixed and toExponential round the exact value too (fixed notation serves values below
  // 1e8 only, so toFixed never switches to exponents) but send ties up, not to even. A tie at
  // `decimals` shows as a final 5 one decimal further, and only then is the expansion needed.
  const text = (d: number): string => (kind === "fixed" ? a.toFixed(d) : a.toExponential(d));
  if (!/5(e|$)/.test(text(decimals + 1))) return parseDecimal(text(decimals));
  const e = exact(a);
  return roundDigits(e, (kind === "fixed" ? e.point : 1) + decimals);
}

/** numpy's first pass: the shortest digits of `a`, or its exact value rounded to `precision` decimals when they need more. */
function digitsOf(a: number, kind: NumberStyle["kind"], precision: number): Decimal {
  const s = shortest(a);
  return decimalsOf(s, kind) <= precision ? s : digitsAt(a, kind, precision);
}

function chooseStyle(values: readonly number[]): NumberStyle {
  const precision = printPrecision(PRECISION);
  const finite = values.filter((v) => Number.isFinite(v));
  const magnitudes = finite.filter((v) => v !== 0).map(Math.abs);
  const max = Math.max(...magnitudes);
  const min = Math.min(...magnitudes);
  const sci = magnitudes.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
  const decimals = finite.map((v) => digitsOf(Math.abs(v), sci ? "sci" : "fixed", precision));
  if (!sci) return { kind: "fixed", frac: Math.max(0, ...decimals.map((d) => decimalsOf(d, "fixed"))) };
  return {
    kind: "sci",
    frac: Math.max(0, ...decimals.map((d) => decimalsOf(d, "sci"))),
    expDigits: Math.max(2, ...decimals.map((d) => String(Math.abs(d.digits === "" ? 0 : d.point - 1)).length)),
  };
}

/** One entry in `style`: `-` for negative numbers and -0 (its sign shows in 1 / x), `nan`, `inf`. */
function formatNumber(v: number, style: NumberStyle): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  const { digits, point } = digitsAt(Math.abs(v), style.kind, style.frac);
  if (style.kind === "sci") {
    const exponent = digits === "" ? 0 : point - 1;
    const mantissa = `${digits[0] ?? "0"}.${digits.slice(1).padEnd(style.frac, "0")}`;
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(style.expDigits, "0")}`;
  }
  const int = point > 0 ? digits.slice(0, point).padEnd(point, "0") : "0";
  const frac = point >= 0 ? digits.slice(point) : "0".repeat(-point) + digits;
  return `${sign}${int}.${frac.padEnd(style.frac, "0")}`;
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
 * numpy-style repr of row-major entries, e.g. `tensor([[1., 2.],\n        [3., 4.]])`: numpy's
 * numbers (its `floatmode="maxprec_equal"`, so every entry shows the same decimals, and
 * `setPrintOptions({ precision })` is numpy's precision) in torch's layout; rows longer than the
 * `setPrintOptions` linewidth wrap. An empty tensor other than 1-D says its shape, as numpy does.
 * @example formatTensor(new Float64Array([1, 2]), [2]) // "tensor([1., 2.])"
 */
export function formatTensor(data: Float64Array, shape: Shape): string {
  // numpy's `array([], shape=(0, 3), dtype=float64)`: `[]` alone would not tell [0,3] from [3,0].
  if (data.length === 0 && shape.length !== 1) return `tensor([], shape=[${shape.join(",")}])`;
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
  const texts = shown.map((v) => formatNumber(v, style));
  const width = texts.reduce((w, t) => Math.max(w, t.length), 0);
  const prefix = "tensor(";
  // render visits the entries in the order collect did, so the k-th entry it meets is texts[k]
  let next = 0;
  const render = (axis: number, offset: number, indent: number): string => {
    if (axis === shape.length) return texts[next++].padStart(width);
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
  const caption = `<caption style="caption-side:bottom;font-size:smaller">${tr("Tensor, shape [{shape}]", { shape: shape.join(",") })}</caption>`;
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
