/**
 * @file The grader: runs a homework submission and grades it, student file x exercise -> pass/fail.
 *
 * The convention (shared with the homework templates in notebooks/homework/): a cell that checks
 * an exercise carries the tag `check:<exercise-id>` in its metadata, e.g.
 * `"metadata": {"tags": ["check:logreg-gradient"]}`. Every cell of the notebook runs, in order,
 * and execution CONTINUES after a failing cell (unlike `gradlab run`), so one wrong answer does
 * not hide the others. An exercise passes when every cell tagged with its id ran without error;
 * it fails with the error's name and message otherwise, and is "missing" when the student's
 * notebook has no cell with that tag though it is part of the notebook's assignment (see
 * {@link markMissing}); other assignments' exercises are left blank. A table exercise that fails
 * earns part of its points: the share of its entries that are right (the checker's
 * `ENTRIES_MIME` payload, the lowest over the exercise's check cells). A manually graded answer
 * (`manual:<id>`) is listed "to be graded by hand", 0 automatic points of its `points:<n>`.
 */
import { dirname } from "node:path";
import { ENTRIES_MIME } from "../../src/homework/sentinel.js";
import { notebookLanguage, tr } from "../../src/i18n/index.js";
import type { SessionFactory } from "../client/sessions.js";
import { executeNotebook, type CellRun } from "../run/execute.js";
import {
  CHECK_TAG,
  HIDDEN_CHECK_TAG,
  checkLines,
  checkOffset,
  exerciseOf,
  inLanguage,
  langOf,
  matchScore,
  pointsOf,
  restoreFromSource,
  roleOf,
  type ManualAnswer,
  type Tampering,
} from "./format.js";
import { cellSource, kernelName, readNotebook, type Notebook, type NotebookFile } from "../notebook/notebook.js";
import { stripAnsi } from "../notebook/ansi.js";
import { writeFeedback } from "./report.js";

/** One exercise's grade in one file. */
export interface Grade {
  /** `partial`: a table exercise with some entries right; `manual`: a written answer the instructor grades. */
  result: "pass" | "fail" | "partial" | "manual" | "missing";
  /** Why it failed: "<ename>: <evalue>" of the first failing check cell (for `manual`: whether it was answered). */
  message?: string;
  /** For a failed table exercise: the entries right and all entries (the lowest share over its check cells). */
  entries?: { right: number; total: number };
  /** For a failed table exercise graded with its grader cells: the expected values of the wrong entries (for the instructor only). */
  expected?: Record<string, number>;
  /** For `manual`: the student's text, and whether it is more than the placeholder. */
  answer?: string;
  answered?: boolean;
  /** Points earned and available (with --source). */
  points?: number;
  maxPoints?: number;
}

/** The grades of one student file. */
export interface StudentGrades {
  file: string;
  grades: Record<string, Grade>;
  /** Set when the notebook could not be graded at all. */
  fatal?: string;
  /** The source assignment it was graded against (with --source). */
  assignment?: string;
  /** The submission's language (its report is written in it). */
  lang?: string;
  /** Points earned and available (exercises of its assignment; `points:<n>` tags, default 1). */
  score?: number;
  maxScore?: number;
  /** Instructor cells the submission changed (restored), deleted (put back), and cells it added. */
  tampering?: Tampering;
  /** Anything else the instructor should know (kernel died, wrong kernelspec, a cell that failed...). */
  notes?: string[];
}

/**
 * Grades from the cells a notebook ran: each `check:<id>` exercise passes when all its cells did.
 *
 * @example
 * gradeRuns([{ cell: 3, tags: ["check:grad"], status: "ok" }]); // { grad: { result: "pass" } }
 */
