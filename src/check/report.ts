/** @file The gradcheck report: rows, verdicts, a throwing `assert()`, and its HTML / text rendering. */
import { escapeHtml } from "../display/escape.js";
import { JUPYTER_DISPLAY, type Displayable, type MimeBundle } from "../display/mime.js";
import { htmlTable, TABLE_STYLE, tableText, type TableSpec } from "../display/table.js";
import { formatNumber, shapeText } from "../graph/preview.js";
import { printPrecision } from "../tensor/print-options.js";
import { isClose } from "./compare.js";

/** One checked entry: autodiff vs finite differences vs (optionally) the user's formula. */
export interface CheckRow {
  entry: string;
  autodiff: number;
  /** The finite-difference estimate of this entry (of its symmetric part, with symmetric perturbations). */
  fd: number;
  /** A bound on the error of `fd` (truncation and rounding); added to the tolerance. */
  fdErr: number;
  /** With symmetric perturbations: what `fd` estimates according to autodiff, (G[i, j] + G[j, i]) / 2. */
  fdRef?: number;
  /** |fdRef - fd| (or |autodiff - fd|), and relative to the larger of the two. */
  fdAbs: number;
  fdRel: number;
  fdOk: boolean;
  formula?: number;
  formulaAbs?: number;
  formulaRel?: number;
  formulaOk?: boolean;
  /** The row passes: autodiff agrees with FD, and with the formula when one is given. */
  ok: boolean;
}

/** What {@link GradcheckReport} is built from. */
export interface ReportData {
  name: string;
  value: number;
  shape: number[];
  /** The differences perturbed the matrix symmetrically (X ± t E_ii, X ± t (E_ij + E_ji) / 2). */
  symmetric?: boolean;
  gradient: CheckRow[];
  hessian?: CheckRow[];
}

/** Rows shown in full; beyond this only failing rows and a count are listed. */
const MAX_ROWS = 100;

function verdict(r: CheckRow): string {
  const bad: string[] = [];
  if (r.formulaOk === false) bad.push("formula ≠ autodiff");
  if (!r.fdOk) bad.push("autodiff ≠ finite diff");
  return bad.length ? `FAIL: ${bad.join(", ")}` : "ok";
}

/** Values in 8 significant digits, or the `setPrintOptions` precision; errors in 2. */
const num = (x: number) => formatNumber(x, printPrecision(8));
const err = (x: number) => formatNumber(x, 2);

function table(caption: string, rowsIn: CheckRow[]): TableSpec {
  const withFormula = rowsIn.some((r) => r.formula !== undefined);
  // The symmetric part gets its own column only where it differs from autodiff's entries.
  const withRef = rowsIn.some((r) => r.fdRef !== undefined && !isClose(r.fdRef, r.autodiff, 0, 1e-12));
  const shown = rowsIn.length > MAX_ROWS ? rowsIn.filter((r, k) => k < MAX_ROWS || !r.ok) : rowsIn;
  const head = [
    "entry",
    "autodiff",
    ...(withRef ? ["autodiff, symmetric part"] : []),
    "finite diff",
    "fd error bound",
    "abs err",
    "rel err",
  ];
  if (withFormula) head.push("your formula", "abs err", "rel err");
  head.push("verdict");
  const rows = shown.map((r) => {
    const cells = [
      r.entry,
      num(r.autodiff),
      ...(withRef ? [num(r.fdRef ?? r.autodiff)] : []),
      num(r.fd),
      err(r.fdErr),
      err(r.fdAbs),
      err(r.fdRel),
    ];
    if (withFormula) cells.push(num(r.formula!), err(r.formulaAbs!), err(r.formulaRel!));
    cells.push(verdict(r));
    return cells;
  });
  if (shown.length < rowsIn.length) rows.push([`… ${rowsIn.length - shown.length} more passing entries`]);
  return {
    caption,
    head,
    rows,
    rowClasses: shown.map((r) => (r.ok ? "pass" : "fail")),
  };
}

/**
 * The result of `gradcheck`: `.ok` (alias `.passed`), the rows, `.assert()` which throws naming
 * every wrong entry, and a notebook rendering (HTML table, failing rows in red, plus text).
 *
 * @example
 * const r = gradcheck(f, x, { analytic: g });
 * if (!r.ok) console.log(r.failures());
 * r.assert(); // throws "gradcheck f: FAILED ..." when any row fails
 */
