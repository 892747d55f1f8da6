/**
 * @file Print options shared by every text and HTML rendering of numbers (numpy's
 * `set_printoptions`): the digits shown, and the width plain-text tables wrap to.
 *
 * The settings live on `globalThis` under a registered symbol, so that every copy of the library
 * loaded into one process (the kernel's magics and a notebook's own `node_modules/gradlab`)
 * reads the same ones: `%precision 12` then applies to `tensor(...)` printed by a cell too.
 */
import { GradlabError } from "./errors.js";

/** What {@link setPrintOptions} accepts and {@link getPrintOptions} returns. */
export interface PrintOptions {
  /**
   * Digits of every printed number (1-17), or `null` for each display's own default. Tensors
   * read it as numpy's `precision`: at most that many decimals (of the mantissa, in scientific
   * notation), default 8. Step tables, graphs, gradcheck and `%whos` show that many significant
   * digits (default 4 for tables and graphs, 8 for gradcheck).
   */
  precision: number | null;
  /** Plain text wraps at this many characters: long table cells and tensor rows (default 100). */
  linewidth: number;
}

/** Float64 needs at most 17 significant digits to round-trip. */
const MAX_PRECISION = 17;
const DEFAULTS: PrintOptions = { precision: null, linewidth: 100 };
const KEY = Symbol.for("gradlab.printOptions");

function state(): PrintOptions {
  const g = globalThis as { [KEY]?: PrintOptions };
  return (g[KEY] ??= { ...DEFAULTS });
}

/**
 * The current print options (a copy).
 *
 * @example
 * getPrintOptions(); // { precision: null, linewidth: 100 }
 */
export function getPrintOptions(): PrintOptions {
  return { ...state() };
}

/**
 * Change how numbers print for the rest of the process, as numpy's `set_printoptions`; the
 * kernel's `%precision N` calls it. `precision: null` (or {@link resetPrintOptions}) restores
 * each display's default. Options not given keep their value.
 *
 * @example
 * setPrintOptions({ precision: 12 });
 * String(tensor([1 / 3])); // "tensor([0.333333333333])"
 */
export function setPrintOptions(opts: Partial<PrintOptions>): PrintOptions {
  const s = state();
  if (opts.precision !== undefined) {
    const p = opts.precision;
    if (p !== null && !(Number.isInteger(p) && p >= 1 && p <= MAX_PRECISION)) {
      throw new GradlabError(
        `setPrintOptions: expected precision to be an integer from 1 to ${MAX_PRECISION} (digits) or null (the defaults), got ${String(p)}`,
      );
    }
    s.precision = p;
  }
  if (opts.linewidth !== undefined) {
    const w = opts.linewidth;
    if (!(Number.isInteger(w) && w >= 20)) {
      throw new GradlabError(`setPrintOptions: expected linewidth to be an integer of at least 20 (characters), got ${String(w)}`);
    }
    s.linewidth = w;
  }
  return { ...s };
}

/**
 * Back to the defaults (`precision: null`, `linewidth: 100`).
 *
 * @example
 * resetPrintOptions();
 */
export function resetPrintOptions(): PrintOptions {
  return setPrintOptions(DEFAULTS);
}

/**
 * The digits a display should use (decimals for tensors, significant digits elsewhere): the
 * user's precision, or its own default.
 *
 * @example
 * const digits = printPrecision(4); // 4 unless setPrintOptions({ precision }) said otherwise
 */
export function printPrecision(fallback: number): number {
  return state().precision ?? fallback;
}
