/**
 * @file The checking helpers of the homework notebooks (`import { homework } from "gradlab"`).
 *
 * They live in the library, not in a notebook cell, so a student's cell cannot redefine them:
 * `homework` is an ES module namespace (read-only), and `gradlab check` re-creates the checker of
 * each check cell from the instructor's setup cells (see docs/instructors.md). A check compares
 * the student's formula with an independent answer (autodiff, central differences or a closed
 * form) entry by entry, displays the table, and throws
 * `"<id>: WRONG (k of N entries disagree). Hint: ..."` (k >= 1: WRONG always counts the entries
 * that are wrong) or `"<id>: not answered yet (...)"`; when the answer agrees with autodiff in
 * every entry but autodiff disagrees with finite differences, the check cannot vouch for its
 * reference and throws `"<id>: could not be checked (...)"` instead.
 * The student's formula always runs inside {@link byHand}, so an answer that calls autodiff fails.
 *
 * ```ts
 * import { homework } from "gradlab";
 * const hw = homework.checker({ display, mistakes: { "logreg-gradient": [{ answer: wrong, hint: "..." }] } });
 * hw.gradient("logreg-gradient", f, x0, gradient);
 * ```
 */
import { byHand } from "../core/byhand.js";
import { gradcheck } from "../check/gradcheck.js";
import type { CheckRow } from "../check/report.js";
import { escapeHtml } from "../display/escape.js";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.js";
import { asTensor, tensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { grad } from "../transforms/grad.js";
import { hessian } from "../transforms/hessian.js";
import { GradlabError } from "../tensor/errors.js";

/** A wrong answer students often give, and what to tell them when theirs matches it. */
export interface Mistake {
  answer: TensorLike;
  hint: string;
}

/** What {@link checker} needs: the notebook's `display` and the known mistakes per exercise id. */
export interface CheckerOptions {
  display?: (value: unknown) => void;
  mistakes?: Record<string, Mistake[]>;
  /** Relative tolerance per entry (default 1e-6). */
  tol?: number;
}

/** The message a stub left by `gradlab assign` throws; checks report it as "not answered yet". */
export const NOT_ANSWERED = "not answered yet";

/**
 * The error a blank answer throws (what `gradlab assign` writes in place of a solution).
 *
 * @example
 * function gradient(x: Tensor): Tensor { throw homework.notAnswered(); }
 */
export function notAnswered(): Error {
  return new Error(`${NOT_ANSWERED}: replace this line with your answer`);
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Whether every entry of `mine` is within `tol` (relative to the entry, plus 1) of `want`. */
function close(mine: Float64Array, want: Float64Array, tol: number): boolean[] {
  return Array.from(want, (w, i) => Math.abs(mine[i]! - w) <= tol * (1 + Math.abs(w)));
}

/** A per-entry table: yours vs expected, wrong entries marked. */
export class EntryTable {
  constructor(
    readonly title: string,
    readonly names: string[],
    readonly mine: Float64Array,
    readonly want: Float64Array,
    readonly ok: boolean[],
  ) {}

  /** Plain text, one row per entry. */
  toString(): string {
    const rows = this.names.map(
      (n, i) => `${n.padEnd(10)} ${fmt(this.mine[i]!).padStart(14)} ${fmt(this.want[i]!).padStart(14)}  ${this.ok[i] ? "ok" : "WRONG"}`,
    );
    return [this.title, `${"entry".padEnd(10)} ${"yours".padStart(14)} ${"expected".padStart(14)}`, ...rows].join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const rows = this.names
      .map((n, i) => {
        const style = this.ok[i] ? "" : ' style="background:#fdd"';
        return `<tr${style}><td>${escapeHtml(n)}</td><td>${fmt(this.mine[i]!)}</td><td>${fmt(this.want[i]!)}</td><td>${this.ok[i] ? "ok" : "<b>WRONG</b>"}</td></tr>`;
      })
      .join("");
    const html = `<table class="gradlab-check"><caption>${escapeHtml(this.title)}</caption><thead><tr><th>entry</th><th>yours</th><th>expected</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(8) : String(v);
}

function entryNames(shape: readonly number[]): string[] {
  const size = shape.reduce((p, q) => p * q, 1);
  return Array.from({ length: size }, (_, k) => {
    if (shape.length === 0) return "value";
    const idx: number[] = [];
    let r = k;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(r % shape[d]!);
      r = Math.floor(r / shape[d]!);
    }
    return `[${idx.join(", ")}]`;
  });
}

/** The checks of one notebook, bound to its `display` and its known mistakes. */
export interface Checker {
  /** A gradient formula `formula(x)` of the scalar function f, vs autodiff and central differences. */
  gradient(id: string, f: (x: Tensor) => Tensor, x: Tensor, formula: (x: Tensor) => Tensor): void;
  /** A Hessian formula `formula(x)` of the scalar function f, vs autodiff and differences of the gradient. */
  hessian(id: string, f: (x: Tensor) => Tensor, x: Tensor, formula: (x: Tensor) => Tensor): void;
  /** Any by-hand answer `answer()` (a tensor, number or record of numbers) vs an independently computed `want`. */
  value(
    id: string,
    answer: () => TensorLike | Record<string, number>,
    want: TensorLike | Record<string, number>,
    opts?: { hint?: (mine: Tensor, want: Tensor) => string | undefined },
  ): void;
  /** A multiple-choice answer (a string), e.g. "forward" or "reverse". */
  choice(id: string, answer: () => string, want: string, why: string): void;
}

/**
 * The checks for one notebook.
 *
 * @example
 * const hw = homework.checker({ display, mistakes: { "logreg-gradient": [{ answer: mul(exp(dot(a, x0)), a), hint: "..." }] } });
 * hw.gradient("logreg-gradient", f, x0, gradient);
 */
export function checker(opts: CheckerOptions = {}): Checker {
  const tol = opts.tol ?? 1e-6;
  const show = (v: unknown) => opts.display?.(v);
  const mistakes = opts.mistakes ?? {};

  /** Runs the student's answer by hand; a throw means "not answered yet" (autodiff is said as such). */
  const run = <T>(id: string, answer: () => T): T => {
    try {
      return byHand(id, answer);
    } catch (e) {
      const err = e as Error;
      if (err.name === "AutodiffInByHandError") throw err;
      // The stub `gradlab assign` writes says "not answered yet" itself; other errors are quoted.
      throw new Error(err.message.startsWith(NOT_ANSWERED) ? `${id}: ${err.message}` : `${id}: not answered yet (${err.message})`, {
        cause: e,
      });
    }
  };
  const answerOf = (id: string, formula: () => unknown, wantShape: readonly number[]): Tensor => {
    const raw = run(id, formula);
    let mine: Tensor;
    try {
      mine = asTensor(raw as TensorLike);
    } catch (e) {
      throw new GradlabError(`${id}: your answer is not a tensor or a number (${(e as Error).message})`, { cause: e });
    }
    if (!sameShape(mine.shape, wantShape)) {
      throw new GradlabError(`${id}: your answer has shape [${mine.shape.join(", ")}], expected shape [${wantShape.join(", ")}]`);
    }
    return mine;
  };

  const hintFor = (id: string, mine: Tensor, want: Tensor, extra?: string): string => {
    const m = mine.toFloat64Array();
    const w = want.toFloat64Array();
    const all = (a: Float64Array) => close(m, a, tol).every(Boolean);
    for (const k of mistakes[id] ?? []) {
      const a = asTensor(k.answer);
      if (a.size === want.size && all(a.toFloat64Array())) return k.hint;
    }
    if (extra) return extra;
    if (m.every((v) => v === 0) && w.some((v) => v !== 0)) return "your answer is all zeros: is it still the blank template?";
    if (all(w.map((v) => -v))) return "sign error: your answer is exactly minus the right one.";
    if (want.ndim === 2 && want.shape[0] === want.shape[1]) {
      const n = want.shape[0]!;
      const t = Float64Array.from({ length: n * n }, (_, k) => w[(k % n) * n + Math.floor(k / n)]!);
      if (all(t)) return "missing transpose: your answer is the transpose of the right one.";
    }
    const dotMW = m.reduce((s, v, i) => s + v * w[i]!, 0);
    const dotWW = w.reduce((s, v) => s + v * v, 0);
    if (dotWW > 0) {
      const scale = dotMW / dotWW;
      if (all(w.map((v) => scale * v))) return `off by a constant factor ${scale.toPrecision(4)}: look for a lost 1/2, 2 or scalar factor.`;
    }
    return "compare your entries with the expected column of the table above; the wrong entries are marked.";
  };

  /** The verdict on `wrong` of `want.size` entries: WRONG names a count of at least 1. */
  const conclude = (
    id: string,
    mine: Tensor,
    want: Tensor,
    wrong: number,
    extraHint?: (mine: Tensor, want: Tensor) => string | undefined,
  ): void => {
    if (wrong > 0) {
      throw new GradlabError(
        `${id}: WRONG (${wrong} of ${want.size} entries disagree). Hint: ${hintFor(id, mine, want, extraHint?.(mine, want))}`,
      );
    }
    console.log(`${id}: correct`);
  };

  /** Compares entry by entry and shows the table. */
  const verdict = (
    id: string,
    mine: Tensor,
    want: Tensor,
    title: string,
    extraHint?: (mine: Tensor, want: Tensor) => string | undefined,
    names = entryNames(want.shape),
  ): void => {
    const ok = close(mine.toFloat64Array(), want.toFloat64Array(), tol);
    show(new EntryTable(title, names, mine.toFloat64Array(), want.toFloat64Array(), ok));
    conclude(id, mine, want, ok.filter((b) => !b).length, extraHint);
  };

  /**
   * The verdict of a gradient or Hessian check from gradcheck's rows (the table shown): the
   * answer is compared with autodiff under the checker's tolerance, entry by entry, so the count
   * is the table's count of "formula ≠ autodiff" rows. When the answer agrees everywhere but
   * autodiff disagrees with finite differences, the reference itself is in doubt: that is said,
   * and is neither "correct" nor "WRONG".
   */
  const fromRows = (id: string, mine: Tensor, want: Tensor, rows: CheckRow[]): void => {
    const wrong = rows.filter((r) => r.formulaOk === false).length;
    const doubtful = rows.filter((r) => !r.fdOk).map((r) => r.entry);
    if (wrong === 0 && doubtful.length > 0) {
      const where = doubtful.length > 5 ? `${doubtful.slice(0, 5).join(", ")} and ${doubtful.length - 5} more` : doubtful.join(", ");
      throw new GradlabError(
        `${id}: could not be checked (your answer agrees with autodiff in all ${want.size} entries, but autodiff ` +
          `disagrees with finite differences at ${where}, see the table: the reference is in doubt, not your answer; tell your instructor)`,
      );
    }
    conclude(id, mine, want, wrong);
  };
  /** gradcheck compares the answer with autodiff as {@link close} does: |mine - want| <= tol (1 + |want|). */
  const formulaTol = { atol: tol, rtol: tol };

  return Object.freeze({
    gradient(id, f, x, formula) {
      const want = grad(f)(x);
      const mine = answerOf(id, () => formula(x), want.shape);
      // Central differences too, so the reference itself is checked (gradcheck's table).
      const report = gradcheck(f, x, { analytic: () => mine, formulaTol });
      show(report);
      fromRows(id, mine, want, report.gradient);
    },
    hessian(id, f, x, formula) {
      const want = hessian(f)(x);
      const mine = answerOf(id, () => formula(x), want.shape);
      const report = gradcheck(f, x, { hessian: () => mine, formulaTol });
      show(report);
      // The gradient rows check autodiff's gradient only (no formula): their FD rows count as doubt too.
      fromRows(id, mine, want, [...report.hessian!, ...report.gradient.filter((r) => !r.fdOk)]);
    },
    value(id, answer, want, o = {}) {
      const isRecord = (v: unknown): v is Record<string, unknown> =>
        typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Float64Array) && !("shape" in v);
      if (isRecord(want)) {
        const keys = Object.keys(want);
        const wantT = tensor(keys.map((k) => Number(want[k])));
        const raw = run(id, answer);
        if (!isRecord(raw))
          throw new GradlabError(`${id}: expected your answer to be an object of numbers { ${keys.join(", ")} }, got ${typeof raw}`);
        const absent = keys.filter((k) => typeof raw[k] !== "number");
        if (absent.length > 0) throw new GradlabError(`${id}: not answered yet (no number for ${absent.join(", ")})`);
        const mine = tensor(keys.map((k) => raw[k] as number));
        verdict(id, mine, wantT, `${id}: your answer vs the expected one`, o.hint, keys);
        return;
      }
      const wantT = asTensor(want as TensorLike);
      const mine = answerOf(id, answer, wantT.shape);
      verdict(id, mine, wantT, `${id}: your answer vs the expected one`, o.hint);
    },
    choice(id, answer, want, why) {
      const mine = run(id, answer);
      if (String(mine).trim().toLowerCase() !== want.toLowerCase())
        throw new GradlabError(`${id}: WRONG (you chose "${String(mine)}"). Hint: ${why}`);
      console.log(`${id}: correct`);
    },
  } satisfies Checker);
}
/**
 * The gradient a differential df(x)[dx] stands for: its value on each basis direction (df is linear in dx).
 *
 * @example
 * gradientOf((x, dx) => dot(a, dx).item(), unit([3]), 3, [3])(x0) // a
 */
export function gradientOf(
  df: (x: Tensor, dx: Tensor) => number,
  basis: (k: number) => Tensor,
  size: number,
  shape: number[],
): (x: Tensor) => Tensor {
  return (x: Tensor) => tensor(Array.from({ length: size }, (_, k) => df(x, basis(k)))).reshape(shape);
}

/**
 * The Hessian a quadratic form d2f(x)[dx, dx] stands for, by polarization: H(u, v) = (q(u + v) - q(u - v)) / 4.
 *
 * @example
 * hessianOf((x, dx) => 2 * dot(dx, dx).item(), unit([2]), 2, [2])(x0) // 2 I
 */
export function hessianOf(
  d2f: (x: Tensor, dx: Tensor) => number,
  basis: (k: number) => Tensor,
  size: number,
  shape: number[],
): (x: Tensor) => Tensor {
  return (x: Tensor) => {
    const H: number[] = [];
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const u = basis(i);
        const v = basis(j);
        H.push((d2f(x, u.add(v)) - d2f(x, u.sub(v))) / 4);
      }
    }
    return tensor(H).reshape([...shape, ...shape]);
  };
}

/**
 * Unit vector / matrix number k (row-major) of the given shape.
 *
 * @example
 * unit([3])(1).toArray() // [0, 1, 0]
 */
export function unit(shape: number[]): (k: number) => Tensor {
  const size = shape.reduce((p, q) => p * q, 1);
  return (k: number) => tensor(Array.from({ length: size }, (_, i) => (i === k ? 1 : 0))).reshape(shape);
}