export function gradeRuns(runs: CellRun[], taggedIds: string[] = []): Record<string, Grade> {
  const grades: Record<string, Grade> = {};
  for (const id of taggedIds) grades[id] = { result: "fail", message: "check cell did not run" };
  const seen = new Set<string>();
  for (const run of runs) {
    for (const tag of run.tags) {
      const prefix = [CHECK_TAG, HIDDEN_CHECK_TAG].find((p) => tag.startsWith(p));
      if (!prefix) continue;
      const id = tag.slice(prefix.length);
      if (!seen.has(id)) grades[id] = { result: "pass" };
      seen.add(id);
      if (run.status !== "ok" && grades[id].result === "pass") {
        const err = run.error;
        const message = err ? `${err.ename}: ${stripAnsi(err.evalue)}` : run.status;
        grades[id] = { result: "fail", message: message.replace(/\s+/g, " ").slice(0, 300) };
      }
    }
  }
  return grades;
}

/** A table check's score payload as displayed in a cell's outputs. */
interface EntriesPayload {
  exercise: string;
  right: number;
  total: number;
  expected?: Record<string, number>;
}

function payloadsOf(outputs: unknown[] | undefined): EntriesPayload[] {
  const found: EntriesPayload[] = [];
  for (const out of outputs ?? []) {
    const p = (out as { data?: Record<string, unknown> }).data?.[ENTRIES_MIME] as Partial<EntriesPayload> | undefined;
    if (p && typeof p.exercise === "string" && Number.isInteger(p.right) && Number.isInteger(p.total) && p.total! > 0)
      found.push({
        exercise: p.exercise,
        right: Math.max(0, Math.min(p.right!, p.total!)),
        total: p.total!,
        ...(p.expected && typeof p.expected === "object" ? { expected: p.expected } : {}),
      });
  }
  return found;
}

/**
 * Partial credit for failed table exercises: when every failing check cell of an exercise showed
 * its table (the payload, so the answer ran and was compared), the grade becomes `partial` with
 * the lowest share of right entries over all its check cells; a failing cell without a payload
 * (an error, a non-table check) leaves the grade as it is. The lowest share is taken so that a
 * payload a student's code displays itself cannot raise the score.
 *
 * @example
 * partialCredit(nb, runs, grades); // grades["graph-adjoints"] = { result: "partial", entries: { right: 6, total: 8 }, ... }
 */
export function partialCredit(nb: Notebook, runs: CellRun[], grades: Record<string, Grade>): void {
  const seen = new Map<string, { payloads: EntriesPayload[]; unexplained: boolean }>();
  for (const run of runs) {
    const ids = run.tags.filter((t) => t.startsWith(CHECK_TAG) || t.startsWith(HIDDEN_CHECK_TAG)).map((t) => t.slice(t.indexOf(":") + 1));
    for (const id of ids) {
      const mine = payloadsOf(nb.cells[run.cell - 1]?.outputs).filter((p) => p.exercise === id);
      const entry = seen.get(id) ?? { payloads: [], unexplained: false };
      entry.payloads.push(...mine);
      if (run.status !== "ok" && mine.every((p) => p.right === p.total)) entry.unexplained = true;
      seen.set(id, entry);
    }
  }
  for (const [id, { payloads, unexplained }] of seen) {
    const g = grades[id];
    if (!g || g.result !== "fail" || unexplained || payloads.length === 0) continue;
    const worst = payloads.reduce((a, b) => (b.right / b.total < a.right / a.total ? b : a));
    grades[id] = {
      ...g,
      result: worst.right === 0 ? "fail" : "partial",
      entries: { right: worst.right, total: worst.total },
      ...(worst.expected ? { expected: worst.expected } : {}),
    };
  }
}

/** The grade of a manually graded answer: to be graded by hand, or not answered. */
export function manualGrade(m: ManualAnswer, lang = "en"): Grade {
  return {
    result: "manual",
    message: inLanguage(lang, () => (m.answered ? tr("to be graded by hand") : tr("not answered (the placeholder is unchanged)"))),
    answer: m.text,
    answered: m.answered,
    points: 0,
    maxPoints: m.points,
  };
}

