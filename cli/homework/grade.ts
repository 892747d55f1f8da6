/**
 * @file `gradlab check`: grades homework notebooks, student file x exercise -> pass/fail.
 *
 * The convention (shared with the homework templates in notebooks/homework/): a cell that checks
 * an exercise carries the tag `check:<exercise-id>` in its metadata, e.g.
 * `"metadata": {"tags": ["check:logreg-gradient"]}`. Every cell of the notebook runs, in order,
 * and execution CONTINUES after a failing cell (unlike `gradlab run`), so one wrong answer does
 * not hide the others. An exercise passes when every cell tagged with its id ran without error;
 * it fails with the error's name and message otherwise, and is "missing" when the student's
 * notebook has no cell with that tag though it is part of the notebook's assignment (see
 * {@link markMissing}); other assignments' exercises are left blank.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "../args.js";
import { sessionFactory, pool } from "../run/command.js";
import { executeNotebook, type CellRun } from "../run/execute.js";
import { CHECK_TAG, HIDDEN_CHECK_TAG, checkLines, checkOffset, exerciseOf, langOf, matchScore, pointsOf, restoreFromSource, roleOf, type Tampering } from "./format.js";
import { escapeHtml, renderNotebookHtml, renderPageHtml, writeAssets } from "../html/page.js";
import { cellSource, findNotebooks, kernelName, notebookJson, readNotebook, type Notebook, type NotebookFile } from "../notebook/notebook.js";
import { stripAnsi } from "../run/report.js";
import type { SessionFactory } from "../client/sessions.js";

export { CHECK_TAG };

const USAGE = `usage: gradlab check [--source DIR_OR_FILES] SUBMISSIONS... [--out DIR] [--timeout S] [--notebook-timeout S]
                     [--concurrency N] [--server URL --token T [--server-root DIR]]

Runs every cell of each submitted notebook (continuing past failures) and grades each exercise:
an exercise passes when every cell tagged "check:<id>" (and, with --source, "hidden-check:<id>")
runs without error. Prints a table and writes DIR/check.csv, DIR/check.json, the executed
notebooks, DIR/feedback/<submission>.html and the class summary DIR/index.html (default DIR: out/check).

  --source X           the assignments' source notebooks (files or folders, comma-separated): every instructor
                       cell is restored from the source by cell id before running, missing ones
                       are put back, hidden checks are added, and modified, deleted or added
                       cells are reported; the student's answer cells are kept
  --timeout S          per-cell time limit in seconds (default 60)
  --notebook-timeout S time limit per submission in seconds (default 600)
  --concurrency N      submissions graded at once, each in its own kernel (default 1)
  --server URL         grade on a Jupyter server (--token T, --server-root DIR as for gradlab run)`;

/** One exercise's grade in one file. */
export interface Grade {
  result: "pass" | "fail" | "missing";
  /** Why it failed: "<ename>: <evalue>" of the first failing check cell. */
  message?: string;
}

