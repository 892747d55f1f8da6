/** @file `gradlab run`: execute notebooks (embedded kernel or a Jupyter server), write executed copies and HTML pages, summarise. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "../args.js";
import { executeNotebook } from "./execute.js";
import { findNotebooks, kernelName, notebookJson, readNotebook, type NotebookFile } from "../notebook/notebook.js";
import { failureReport, Progress, summaryTable, type NotebookSummary } from "./report.js";
import { sessionFactory, type SessionFactory } from "../client/sessions.js";
import { pool } from "./pool.js";
import { notebookLanguage } from "../../src/i18n/index.js";

const USAGE = `usage: gradlab run [files or folders] [--out DIR] [--html] [--timeout S] [--concurrency N] [--inplace]
                   [--server URL --token T [--server-root DIR]]

Executes each notebook with the kernel named in its metadata (default gradlab), stopping a
notebook at its first failing cell. Executed copies go to DIR (default ./out), mirroring the
folders given; sources are never touched unless --inplace. Exit status 1 when any cell failed.

  --out DIR          where executed copies (and --html pages) go (default: out)
  --html             also write a static HTML page per notebook, plus the front page index.html
                     (and instructors.html with the homework sources, which hold the solutions)
  --site URL         the notebooks' JupyterLite site (npm run site; relative to DIR or absolute):
                     the front page links each notebook to it, "run in your browser"
  --timeout S        per-cell timeout in seconds (default: 600)
  --concurrency N    notebooks run at once, each in its own kernel (default: 1)
  --inplace          write outputs back into the source notebooks
  --server URL       run on a Jupyter server / JupyterHub instead of an embedded kernel
  --token T          the server's token (with --server; default: $JUPYTER_TOKEN)
  --server-root DIR  the local folder the server serves (default: the current folder); kernels
                     start in each notebook's folder under it, else in the server's root`;

const FLAGS = {
  out: "string",
  html: "boolean",
  site: "string",
  timeout: "number",
  concurrency: "number",
  inplace: "boolean",
  server: "string",
  token: "string",
  "server-root": "string",
  help: "boolean",
} as const;

interface RunOptions {
  outDir: string;
  inplace: boolean;
  html: boolean;
  timeoutMs: number;
  sessions: SessionFactory;
  progress: Progress;
}

async function runOne(file: NotebookFile, o: RunOptions): Promise<NotebookSummary> {
  const started = performance.now();
  const summary: NotebookSummary = { notebook: shown(file.path), cells: 0, errors: 0, seconds: 0, failures: [] };
  try {
    const nb = readNotebook(file.path);
    o.progress.cell(summary.notebook, 0, nb.cells.length);
    const session = await o.sessions.start(kernelName(nb), dirname(file.path), {
      path: file.path,
      language: notebookLanguage(nb.metadata),
    });
    try {
      const run = await executeNotebook(nb, session, {
        timeoutMs: o.timeoutMs,
        stopOnError: true,
        onCell: (cell, total) => o.progress.cell(summary.notebook, cell, total),
      });
      summary.cells = run.runs.length;
      summary.errors = run.failures.length;
      summary.failures = run.failures;
    } finally {
      await session.close();
    }
    const target = o.inplace ? file.path : join(o.outDir, file.rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, notebookJson(nb));
    if (o.html) {
      const { renderNotebookHtml } = await import("../html/page.js");
      const page = join(o.outDir, file.rel.replace(/\.ipynb$/, ".html"));
      mkdirSync(dirname(page), { recursive: true });
      const assets = relative(dirname(page), join(o.outDir, "_static")) || ".";
      writeFileSync(page, renderNotebookHtml(nb, { title: file.rel.replace(/\.ipynb$/, ""), assets }));
    }
  } catch (e) {
    summary.fatal = (e as Error).message;
  }
  summary.seconds = (performance.now() - started) / 1000;
  o.progress.done(summary);
  return summary;
}

/** A path as the user would type it: relative when under the working directory. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}

/**
 * `gradlab run [files or folders] [--out DIR] [--html] ...`; resolves to the exit code.
 *
 * @example
 * await main(["notebooks", "--html", "--out", "out"]); // 0 when every cell ran
 */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs("run", argv, FLAGS);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.flags.help) {
    console.log(USAGE);
    return 0;
  }
  let files: NotebookFile[];
  let sessions: SessionFactory;
  try {
    if (args.flags.inplace && args.flags.out !== undefined && !args.flags.html)
      throw new Error("run: --inplace writes into the sources; --out is only used with --html");
    sessions = await sessionFactory(args.flags, "run");
    files = findNotebooks(args.paths.length > 0 ? args.paths : ["notebooks"], [String(args.flags.out ?? "out")]);
    if (files.length === 0) throw new Error(`run: no .ipynb files found in ${args.paths.join(", ") || "notebooks"}`);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const outDir = resolve(String(args.flags.out ?? "out"));
  const html = Boolean(args.flags.html);
  const progress = new Progress(process.stderr, files.length);
  const rows = await pool(files, Number(args.flags.concurrency ?? 1), (f) =>
    runOne(f, {
      outDir,
      inplace: Boolean(args.flags.inplace),
      html,
      timeoutMs: Number(args.flags.timeout ?? 600) * 1000,
      sessions,
      progress,
    }),
  );
  sessions.dispose();
  if (html) {
    const { writeAssets } = await import("../html/page.js");
    const { courseEntry, renderFrontPage, renderInstructorsPage } = await import("../html/front-page.js");
    writeAssets(join(outDir, "_static"));
    const entries = files.map((f, i) =>
      courseEntry(readNotebook(f.path), f.rel, f.rel.replace(/\.ipynb$/, ".html"), !rows[i].fatal && rows[i].errors === 0),
    );
    const site = args.flags.site === undefined ? undefined : String(args.flags.site);
    writeFileSync(join(outDir, "index.html"), renderFrontPage(entries, { site }));
    if (entries.some((e) => e.solutions)) writeFileSync(join(outDir, "instructors.html"), renderInstructorsPage(entries));
  }
  console.log(`\n${summaryTable(rows)}`);
  const report = failureReport(rows);
  if (report) console.log(`\n${report}`);
  const where = args.flags.inplace ? "executed in place" : `executed copies in ${shown(outDir)}/`;
  console.log(`\n${where}${html ? `; open ${shown(join(outDir, "index.html"))}` : ""}`);
  return report ? 1 : 0;
}