/**
 * Marks the exercises each file lacks as "missing", within its own assignment: exercises that
 * appear together in some file form one assignment (connected components), so grading several
 * assignments at once leaves the other assignments' exercises blank. A file with no check cell
 * at all misses every exercise.
 *
 * @example
 * markMissing([{ file: "a", grades: { x: ok, y: ok } }, { file: "b", grades: { x: ok } }, { file: "c", grades: { z: ok } }]);
 * // b gets y: missing; c gets nothing more (z is another assignment)
 */
export function markMissing(students: StudentGrades[]): void {
  const parent = new Map<string, string>();
  const find = (e: string): string => {
    let r = e;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(e, r);
    return r;
  };
  for (const s of students) {
    const ids = Object.keys(s.grades);
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]!));
  }
  const all = [...parent.keys()];
  for (const s of students) {
    if (s.fatal) continue;
    const mine = new Set(Object.keys(s.grades).map(find));
    for (const e of all) if ((mine.size === 0 || mine.has(find(e))) && !s.grades[e]) s.grades[e] = { result: "missing" };
  }
}
/** A source assignment: its name and notebook. */
export interface Source {
  name: string;
  nb: Notebook;
}

/** Options of {@link gradeSubmission}. */
export interface GradeOptions {
  sources: Source[];
  outDir: string;
  timeoutMs: number;
  notebookTimeoutMs: number;
  sessions: SessionFactory;
}

/**
 * The source a submission is a copy of: the one sharing most cell ids, on a tie the one in the
 * submission's language (a folder of sources holds each assignment in English and in `ru/`);
 * an error naming the candidates when none matches.
 */
function pickSource(sub: Notebook, sources: Source[]): Source {
  let best: Source | undefined;
  let bestScore = 0;
  const lang = langOf(sub);
  for (const s of sources) {
    const score = matchScore(s.nb, sub);
    const tieInLanguage = best !== undefined && score === bestScore && langOf(best.nb) !== lang && langOf(s.nb) === lang;
    if (score > bestScore || tieInLanguage) [best, bestScore] = [s, score];
  }
  if (!best) {
    const meta = (sub.metadata.gradlab as { assignment?: string } | undefined)?.assignment;
    const says = meta ? ` (its metadata names the assignment "${meta}")` : "";
    throw new Error(
      `not a copy of ${sources.length === 1 ? `assignment ${sources[0]!.name}` : `any of the assignments ${sources.map((s) => s.name).join(", ")}`}: none of its cell ids is in the source${says}`,
    );
  }
  return best;
}

function kernelNote(sub: Notebook, graded: Notebook): string | undefined {
  const want = kernelName(graded);
  const spec = sub.metadata.kernelspec;
  if (!spec || !spec.name) return tr("no kernelspec in the submission's metadata: graded with the source's kernel ({want})", { want });
  if (spec.name !== want)
    return tr('the submission asks for kernel "{name}": graded with the source\'s kernel ({want})', { name: spec.name, want });
  return undefined;
}

/**
 * Grades one submission: reads it (a row saying why when it is not a notebook), rebuilds it
 * against its source (with --source), runs every cell with per-cell and per-notebook time
 * limits, and writes the executed notebook and its feedback page.
 *
 * @example
 * const row = await gradeSubmission({ path: "/s/alice.ipynb", rel: "alice.ipynb" }, opts);
 */