export class GradcheckReport implements Displayable {
  readonly name: string;
  readonly value: number;
  readonly shape: number[];
  /** Whether the differences perturbed symmetrically (see {@link ReportData.symmetric}). */
  readonly symmetric: boolean;
  readonly gradient: CheckRow[];
  readonly hessian: CheckRow[] | undefined;

  constructor(d: ReportData) {
    this.name = d.name;
    this.value = d.value;
    this.shape = d.shape;
    this.symmetric = d.symmetric ?? false;
    this.gradient = d.gradient;
    this.hessian = d.hessian;
  }

  /** True when every gradient (and Hessian) row passes. */
  get ok(): boolean {
    return this.gradient.every((r) => r.ok) && (this.hessian ?? []).every((r) => r.ok);
  }

  /** Same as `ok`. */
  get passed(): boolean {
    return this.ok;
  }

  /** One line per failing entry, saying which comparison failed and by how much. */
  failures(): string[] {
    const lines: string[] = [];
    const add = (what: string, rows: CheckRow[]) => {
      for (const r of rows) {
        if (r.formulaOk === false) {
          lines.push(
            `${what} formula wrong at ${r.entry}: yours ${num(r.formula!)}, autodiff ${num(r.autodiff)} (rel err ${err(r.formulaRel!)})`,
          );
        }
        if (!r.fdOk) {
          const ad = r.fdRef === undefined ? `${num(r.autodiff)}` : `${num(r.fdRef)} (symmetric part)`;
          lines.push(
            `${what} autodiff disagrees with finite differences at ${r.entry}: ${ad} vs ${num(r.fd)} ` +
              `(rel err ${err(r.fdRel)}; the differences are good to ${err(r.fdErr)})`,
          );
        }
      }
    };
    add("gradient", this.gradient);
    if (this.hessian) add("Hessian", this.hessian);
    return lines;
  }

  /** One-line verdict. */
  summary(): string {
    const count = (rows: CheckRow[]) => `${rows.filter((r) => r.ok).length}/${rows.length}`;
    const h = this.hessian ? `, Hessian ${count(this.hessian)}` : "";
    const how = this.symmetric ? ", symmetric perturbations" : "";
    return (
      `gradcheck ${this.name} at x of shape ${shapeText(this.shape)}, f(x) = ${num(this.value)}${how}: ` +
      `${this.ok ? "PASSED" : "FAILED"} (gradient ${count(this.gradient)} entries ok${h})`
    );
  }

  /**
   * Throw when any check fails, naming every wrong entry (at most 10 listed).
   * @example gradcheck(f, x, { analytic: g }).assert();
   */
  assert(): this {
    if (this.ok) return this;
    const f = this.failures();
    const more = f.length > 10 ? [`… and ${f.length - 10} more`] : [];
    throw new Error([`gradcheck ${this.name}: FAILED`, ...f.slice(0, 10), ...more].join("\n  "));
  }

  private tables(): TableSpec[] {
    const along = this.symmetric
      ? " along symmetric perturbations X ± t E_ii, X ± t (E_ij + E_ji)/2 (they measure the symmetric part (G + Gᵀ)/2 of autodiff's G)"
      : "";
    const t = [
      table(
        `Gradient: autodiff vs central finite differences${along}` + (this.gradient[0]?.formula !== undefined ? " vs your formula" : ""),
        this.gradient,
      ),
    ];
    if (this.hessian) t.push(table(`Hessian: autodiff vs finite differences of the gradient${along} vs your formula`, this.hessian));
    return t;
  }

  toString(): string {
    return [this.summary(), ...this.tables().map(tableText)].join("\n\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const cls = this.ok ? "gradlab-pass" : "gradlab-fail";
    const colour = this.ok ? "#166534" : "#b91c1c";
    const html =
      `<div class="gradlab-gradcheck ${cls}">${TABLE_STYLE}` +
      `<p style="color:${colour};font-weight:bold">${escapeHtml(this.summary())}</p>` +
      this.tables().map(htmlTable).join("") +
      `</div>`;
    return { "text/html": html, "text/plain": this.toString() };
  }
}
