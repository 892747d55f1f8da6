/**
 * @file The checking helpers of the homework notebooks (`import { homework } from "gradlab"`).
 *
 * They live in the library, not in a notebook cell, so a student's cell cannot redefine them:
 * `homework` is an ES module namespace (read-only), and `gradlab check` re-creates the checker of
 * each check cell from the instructor's setup and grader cells (see docs/instructors.md). A check
 * compares the student's formula with an independent answer (autodiff, central differences or a
 * closed form) entry by entry, displays the table, and throws
 * `"<id>: WRONG (k of N entries disagree). Hint: ..."` (k >= 1: WRONG always counts the entries
 * that are wrong), `"<id>: not answered yet"` (only for the blank template's own sentinel, see
 * sentinel.ts) or `"<id>: your answer raised TypeError: ..."` (any other error of the answer);
 * when the answer agrees with autodiff in every entry but autodiff disagrees with finite
 * differences, the check cannot vouch for its reference and throws `"<id>: could not be checked (...)"`.
 *
 * Rules the code relies on:
 * - The student's code always runs inside {@link byHand}, so an answer that calls autodiff, the
 *   graph API or a {@link provided} function fails; the checker's own calls run outside it.
 * - Hints for typical mistakes are registered by the instructor's `grader` cells
 *   ({@link Checker.mistakes}, {@link Checker.hints}), which the student copy does not hold: a
 *   checker without them says what is wrong and that hints come with grading.
 * - A table check displays, with its table, the payload {@link ENTRIES_MIME}
 *   `{ exercise, right, total }` that `gradlab check` turns into partial credit; its table hides
 *   the expected values. When grading (grader cells registered hints), the payload also carries
 *   the expected values of the wrong entries, for the instructor's check.json; no view shows them.
 * - Every text goes through `tr` (the notebook's language).
 *
 * ```ts
 * import { homework } from "gradlab";
 * const f = homework.provided("f", (x: Tensor) => log1p(exp(dot(a, x))));
 * const hw = homework.checker({ display });
 * hw.gradient("logreg-gradient", f, x0, gradient);
 * ```
 */