export async function gradeSubmission(file: NotebookFile, o: GradeOptions): Promise<StudentGrades> {
  const student: StudentGrades = { file: file.rel, grades: {} };
  let nb: Notebook | undefined;
  try {
    const sub = readNotebook(file.path);
    let code: ReadonlyMap<number, string> | undefined;
    let manual: ManualAnswer[] = [];
    student.lang = langOf(sub);
    if (o.sources.length > 0) {
      const source = pickSource(sub, o.sources);
      const graded = restoreFromSource(source.nb, sub, source.name);
      nb = graded.nb;
      code = graded.code;
      manual = graded.manual;
      student.assignment = source.name;
      student.tampering = graded.tampering;
      const note = inLanguage(student.lang, () => kernelNote(sub, graded.nb));
      if (note) (student.notes ??= []).push(note);
    } else {
      nb = sub;
    }
    const exercises = new Map<string, number>();
    for (const c of nb.cells) {
      const id = exerciseOf(c);
      if (id !== undefined) exercises.set(id, Math.max(exercises.get(id) ?? 0, roleOf(c) === "check" ? pointsOf(c) : 0));
    }
    const session = await o.sessions.start(kernelName(nb), dirname(file.path), {
      path: file.path,
      language: notebookLanguage({ language: student.lang }),
    });
    try {
      const run = await executeNotebook(nb, session, {
        timeoutMs: o.timeoutMs,
        notebookTimeoutMs: o.notebookTimeoutMs,
        stopOnError: false,
        code,
      });
      if (code) fixCheckLines(nb, run.runs, code);
      student.grades = gradeRuns(run.runs, [...exercises.keys()]);
      partialCredit(nb, run.runs, student.grades);
      for (const m of manual) student.grades[m.exercise] = manualGrade(m, student.lang);
      for (const r of run.runs) {
        if (r.status === "ok" || r.tags.some((t) => t.startsWith(CHECK_TAG) || t.startsWith(HIDDEN_CHECK_TAG))) continue;
        const what = r.error ? `${r.error.ename}: ${stripAnsi(r.error.evalue)}`.replace(/\s+/g, " ").slice(0, 200) : r.status;
        (student.notes ??= []).push(inLanguage(student.lang!, () => tr("cell {cell} failed: {what}", { cell: r.id ?? r.cell, what })));
      }
      const died = run.runs.find((r) => r.error?.ename === "KernelError");
      if (died)
        (student.notes ??= []).push(
          inLanguage(student.lang!, () =>
            tr("the kernel stopped at cell {cell} (process.exit or a crash); later cells did not run", { cell: died.id ?? died.cell }),
          ),
        );
    } finally {
      await session.close();
    }
    if (o.sources.length > 0) {
      for (const [id, max] of exercises) {
        const g = student.grades[id];
        if (!g) continue;
        const share = g.result === "pass" ? 1 : g.result === "partial" && g.entries ? g.entries.right / g.entries.total : 0;
        g.points = Math.round(max * share * 100) / 100;
        g.maxPoints = max;
      }
      const graded = Object.values(student.grades);
      student.maxScore = graded.reduce((a, g) => a + (g.maxPoints ?? 0), 0);
      student.score = Math.round(graded.reduce((a, g) => a + (g.points ?? 0), 0) * 100) / 100;
    }
  } catch (e) {
    student.fatal = (e as Error).message;
  }
  try {
    writeFeedback(file, nb, student, o.outDir);
  } catch (e) {
    (student.notes ??= []).push(`could not write its feedback: ${(e as Error).message}`);
  }
  process.stderr.write(`check: ${student.fatal ? "error" : "graded"} ${file.rel}\n`);
  return student;
}

/** Error line numbers of wrapped checks, made the check cells' own (outputs and run records). */
export function fixCheckLines(nb: Notebook, runs: CellRun[], code: ReadonlyMap<number, string>): void {
  for (const r of runs) {
    const cell = nb.cells[r.cell - 1];
    const wrapped = code.get(r.cell - 1);
    if (!cell || wrapped === undefined || !r.error) continue;
    const offset = checkOffset(wrapped, cellSource(cell));
    const fix = (t: string) => checkLines(t, offset);
    r.error = { ...r.error, evalue: fix(r.error.evalue), traceback: r.error.traceback.map(fix) };
    for (const out of cell.outputs ?? []) {
      if (out.output_type !== "error") continue;
      const e = out as unknown as { evalue: string; traceback: string[] };
      e.evalue = fix(e.evalue);
      e.traceback = e.traceback.map(fix);
    }
  }
}