/** The grades of one student file. */
export interface StudentGrades {
  file: string;
  grades: Record<string, Grade>;
  /** Set when the notebook could not be graded at all. */
  fatal?: string;
  /** The source assignment it was graded against (with --source). */
  assignment?: string;
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

/** One file's row of results: "error" everywhere when it could not be graded, blank outside its assignment. */
function gradeCells(exercises: string[], s: StudentGrades): string[] {
  return exercises.map((e) => (s.fatal ? "error" : (s.grades[e]?.result ?? "")));
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The grade table as CSV: one row per file, one column per exercise, then the pass count.
 *
 * @example
 * gradesCsv(["grad"], [{ file: "a.ipynb", grades: { grad: { result: "pass" } } }]);
 * // "file,grad,passed\na.ipynb,pass,1\n" (plus score, max_score, tampering, notes when graded with --source)
 */
export function gradesCsv(exercises: string[], students: StudentGrades[]): string {
  const scored = students.some((s) => s.maxScore !== undefined);
  const rows = [["file", ...exercises, "passed", ...(scored ? ["score", "max_score", "tampering", "notes"] : [])]];
  for (const s of students) {
    const cells = gradeCells(exercises, s);
    const extra = scored ? [String(s.score ?? 0), String(s.maxScore ?? ""), tamperingText(s.tampering), [s.fatal, ...(s.notes ?? [])].filter(Boolean).join("; ")] : [];
    rows.push([s.file, ...cells, String(cells.filter((c) => c === "pass").length), ...extra]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/**
 * The grade table for the terminal, followed by each failure's message.
 *
 * @example
 * gradesTable(["grad"], students); // "file     grad  passed\n..."
 */
export function gradesTable(exercises: string[], students: StudentGrades[]): string {
  const head = ["file", ...exercises, "passed"];
  const body = students.map((s) => {
    const cells = gradeCells(exercises, s);
    return [s.file, ...cells, `${cells.filter((c) => c === "pass").length}/${cells.filter((c) => c !== "").length}`];
  });
  const all = [head, ...body];
  const width = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const fmt = (r: string[]) => r.map((v, c) => v.padEnd(width[c])).join("  ").trimEnd();
  const notes = students.flatMap((s) =>
    s.fatal
      ? [`${s.file}: could not be graded: ${s.fatal}`]
      : [
          ...(s.tampering && tamperingText(s.tampering) ? [`${s.file}: ${tamperingText(s.tampering)}`] : []),
          ...(s.notes ?? []).map((n) => `${s.file}: ${n}`),
          ...Object.entries(s.grades).filter(([, g]) => g.message).map(([e, g]) => `${s.file} ${e}: ${g.message}`),
        ],
  );
  return [fmt(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt), ...(notes.length ? ["", ...notes] : [])].join("\n");
}

/**
 * The tampering report in one line ("" when nothing changed).
 *
 * @example
 * tamperingText({ modified: ["c1"], deleted: [], added: ["cell 9"] }); // "modified c1 (restored); added cell 9"
 */
export function tamperingText(t: Tampering | undefined): string {
  if (!t) return "";
  return [
    t.modified.length ? `modified ${t.modified.join(", ")} (restored)` : "",
    t.deleted.length ? `deleted ${t.deleted.join(", ")} (put back)` : "",
    t.added.length ? `added ${t.added.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
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
    throw new Error(`not a copy of ${sources.length === 1 ? `assignment ${sources[0]!.name}` : `any of the assignments ${sources.map((s) => s.name).join(", ")}`}: none of its cell ids is in the source${says}`);
  }
  return best;
}

function kernelNote(sub: Notebook, graded: Notebook): string | undefined {
  const want = kernelName(graded);
  const spec = sub.metadata.kernelspec;
  if (!spec || !spec.name) return `no kernelspec in the submission's metadata: graded with the source's kernel (${want})`;
  if (spec.name !== want) return `the submission asks for kernel "${spec.name}": graded with the source's kernel (${want})`;
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
    if (o.sources.length > 0) {
      const source = pickSource(sub, o.sources);
      const graded = restoreFromSource(source.nb, sub, source.name);
      nb = graded.nb;
      code = graded.code;
      student.assignment = source.name;
      student.tampering = graded.tampering;
      const note = kernelNote(sub, nb);
      if (note) (student.notes ??= []).push(note);
    } else {
      nb = sub;
    }
    const exercises = new Map<string, number>();
    for (const c of nb.cells) {
      const id = exerciseOf(c);
      if (id !== undefined) exercises.set(id, Math.max(exercises.get(id) ?? 0, roleOf(c) === "check" ? pointsOf(c) : 0));
    }
    const session = await o.sessions.start(kernelName(nb), dirname(file.path));
    try {
      const run = await executeNotebook(nb, session, { timeoutMs: o.timeoutMs, notebookTimeoutMs: o.notebookTimeoutMs, stopOnError: false, code });
      if (code) fixCheckLines(nb, run.runs, code);
      student.grades = gradeRuns(run.runs, [...exercises.keys()]);
      for (const r of run.runs) {
        if (r.status === "ok" || r.tags.some((t) => t.startsWith(CHECK_TAG) || t.startsWith(HIDDEN_CHECK_TAG))) continue;
        const what = r.error ? `${r.error.ename}: ${stripAnsi(r.error.evalue)}`.replace(/\s+/g, " ").slice(0, 200) : r.status;
        (student.notes ??= []).push(`cell ${r.id ?? r.cell} failed: ${what}`);
      }
      const died = run.runs.find((r) => r.error?.ename === "KernelError");
      if (died) (student.notes ??= []).push(`the kernel stopped at cell ${died.id ?? died.cell} (process.exit or a crash); later cells did not run`);
    } finally {
      await session.close();
    }
    if (o.sources.length > 0) {
      student.maxScore = [...exercises.values()].reduce((a, b) => a + b, 0);
      student.score = [...exercises.entries()].filter(([id]) => student.grades[id]?.result === "pass").reduce((a, [, p]) => a + p, 0);
    }
  } catch (e) {
    student.fatal = (e as Error).message;
  }
  try {
    writeOutputs(file, nb, student, o.outDir);
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

function gradeHeader(s: StudentGrades): string {
  if (s.fatal) return `<p class="error"><strong>Could not be graded:</strong> ${escapeHtml(s.fatal)}</p>`;
  const rows = Object.entries(s.grades).map(([id, g]) => `<tr class="${g.result}"><td>${escapeHtml(id)}</td><td>${g.result}</td><td>${escapeHtml(g.message ?? "")}</td></tr>`);
  const score = s.maxScore !== undefined ? `<p><strong>Score: ${s.score} / ${s.maxScore}</strong></p>` : "";
  const tamper = tamperingText(s.tampering);
  const notes = [...(tamper ? [`Instructor cells: ${tamper}.`] : []), ...(s.notes ?? [])].map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  return `${score}<table class="grades"><thead><tr><th>exercise</th><th>result</th><th>message (hint)</th></tr></thead><tbody>${rows.join("")}</tbody></table>${notes ? `<ul>${notes}</ul>` : ""}`;
}

function writeOutputs(file: NotebookFile, nb: Notebook | undefined, s: StudentGrades, outDir: string): void {
  const page = join(outDir, "feedback", file.rel.replace(/\.ipynb$/, "") + ".html");
  mkdirSync(dirname(page), { recursive: true });
  const assets = relative(dirname(page), join(outDir, "_static")) || ".";
  const title = `Feedback: ${file.rel}`;
  if (nb && !s.fatal) {
    const target = join(outDir, file.rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, notebookJson(nb));
    writeFileSync(page, renderNotebookHtml(nb, { title, assets, header: gradeHeader(s) }));
  } else {
    writeFileSync(page, renderPageHtml(title, gradeHeader(s)));
  }
}

/**
 * The class summary page: pass rate per exercise, then score and grades per student, each
 * linking to its feedback page.
 *
 * @example
 * summaryHtml(["grad"], students); // "<!DOCTYPE html>..."
 */
export function summaryHtml(exercises: string[], students: StudentGrades[]): string {
  const rate = exercises.map((e) => {
    const graded = students.filter((s) => !s.fatal && s.grades[e]);
    const passed = graded.filter((s) => s.grades[e]!.result === "pass").length;
    return `<tr><td>${escapeHtml(e)}</td><td>${passed} / ${graded.length}</td><td>${graded.length ? Math.round((100 * passed) / graded.length) : 0}%</td></tr>`;
  });
  const head = `<tr><th>submission</th><th>score</th>${exercises.map((e) => `<th>${escapeHtml(e)}</th>`).join("")}<th>tampering / notes</th></tr>`;
  const rows = students.map((s) => {
    const href = `feedback/${s.file.replace(/\.ipynb$/, "")}.html`.split("/").map(encodeURIComponent).join("/");
    const cells = gradeCells(exercises, s).map((c) => `<td class="${c}">${c}</td>`).join("");
    const score = s.fatal ? "error" : s.maxScore !== undefined ? `${s.score} / ${s.maxScore}` : `${Object.values(s.grades).filter((g) => g.result === "pass").length}`;
    const notes = [s.fatal, tamperingText(s.tampering), ...(s.notes ?? [])].filter(Boolean).map((n) => escapeHtml(String(n))).join("<br>");
    return `<tr><td><a href="${href}">${escapeHtml(s.file)}</a></td><td>${score}</td>${cells}<td>${notes}</td></tr>`;
  });
  const body = `<h2>Pass rate per exercise</h2><table class="grades"><thead><tr><th>exercise</th><th>passed</th><th>rate</th></tr></thead><tbody>${rate.join("")}</tbody></table>
<h2>Students</h2><table class="grades"><thead>${head}</thead><tbody>${rows.join("\n")}</tbody></table>`;
  return renderPageHtml(`Grades (${students.length} submissions)`, body);
}

/** Reads the --source notebooks (files or folders). */
function readSources(paths: string[]): Source[] {
  const files = findNotebooks(paths);
  if (files.length === 0) throw new Error(`check: --source ${paths.join(", ")} holds no .ipynb files`);
  return files.map((f) => ({ name: basename(f.path).replace(/\.ipynb$/, ""), nb: readNotebook(f.path) }));
}

/**
 * `gradlab check [--source SRC] SUBMISSIONS... [--out DIR]`; resolves to 0 when every file was
 * graded (whatever the grades), 1 when some file could not be run, 2 on bad usage.
 *
 * @example
 * await main(["--source", "homework/source", "submissions", "--out", "grades"]); // grades/check.csv, check.json, index.html
 */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  let files: NotebookFile[];
  let sessions: SessionFactory;
  let sources: Source[] = [];
  try {
    args = parseArgs("check", argv, {
      out: "string",
      source: "string",
      timeout: "number",
      "notebook-timeout": "number",
      concurrency: "number",
      server: "string",
      token: "string",
      "server-root": "string",
      help: "boolean",
    });
    if (args.flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (args.paths.length === 0) throw new Error("check: expected homework notebooks or folders, got none");
    if (args.flags.source !== undefined) sources = readSources(String(args.flags.source).split(","));
    const out = String(args.flags.out ?? join("out", "check"));
    files = findNotebooks(args.paths, [out]);
    if (files.length === 0) throw new Error(`check: no .ipynb files found in ${args.paths.join(", ")}`);
    sessions = await sessionFactory(args.flags, "check");
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const outDir = resolve(String(args.flags.out ?? join("out", "check")));
  const opts: GradeOptions = {
    sources,
    outDir,
    timeoutMs: Number(args.flags.timeout ?? 60) * 1000,
    notebookTimeoutMs: Number(args.flags["notebook-timeout"] ?? 600) * 1000,
    sessions,
  };
  if (sources.length === 0) {
    process.stderr.write("check: no --source given: the submissions' own check cells are trusted; with --source SRC the instructor's cells are restored first\n");
  }
  const students = await pool(files, Number(args.flags.concurrency ?? 1), (f) => gradeSubmission(f, opts));
  sessions.dispose();
  const exercises = [...new Set(students.flatMap((s) => Object.keys(s.grades)))];
  if (sources.length === 0) markMissing(students);
  const points: Record<string, number> = {};
  for (const s of sources) for (const c of s.nb.cells) if (roleOf(c) === "check") points[exerciseOf(c)!] = Math.max(points[exerciseOf(c)!] ?? 0, pointsOf(c));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "check.csv"), gradesCsv(exercises, students));
  writeFileSync(join(outDir, "check.json"), `${JSON.stringify({ exercises, ...(sources.length ? { points } : {}), students }, null, 2)}\n`);
  writeAssets(join(outDir, "_static"));
  writeFileSync(join(outDir, "index.html"), summaryHtml(exercises, students));
  console.log(gradesTable(exercises, students));
  console.log(`\nwrote ${join(outDir, "check.csv")}, check.json, feedback/ and index.html (class summary)`);
  return students.some((s) => s.fatal) ? 1 : 0;
}
