/** @file `gradlab check SUBMISSIONS... [--source SRC] [--out DIR]`: grade homework submissions and write the reports (the grader is grade.ts). */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "../args.js";
import { pool } from "../run/pool.js";
import { sessionFactory, type SessionFactory } from "../client/sessions.js";
import { CHECK_TAG, exerciseOf, manualOf, pointsOf, roleOf } from "./format.js";
import { writeAssets } from "../html/page.js";
import { findNotebooks, readNotebook, type NotebookFile } from "../notebook/notebook.js";
import { gradeSubmission, markMissing, type GradeOptions, type Source } from "./grade.js";
import { gradesCsv, gradesTable, summaryHtml } from "./report.js";

export { CHECK_TAG };

const USAGE = `usage: gradlab check [--source DIR_OR_FILES] SUBMISSIONS... [--out DIR] [--timeout S] [--notebook-timeout S]
                     [--concurrency N] [--server URL --token T [--server-root DIR]]

Runs every cell of each submitted notebook (continuing past failures) and grades each exercise:
an exercise passes when every cell tagged "check:<id>" (and, with --source, "hidden-check:<id>")
runs without error; a failed table exercise earns the share of its entries that are right; a
written derivation (markdown tagged manual:<id>) is listed "to be graded by hand" with its text
(0 automatic points). With --source, grader cells (the hints) run after the setup. Prints a table and writes DIR/check.csv, DIR/check.json, the executed
notebooks, DIR/feedback/<submission>.html and the class summary DIR/index.html (default DIR: out/check).

  --source X           the assignments' source notebooks (files or folders, comma-separated): every instructor
                       cell is restored from the source by cell id before running, missing ones
                       are put back, hidden checks are added, and modified, deleted or added
                       cells are reported; the student's answer cells are kept
  --timeout S          per-cell time limit in seconds (default 60)
  --notebook-timeout S time limit per submission in seconds (default 600)
  --concurrency N      submissions graded at once, each in its own kernel (default 1)
  --server URL         grade on a Jupyter server (--token T, --server-root DIR as for gradlab run)`;
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
    process.stderr.write(
      "check: no --source given: the submissions' own check cells are trusted; with --source SRC the instructor's cells are restored first\n",
    );
  }
  const students = await pool(files, Number(args.flags.concurrency ?? 1), (f) => gradeSubmission(f, opts));
  sessions.dispose();
  const exercises = [...new Set(students.flatMap((s) => Object.keys(s.grades)))];
  if (sources.length === 0) markMissing(students);
  const points: Record<string, number> = {};
  for (const s of sources)
    for (const c of s.nb.cells) {
      if (roleOf(c) === "check") points[exerciseOf(c)!] = Math.max(points[exerciseOf(c)!] ?? 0, pointsOf(c));
      if (roleOf(c) === "manual") points[manualOf(c)!] = pointsOf(c);
    }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "check.csv"), gradesCsv(exercises, students));
  writeFileSync(join(outDir, "check.json"), `${JSON.stringify({ exercises, ...(sources.length ? { points } : {}), students }, null, 2)}\n`);
  writeAssets(join(outDir, "_static"));
  writeFileSync(join(outDir, "index.html"), summaryHtml(exercises, students));
  console.log(gradesTable(exercises, students));
  console.log(`\nwrote ${join(outDir, "check.csv")}, check.json, feedback/ and index.html (class summary)`);
  return students.some((s) => s.fatal) ? 1 : 0;
}