import { byHand } from "../core/byhand.js";
import { gradcheck } from "../check/gradcheck.js";
import type { CheckRow } from "../check/report.js";
import { escapeHtml } from "../display/escape.js";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.js";
import { recordGraph } from "../graph/record.js";
import { tr } from "../i18n/index.js";
import { randn } from "../random.js";
import { asTensor, tensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { grad } from "../transforms/grad.js";
import { hessian } from "../transforms/hessian.js";
import { GradlabError } from "../tensor/errors.js";
import { ENTRIES_MIME, isNotAnswered, NOT_ANSWERED_MESSAGES } from "./sentinel.js";

export { ENTRIES_MIME };

export { provided } from "../core/byhand.js";

/** A wrong answer students often give, and what to tell them when theirs matches it. */
export interface Mistake {
  answer: TensorLike | Record<string, number>;
  hint: string;
}

/** A hint computed from the student's entries and the expected ones (undefined: no hint from it). */
export type Hint = (mine: Tensor, want: Tensor) => string | undefined;

/** What {@link checker} needs: the notebook's `display` (and, from grader cells, the known mistakes). */
export interface CheckerOptions {
  display?: (value: unknown) => void;
  /** Known mistakes per exercise id; prefer registering them in a `grader` cell with {@link Checker.mistakes}. */
  mistakes?: Record<string, Mistake[]>;
  /** Relative tolerance per entry (default 1e-6). */
  tol?: number;
}

/** The message of the blank template's stub (English); checks report it as "not answered yet". */
export const NOT_ANSWERED = NOT_ANSWERED_MESSAGES.en!;

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

/** A per-entry table: yours vs expected (or yours only, for a table exercise), wrong entries marked. */
export class EntryTable {
  constructor(
    readonly title: string,
    readonly names: string[],
    readonly mine: Float64Array,
    readonly want: Float64Array,
    readonly ok: boolean[],
    /** Set for a table exercise: the expected column is hidden and the score payload is attached. */
    readonly exercise?: string,
    /** Whether the payload may carry the expected values of the wrong entries (when grading: for the instructor's report). */
    readonly forGrader = false,
    /** Hide the expected column without a payload (a gradient check whose values would give away a table's entries). */
    readonly hideExpected = false,
  ) {}

  private get hidden(): boolean {
    return this.exercise !== undefined || this.hideExpected;
  }

  /** Plain text, one row per entry. */
  toString(): string {
    const verdict = (ok: boolean) => (ok ? tr("ok") : tr("WRONG"));
    const rows = this.names.map(
      (n, i) =>
        `${n.padEnd(10)} ${fmt(this.mine[i]!).padStart(14)} ${this.hidden ? "" : `${fmt(this.want[i]!).padStart(14)} `} ${verdict(this.ok[i]!)}`,
    );
    const head = `${tr("entry").padEnd(10)} ${tr("yours").padStart(14)}${this.hidden ? "" : ` ${tr("expected").padStart(14)}`}`;
    return [this.title, head, ...rows].join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const rows = this.names
      .map((n, i) => {
        const style = this.ok[i] ? "" : ' style="background:#fdd"';
        const want = this.hidden ? "" : `<td>${fmt(this.want[i]!)}</td>`;
        return `<tr${style}><td>${escapeHtml(n)}</td><td>${fmt(this.mine[i]!)}</td>${want}<td>${this.ok[i] ? escapeHtml(tr("ok")) : `<b>${escapeHtml(tr("WRONG"))}</b>`}</td></tr>`;
      })
      .join("");
    const head = `<th>${escapeHtml(tr("entry"))}</th><th>${escapeHtml(tr("yours"))}</th>${this.hidden ? "" : `<th>${escapeHtml(tr("expected"))}</th>`}<th></th>`;
    const html = `<table class="gradlab-check"><caption>${escapeHtml(this.title)}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    const bundle: MimeBundle = { "text/plain": this.toString(), "text/html": html };
    if (this.exercise !== undefined)
      bundle[ENTRIES_MIME] = {
        exercise: this.exercise,
        right: this.ok.filter(Boolean).length,
        total: this.ok.length,
        ...(this.forGrader ? { expected: Object.fromEntries(this.names.flatMap((n, i) => (this.ok[i] ? [] : [[n, this.want[i]!]]))) } : {}),
      };
    return bundle;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(8) : String(v);
}

function entryNames(shape: readonly number[]): string[] {
  const size = shape.reduce((p, q) => p * q, 1);
  return Array.from({ length: size }, (_, k) => {
    if (shape.length === 0) return tr("value");
    const idx: number[] = [];
    let r = k;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(r % shape[d]!);
      r = Math.floor(r / shape[d]!);
    }
    return `[${idx.join(", ")}]`;
  });
}

/**
 * Where in the student's cells an error was raised: the first frame in a notebook cell
 * (`cell[5]:3:10`, the script of the cell run as In [5]), as the cell's line when the kernel
 * publishes its cells' source maps (`Symbol.for("gradlab.cellLine")`), else the compiled line.
 */
function whereRaised(e: Error): string {
  const m = /\b(cell\[(\d+)\]):(\d+):(\d+)/.exec(e.stack ?? "");
  if (!m) return "";
  const lookup = (globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.cellLine")] as
    ((script: string, line: number, column: number) => number | undefined) | undefined;
  const line = lookup?.(m[1]!, Number(m[3]), Number(m[4])) ?? Number(m[3]);
  return ` ${tr("(cell [{cell}], line {line})", { cell: m[2]!, line })}`;
}

/**
 * The error to report for an answer that threw `e`: the blank template's sentinel is "not
 * answered yet", a by-hand violation is passed on, anything else is "your answer raised ...".
 *
 * @example
 * answerError("g", new TypeError("x.add is not a function")).message; // "g: your answer raised TypeError: x.add is not a function"
 */
export function answerError(id: string, e: unknown): Error {
  if (e instanceof Error && e.name === "AutodiffInByHandError") return e;
  if (isNotAnswered(e)) return new GradlabError(tr("{id}: not answered yet", { id }), { cause: e });
  const err = e instanceof Error ? e : new Error(String(e));
  return new GradlabError(tr("{id}: your answer raised {error}", { id, error: `${err.name}: ${err.message}` }) + whereRaised(err), {
    cause: e,
  });
}

/** The checks of one notebook, bound to its `display` and its known mistakes. */
export interface Checker {
  /** A gradient formula `formula(x)` of the scalar function f, vs autodiff and central differences. */
  gradient(id: string, f: (x: Tensor) => Tensor, x: Tensor, formula: (x: Tensor) => Tensor, opts?: { hideExpected?: boolean }): void;
  /** A Hessian formula `formula(x)` of the scalar function f, vs autodiff and differences of the gradient. */
  hessian(id: string, f: (x: Tensor) => Tensor, x: Tensor, formula: (x: Tensor) => Tensor, opts?: { hideExpected?: boolean }): void;
  /** Any by-hand answer `answer()` (a tensor, number or record of numbers) vs an independently computed `want`. */
  value(
    id: string,
    answer: () => TensorLike | Record<string, number>,
    want: TensorLike | Record<string, number>,
    opts?: { hint?: Hint },
  ): void;
  /**
   * A table exercise (an adjoint or tangent table: a record of numbers, or a tensor): which
   * entries are right is shown, the expected values are not, and grading gives partial credit
   * (right entries / all entries of the exercise's points).
   */
  table(
    id: string,
    answer: () => TensorLike | Record<string, number>,
    want: TensorLike | Record<string, number>,
    opts?: { hint?: Hint; names?: string[] },
  ): void;
  /**
   * A differential `answer(x, dx)` (linear in dx) vs `expected(x, dx)` on `directions` random
   * directions dx drawn from `seed` (not basis vectors, so an answer that is not linear in dx fails).
   */
  differential(
    id: string,
    answer: (x: Tensor, dx: Tensor) => TensorLike,
    expected: (x: Tensor, dx: Tensor) => TensorLike,
    opts: { x: Tensor; directions?: number; seed?: number; dxShape?: number[] },
  ): void;
  /** A multiple-choice answer (a string), e.g. "forward" or "reverse"; `why` is the hint when wrong. */
  choice(id: string, answer: () => string, want: string, why?: string): void;
  /**
   * The shapes of every intermediate of `fn(...args)` (its recorded graph's op and call vertices,
   * and the tensors it closes over), with the student's `fn` run by hand.
   */
  shapes(id: string, fn: (...args: Tensor[]) => TensorLike, ...args: TensorLike[]): number[][];
  /** Fails when `fn(...args)` builds or closes over an `n`×`n` intermediate (two axes of length n). */
  noSquare(id: string, fn: (...args: Tensor[]) => TensorLike, args: TensorLike[], n: number): void;
  /** Registers known mistakes per exercise id (call it in a `grader` cell: the student copy has none). */
  mistakes(m: Record<string, Mistake[]>): void;
  /** Registers a computed hint per exercise id (call it in a `grader` cell). */
  hints(h: Record<string, Hint>): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Float64Array) && !("shape" in v);

/**
 * The checks for one notebook.
 *
 * @example
 * const hw = homework.checker({ display });
 * hw.gradient("logreg-gradient", f, x0, gradient);
 */
export function checker(opts: CheckerOptions = {}): Checker {
  const tol = opts.tol ?? 1e-6;
  const show = (v: unknown) => opts.display?.(v);
  const mistakes: Record<string, Mistake[]> = { ...(opts.mistakes ?? {}) };
  const hints: Record<string, Hint> = {};
  /** Whether hints for typical mistakes were registered (a grader cell ran, or the options gave some). */
  let graded = opts.mistakes !== undefined;

  /** Runs the student's answer by hand; its errors are reported by {@link answerError}. */
  const run = <T>(id: string, answer: () => T): T => {
    try {
      return byHand(id, answer);
    } catch (e) {
      throw answerError(id, e);
    }
  };
  const answerOf = (id: string, formula: () => unknown, wantShape: readonly number[]): Tensor => {
    const raw = run(id, formula);
    let mine: Tensor;
    try {
      mine = asTensor(raw as TensorLike);
    } catch (e) {
      throw new GradlabError(tr("{id}: your answer is not a tensor or a number ({why})", { id, why: (e as Error).message }), { cause: e });
    }
    if (!sameShape(mine.shape, wantShape)) {
      throw new GradlabError(
        tr("{id}: your answer has shape [{got}], expected shape [{want}]", { id, got: mine.shape.join(", "), want: wantShape.join(", ") }),
      );
    }
    return mine;
  };
  /** The answer as a tensor of the record's keys (in `keys` order) or of `wantShape`. */
  const recordOf = (id: string, answer: () => unknown, keys: string[]): Tensor => {
    const raw = run(id, answer);
    if (!isRecord(raw))
      throw new GradlabError(
        tr("{id}: expected your answer to be an object of numbers { {keys} }, got {got}", { id, keys: keys.join(", "), got: typeof raw }),
      );
    const absent = keys.filter((k) => typeof raw[k] !== "number");
    if (absent.length > 0) throw new GradlabError(tr("{id}: not answered yet (no number for {keys})", { id, keys: absent.join(", ") }));
    return tensor(keys.map((k) => raw[k] as number));
  };

  const hintFor = (id: string, mine: Tensor, want: Tensor, extra?: Hint): string => {
    const m = mine.toFloat64Array();
    const w = want.toFloat64Array();
    const all = (a: Float64Array) => close(m, a, tol).every(Boolean);
    for (const k of mistakes[id] ?? []) {
      const a = isRecord(k.answer) ? Float64Array.from(Object.values(k.answer).map(Number)) : asTensor(k.answer).toFloat64Array();
      if (a.length === want.size && all(a)) return k.hint;
    }
    const given = extra?.(mine, want) ?? hints[id]?.(mine, want);
    if (given) return given;
    if (m.every((v) => v === 0) && w.some((v) => v !== 0)) return tr("your answer is all zeros: is it still the blank template?");
    if (all(w.map((v) => -v))) return tr("sign error: your answer is exactly minus the right one.");
    if (want.ndim === 2 && want.shape[0] === want.shape[1]) {
      const n = want.shape[0]!;
      const t = Float64Array.from({ length: n * n }, (_, k) => w[(k % n) * n + Math.floor(k / n)]!);
      if (all(t)) return tr("missing transpose: your answer is the transpose of the right one.");
    }
    const dotMW = m.reduce((s, v, i) => s + v * w[i]!, 0);
    const dotWW = w.reduce((s, v) => s + v * v, 0);
    if (dotWW > 0) {
      const scale = dotMW / dotWW;
      if (all(w.map((v) => scale * v)))
        return tr("off by a constant factor {scale}: look for a lost 1/2, 2 or scalar factor.", { scale: scale.toPrecision(4) });
    }
    return graded
      ? tr("compare your entries with the table above; the wrong entries are marked.")
      : tr("the wrong entries are marked in the table above; hints for typical mistakes come with grading.");
  };

  /** The verdict on `wrong` of `want.size` entries: WRONG names a count of at least 1 (and, for tables, the entries). */
  const conclude = (id: string, mine: Tensor, want: Tensor, wrong: number, extraHint?: Hint, wrongNames?: string[]): void => {
    if (wrong > 0) {
      const which = wrongNames ? ` ${tr("Wrong: {entries}.", { entries: wrongNames.join(", ") })}` : "";
      throw new GradlabError(
        `${tr("{id}: WRONG ({k} of {n} entries disagree).", { id, k: wrong, n: want.size })}${which} ${tr("Hint: {hint}", { hint: hintFor(id, mine, want, extraHint) })}`,
      );
    }
    console.log(tr("{id}: correct", { id }));
  };

  /** Compares entry by entry and shows the table (for a table exercise: without the expected column). */
  const verdict = (
    id: string,
    mine: Tensor,
    want: Tensor,
    title: string,
    extraHint?: Hint,
    names = entryNames(want.shape),
    table = false,
  ): void => {
    const ok = close(mine.toFloat64Array(), want.toFloat64Array(), tol);
    show(new EntryTable(title, names, mine.toFloat64Array(), want.toFloat64Array(), ok, table ? id : undefined, graded));
    const wrongNames = table ? names.filter((_, i) => !ok[i]) : undefined;
    conclude(id, mine, want, ok.filter((b) => !b).length, extraHint, wrongNames);
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
      const where =
        doubtful.length > 5
          ? tr("{first} and {more} more", { first: doubtful.slice(0, 5).join(", "), more: doubtful.length - 5 })
          : doubtful.join(", ");
      throw new GradlabError(
        tr(
          "{id}: could not be checked (your answer agrees with autodiff in all {n} entries, but autodiff disagrees with finite differences at {where}, see the table: the reference is in doubt, not your answer; tell your instructor)",
          { id, n: want.size, where },
        ),
      );
    }
    conclude(id, mine, want, wrong);
  };
  /** The student's entries, right ones marked, without the reference values (`hideExpected`). */
  const hiddenTable = (id: string, mine: Tensor, want: Tensor) => {
    const [m, w] = [mine.toFloat64Array(), want.toFloat64Array()];
    return new EntryTable(
      tr("{id}: your entries (the expected values are not shown)", { id }),
      entryNames(want.shape),
      m,
      w,
      close(m, w, tol),
      undefined,
      false,
      true,
    );
  };
  /** gradcheck compares the answer with autodiff as {@link close} does: |mine - want| <= tol (1 + |want|). */
  const formulaTol = { atol: tol, rtol: tol };

  /** The graph of the student's `fn(...args)`, recorded by the checker with `fn` itself run by hand. */
  const traced = (id: string, fn: (...args: Tensor[]) => TensorLike, args: TensorLike[]) => {
    try {
      return recordGraph((...a: Tensor[]) => byHand(id, () => fn(...a)), args);
    } catch (e) {
      throw answerError(id, e);
    }
  };
  const shapesOf = (id: string, fn: (...args: Tensor[]) => TensorLike, args: TensorLike[]) => {
    const g = traced(id, fn, args);
    return [
      ...g.vertices.filter((v) => v.kind !== "input").map((v) => ({ label: `u${v.id} = ${v.op}`, shape: v.value.shape })),
      ...g.vertices.flatMap((v) =>
        (v.constants ?? []).map((c) => ({ label: tr("a constant of u{k}", { k: v.id }), shape: c.value.shape })),
      ),
    ];
  };

  return Object.freeze({
    gradient(id, f, x, formula, o = {}) {
      const want = grad(f)(x);
      const mine = answerOf(id, () => formula(x), want.shape);
      // Central differences too, so the reference itself is checked (gradcheck's table).
      const report = gradcheck(f, x, { analytic: () => mine, formulaTol });
      show(o.hideExpected ? hiddenTable(id, mine, want) : report);
      fromRows(id, mine, want, report.gradient);
    },
    hessian(id, f, x, formula, o = {}) {
      const want = hessian(f)(x);
      const mine = answerOf(id, () => formula(x), want.shape);
      const report = gradcheck(f, x, { hessian: () => mine, formulaTol });
      show(o.hideExpected ? hiddenTable(id, mine, want) : report);
      // The gradient rows check autodiff's gradient only (no formula): their FD rows count as doubt too.
      fromRows(id, mine, want, [...report.hessian!, ...report.gradient.filter((r) => !r.fdOk)]);
    },
    value(id, answer, want, o = {}) {
      const title = tr("{id}: your answer vs the expected one", { id });
      if (isRecord(want)) {
        const keys = Object.keys(want);
        verdict(id, recordOf(id, answer, keys), tensor(keys.map((k) => Number(want[k]))), title, o.hint, keys);
        return;
      }
      const wantT = asTensor(want as TensorLike);
      verdict(id, answerOf(id, answer, wantT.shape), wantT, title, o.hint);
    },
    table(id, answer, want, o = {}) {
      const title = tr("{id}: your entries (the expected values are not shown)", { id });
      if (isRecord(want)) {
        const keys = Object.keys(want);
        verdict(id, recordOf(id, answer, keys), tensor(keys.map((k) => Number(want[k]))), title, o.hint, o.names ?? keys, true);
        return;
      }
      const wantT = asTensor(want as TensorLike);
      verdict(id, answerOf(id, answer, wantT.shape), wantT, title, o.hint, o.names ?? entryNames(wantT.shape), true);
    },
    differential(id, answer, expected, o) {
      const k = o.directions ?? 3;
      if (!(Number.isInteger(k) && k >= 1))
        throw new GradlabError(tr("differential: expected directions to be a whole number >= 1, got {got}", { got: String(o.directions) }));
      const seed = o.seed ?? 0;
      const dxs = Array.from({ length: k }, (_, j) => randn(o.dxShape ?? o.x.shape, { seed: seed + j }));
      const wants = dxs.map((dx) => asTensor(expected(o.x, dx)));
      const mines = dxs.map((dx, j) => answerOf(id, () => answer(o.x, dx), wants[j]!.shape));
      const flat = (ts: Tensor[]) => tensor(ts.flatMap((t) => Array.from(t.toFloat64Array())));
      const names = wants.flatMap((w, j) => entryNames(w.shape).map((n) => (w.size === 1 ? `dx${j + 1}` : `dx${j + 1} ${n}`)));
      verdict(
        id,
        flat(mines),
        flat(wants),
        tr("{id}: your differential on random directions dx vs the expected one", { id }),
        undefined,
        names,
      );
    },
    choice(id, answer, want, why) {
      const mine = run(id, answer);
      if (String(mine).trim().toLowerCase() !== want.toLowerCase()) {
        const hint = why ?? hints[id]?.(tensor(0), tensor(0));
        throw new GradlabError(
          tr('{id}: WRONG (you chose "{choice}").', { id, choice: String(mine) }) + (hint ? ` ${tr("Hint: {hint}", { hint })}` : ""),
        );
      }
      console.log(tr("{id}: correct", { id }));
    },
    shapes(id, fn, ...args) {
      return shapesOf(id, fn, args).map((s) => s.shape);
    },
    noSquare(id, fn, args, n) {
      const square = shapesOf(id, fn, args).find((s) => s.shape.filter((d) => d === n).length >= 2);
      if (square)
        throw new GradlabError(
          tr(
            "{id}: WRONG: your answer builds a {n}×{n} intermediate ({what}, shape [{shape}]); the exercise asks for it without any {n}×{n} matrix.",
            {
              id,
              n,
              what: square.label,
              shape: square.shape.join(", "),
            },
          ),
        );
      console.log(tr("{id}: no {n}×{n} intermediate", { id, n }));
    },
    mistakes(m) {
      graded = true;
      for (const [id, list] of Object.entries(m)) mistakes[id] = [...(mistakes[id] ?? []), ...list];
    },
    hints(h) {
      graded = true;
      Object.assign(hints, h);
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
