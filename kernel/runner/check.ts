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
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "./args.js";
import { sessionFactory, pool } from "./cli.js";
import { executeNotebook, type CellRun } from "./execute.js";
import { findNotebooks, kernelName, notebookJson, readNotebook, type NotebookFile } from "./notebook.js";
import { stripAnsi } from "./report.js";

/** Tag prefix marking a cell that checks an exercise. */
export const CHECK_TAG = "check:";

const USAGE = `usage: gradlab check homework/*.ipynb [--out DIR] [--timeout S] [--concurrency N] [--server URL --token T [--server-root DIR]]

Runs every cell of each submitted notebook (continuing past failures) and grades each exercise:
a cell tagged "check:<exercise-id>" passes when it runs without error. Prints a table and writes
DIR/check.csv, DIR/check.json and the executed notebooks under DIR (default: out/check).`;

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
      if (!tag.startsWith(CHECK_TAG)) continue;
      const id = tag.slice(CHECK_TAG.length);
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
 * // "file,grad,passed\na.ipynb,pass,1\n"
 */
export function gradesCsv(exercises: string[], students: StudentGrades[]): string {
  const rows = [["file", ...exercises, "passed"]];
  for (const s of students) {
    const cells = gradeCells(exercises, s);
    rows.push([s.file, ...cells, String(cells.filter((c) => c === "pass").length)]);
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
    s.fatal ? [`${s.file}: could not be graded: ${s.fatal}`] : Object.entries(s.grades).filter(([, g]) => g.message).map(([e, g]) => `${s.file} ${e}: ${g.message}`),
  );
  return [fmt(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt), ...(notes.length ? ["", ...notes] : [])].join("\n");
}

async function gradeOne(file: NotebookFile, outDir: string, timeoutMs: number, sessions: Awaited<ReturnType<typeof sessionFactory>>): Promise<StudentGrades> {
  const student: StudentGrades = { file: file.rel, grades: {} };
  try {
    const nb = readNotebook(file.path);
    const tagged = nb.cells.flatMap((c) => (Array.isArray(c.metadata.tags) ? c.metadata.tags : [])).filter((t) => String(t).startsWith(CHECK_TAG));
    const session = await sessions.start(kernelName(nb), dirname(file.path));
    try {
      const run = await executeNotebook(nb, session, { timeoutMs, stopOnError: false });
      student.grades = gradeRuns(run.runs, tagged.map((t) => String(t).slice(CHECK_TAG.length)));
    } finally {
      await session.close();
    }
    const target = join(outDir, file.rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, notebookJson(nb));
  } catch (e) {
    student.fatal = (e as Error).message;
  }
  process.stderr.write(`check: ${student.fatal ? "error" : "graded"} ${file.rel}\n`);
  return student;
}

/**
 * `gradlab check homework/*.ipynb [--out DIR]`; resolves to 0 when every file was graded
 * (whatever the grades), 1 when some file could not be run, 2 on bad usage.
 *
 * @example
 * await main(["submissions", "--out", "grades"]); // writes grades/check.csv and grades/check.json
 */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  let files: NotebookFile[];
  let sessions: Awaited<ReturnType<typeof sessionFactory>>;
  try {
    args = parseArgs("check", argv, { out: "string", timeout: "number", concurrency: "number", server: "string", token: "string", "server-root": "string", help: "boolean" });
    if (args.flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (args.paths.length === 0) throw new Error("check: expected homework notebooks or folders, got none");
    sessions = await sessionFactory(args.flags, "check");
    files = findNotebooks(args.paths, [String(args.flags.out ?? join("out", "check"))]);
    if (files.length === 0) throw new Error(`check: no .ipynb files found in ${args.paths.join(", ")}`);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const outDir = resolve(String(args.flags.out ?? join("out", "check")));
  const timeoutMs = Number(args.flags.timeout ?? 120) * 1000;
  const students = await pool(files, Number(args.flags.concurrency ?? 1), (f) => gradeOne(f, outDir, timeoutMs, sessions));
  sessions.dispose();
  const exercises = [...new Set(students.flatMap((s) => Object.keys(s.grades)))];
  markMissing(students);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "check.csv"), gradesCsv(exercises, students));
  writeFileSync(join(outDir, "check.json"), `${JSON.stringify({ exercises, students }, null, 2)}\n`);
  console.log(gradesTable(exercises, students));
  console.log(`\nwrote ${join(outDir, "check.csv")} and check.json`);
  return students.some((s) => s.fatal) ? 1 : 0;
}
