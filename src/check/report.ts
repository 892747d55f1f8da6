/** @file The gradcheck report: rows, verdicts, a throwing `assert()`, and its HTML / text rendering. */
import { escapeHtml } from "../display/escape.js";
import { JUPYTER_DISPLAY, type Displayable, type MimeBundle } from "../display/mime.js";
import { htmlTable, TABLE_STYLE, tableText, type TableSpec } from "../display/table.js";
import { formatNumber, shapeText } from "../graph/preview.js";
import { printPrecision } from "../tensor/print-options.js";
import { tr, trn } from "../i18n/index.js";
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
  if (r.formulaOk === false) bad.push(tr("formula ≠ autodiff"));
  if (!r.fdOk) bad.push(tr("autodiff ≠ finite diff"));
  return bad.length ? tr("FAIL: {what}", { what: bad.join(", ") }) : tr("ok");
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
    tr("entry"),
    tr("autodiff"),
    ...(withRef ? [tr("autodiff, symmetric part")] : []),
    tr("finite diff"),
    tr("fd error bound"),
    tr("abs err"),
    tr("rel err"),
  ];
  if (withFormula) head.push(tr("your formula"), tr("abs err"), tr("rel err"));
  head.push(tr("verdict"));
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
  if (shown.length < rowsIn.length)
    rows.push([`… ${trn("{n} more passing entry", "{n} more passing entries", rowsIn.length - shown.length)}`]);
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
            tr("{what} formula wrong at {entry}: yours {yours}, autodiff {autodiff} (rel err {rel})", {
              what,
              entry: r.entry,
              yours: num(r.formula!),
              autodiff: num(r.autodiff),
              rel: err(r.formulaRel!),
            }),
          );
        }
        if (!r.fdOk) {
          const ad = r.fdRef === undefined ? `${num(r.autodiff)}` : tr("{value} (symmetric part)", { value: num(r.fdRef) });
          lines.push(
            tr(
              "{what} autodiff disagrees with finite differences at {entry}: {autodiff} vs {fd} (rel err {rel}; the differences are good to {bound})",
              {
                what,
                entry: r.entry,
                autodiff: ad,
                fd: num(r.fd),
                rel: err(r.fdRel),
                bound: err(r.fdErr),
              },
            ),
          );
        }
      }
    };
    add(tr("gradient"), this.gradient);
    if (this.hessian) add(tr("Hessian"), this.hessian);
    return lines;
  }

  /** One-line verdict. */
  summary(): string {
    const count = (rows: CheckRow[]) => `${rows.filter((r) => r.ok).length}/${rows.length}`;
    const h = this.hessian ? tr(", Hessian {count}", { count: count(this.hessian) }) : "";
    const how = this.symmetric ? tr(", symmetric perturbations") : "";
    return tr("gradcheck {name} at x of shape {shape}, f(x) = {value}{how}: {verdict} (gradient {count} entries ok{hessian})", {
      name: this.name,
      shape: shapeText(this.shape),
      value: num(this.value),
      how,
      verdict: this.ok ? tr("PASSED") : tr("FAILED"),
      count: count(this.gradient),
      hessian: h,
    });
  }

  /**
   * Throw when any check fails, naming every wrong entry (at most 10 listed).
   * @example gradcheck(f, x, { analytic: g }).assert();
   */
  assert(): this {
    if (this.ok) return this;
    const f = this.failures();
    const more = f.length > 10 ? [`… ${tr("and {n} more", { n: f.length - 10 })}`] : [];
    throw new Error([tr("gradcheck {name}: FAILED", { name: this.name }), ...f.slice(0, 10), ...more].join("\n  "));
  }

  private tables(): TableSpec[] {
    const along = this.symmetric
      ? tr(" along symmetric perturbations X ± t E_ii, X ± t (E_ij + E_ji)/2 (they measure the symmetric part (G + Gᵀ)/2 of autodiff's G)")
      : "";
    const gradientCaption =
      this.gradient[0]?.formula !== undefined
        ? tr("Gradient: autodiff vs central finite differences{along} vs your formula", { along })
        : tr("Gradient: autodiff vs central finite differences{along}", { along });
    const t = [table(gradientCaption, this.gradient)];
    if (this.hessian)
      t.push(table(tr("Hessian: autodiff vs finite differences of the gradient{along} vs your formula", { along }), this.hessian));
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
