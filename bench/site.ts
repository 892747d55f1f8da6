/**
 * @file `npm run bench:site`: figures of the JupyterLite site (`npm run site`) in headless
 * Chromium, against the Node kernel in the same run: the site's size (all files, and each
 * gzip-compressed), the time from opening notebook 04 to its first cell's result (a fresh profile,
 * then again with the browser's cache warm), and the latency of a typed cell and of a `%backprop`
 * cell in the browser kernel (a Web Worker) and in the Node kernel (over ZeroMQ). Every cell is
 * timed by its client, from the request to the reply. A benchmark, not a test: it prints medians
 * and quartiles and writes out/bench/site.json.
 *
 * With `--notebooks all|en|ru|NAME,...` it runs whole seminar notebooks instead (all: the nine in
 * English, then their Russian copies): each opened on a fresh page, all its cells run through the
 * lab's "Run All Cells", and reported: its code cells, how many ran, the error outputs (each cell
 * with one is listed) and the wall time from the command to its last cell's reply. Exits 1 if any
 * notebook shows an error or leaves a cell unrun; writes out/bench/site-notebooks.json, and each
 * executed notebook under out/bench/site-notebooks/.
 *
 * Usage: node dist/bench/site.js [--reps 30] [--out FILE] [--notebooks all]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { KernelClient } from "../cli/client/kernel-client.js";
import { fmt, writeJson } from "./report.js";
import { serveStatic } from "./static-server.js";
import { summarize, type Stats } from "./timing.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SITE = join(ROOT, "out", "site");
const NOTEBOOK = "04-backprop.ipynb";
const WARMUP = 3;

/** The first code cell of notebook 04 (its imports and the seminar's f, x, w, b). */
function firstCell(): string {
  const nb = JSON.parse(readFileSync(join(ROOT, "notebooks", NOTEBOOK), "utf8")) as {
    cells: { cell_type: string; source: string[] | string }[];
  };
  const cell = nb.cells.find((c) => c.cell_type === "code")!;
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The typed cell timed, a new one each time (the executor memoizes a cell it has compiled). */
const typedCell = (i: number) => `const k${i}: number = ${i} * 7;\nk${i}`;
const BACKPROP = "%backprop f(x, w, b)";

async function launch(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "gradlab-bench-site-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The page's JupyterLab, as far as this file uses it. */
interface Lab {
  commands: { execute(id: string): Promise<unknown> };
  shell: {
    currentWidget: {
      sessionContext: {
        session?: {
          kernel?: { status: string; requestExecute(c: { code: string }): { done: Promise<{ content: { status: string } }> } } | null;
        } | null;
      };
      content: { activeCellIndex: number; widgets: { model: { type: string } }[] };
    } | null;
  };
}

/** Opens notebook 04 and runs its first code cell through the interface: ms to the kernel's idle state and to the cell's result. */
async function openAndRunFirst(page: Page, origin: string): Promise<{ idle: number; firstResult: number }> {
  const t0 = Date.now();
  await page.goto(`${origin}/lab/index.html?path=${NOTEBOOK}`);
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { jupyterapp?: Lab }).jupyterapp?.shell.currentWidget?.sessionContext.session?.kernel?.status === "idle",
    undefined,
    {
      timeout: 180_000,
      polling: 20,
    },
  );
  const idle = Date.now() - t0;
  await page.evaluate(async () => {
    const app = (globalThis as unknown as { jupyterapp: Lab }).jupyterapp;
    const notebook = app.shell.currentWidget!.content;
    notebook.activeCellIndex = notebook.widgets.findIndex((c) => c.model.type === "code");
    await app.commands.execute("notebook:run-cell");
  });
  return { idle, firstResult: Date.now() - t0 };
}

/** Times `code(i)` on the open notebook's kernel, from the request to the reply, ms. */
async function timeInPage(page: Page, code: (i: number) => string, reps: number): Promise<Stats> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + reps; i++) {
    const ms = await page.evaluate(async (c) => {
      const kernel = (globalThis as unknown as { jupyterapp: Lab }).jupyterapp.shell.currentWidget!.sessionContext.session!.kernel!;
      const t = performance.now();
      const reply = await kernel.requestExecute({ code: c }).done;
      if (reply.content.status !== "ok") throw new Error(`the cell failed: ${c}`);
      return performance.now() - t;
    }, code(i));
    if (i >= WARMUP) times.push(ms);
  }
  return summarize(times, 1);
}

async function timeInNode(kc: KernelClient, code: (i: number) => string, reps: number): Promise<Stats> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + reps; i++) {
    const t = performance.now();
    const r = await kc.execute(code(i));
    const ms = performance.now() - t;
    if (r.status !== "ok") throw new Error(`bench:site: the cell failed in the Node kernel: ${code(i)}`);
    if (i >= WARMUP) times.push(ms);
  }
  return summarize(times, 1);
}

/** One notebook's run through the interface. */
interface NotebookRun {
  path: string;
  cells: number;
  ran: number;
  errors: { cell: number; source: string; error: string }[];
  ms: number;
}

/** The seminar notebooks `which` names (all, en, ru, or a comma-separated list of paths under notebooks/). */
function seminarNotebooks(which: string): string[] {
  const list = (dir: string, prefix: string) =>
    readdirSync(join(ROOT, "notebooks", dir))
      .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
      .sort()
      .map((f) => prefix + f);
  if (which === "en") return list("", "");
  if (which === "ru") return list("ru", "ru/");
  if (which === "all") return [...list("", ""), ...list("ru", "ru/")];
  return which.split(",");
}

/** Opens `path` on a fresh page of its own browser, runs all its cells with "Run All Cells", collects every error output and writes the executed notebook beside `out` (site-notebooks/). */
async function runNotebook(origin: string, path: string, out: string): Promise<NotebookRun> {
  // A browser per notebook: pages of one profile share JupyterLite's stored workspace, which would reopen the notebooks before it.
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/lab/index.html?path=${path}`);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { jupyterapp?: Lab }).jupyterapp?.shell.currentWidget?.sessionContext.session?.kernel?.status === "idle",
      undefined,
      { timeout: 180_000, polling: 100 },
    );
    const r = await page.evaluate(async () => {
      const app = (globalThis as unknown as { jupyterapp: Lab }).jupyterapp;
      const notebook = app.shell.currentWidget!.content as unknown as {
        widgets: {
          model: {
            type: string;
            executionCount: number | null;
            sharedModel: { source: string };
            outputs: { toJSON(): { output_type: string; ename?: string; evalue?: string }[] };
          };
        }[];
      };
      const t = performance.now();
      await app.commands.execute("notebook:run-all-cells");
      const ms = performance.now() - t;
      const code = notebook.widgets.filter((c) => c.model.type === "code");
      const model = (app.shell.currentWidget as unknown as { context: { model: { toJSON(): unknown } } }).context.model;
      return {
        ms,
        executed: model.toJSON(),
        cells: code.length,
        ran: code.filter((c) => c.model.executionCount !== null).length,
        errors: code.flatMap((c, i) =>
          c.model.outputs
            .toJSON()
            .filter((o) => o.output_type === "error")
            .map((o) => ({
              cell: i + 1,
              source: c.model.sharedModel.source.split("\n")[0]!.slice(0, 80),
              error: `${o.ename}: ${o.evalue}`,
            })),
        ),
      };
    });
    const { executed, ...run } = r;
    const file = join(dirname(out), "site-notebooks", path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(executed, null, 1) + "\n");
    return { path, ...run, ms: Math.round(r.ms) };
  } finally {
    await browser.close();
  }
}

/** `--notebooks`: every notebook named, run whole in the browser; exits 1 on an error or an unrun cell. */
async function notebooksMode(which: string, out: string): Promise<void> {
  const server = await serveStatic(SITE);
  const runs: NotebookRun[] = [];
  try {
    for (const path of seminarNotebooks(which)) {
      const r = await runNotebook(server.origin, path, out);
      runs.push(r);
      console.log(
        `${r.path.padEnd(34)} ${String(r.cells).padStart(3)} code cells, ${String(r.ran).padStart(3)} ran, ${r.errors.length} errors, ${(r.ms / 1000).toFixed(1)} s`,
      );
      for (const e of r.errors) console.log(`    cell ${e.cell} (${e.source}): ${e.error.split("\n")[0]}`);
    }
  } finally {
    await server.close();
  }
  const bad = runs.filter((r) => r.errors.length > 0 || r.ran < r.cells);
  const total = runs.reduce((a, r) => a + r.ms, 0);
  console.log(
    `${runs.length} notebooks, ${runs.reduce((a, r) => a + r.cells, 0)} code cells, ${runs.reduce((a, r) => a + r.errors.length, 0)} errors, ${(total / 1000).toFixed(1)} s running cells`,
  );
  writeJson(out, { date: new Date().toISOString(), notebooks: runs });
  if (bad.length > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const reps = Number(flag("reps", "30"));
  const notebooks = flag("notebooks", "");
  const out = flag("out", join(ROOT, "out", "bench", notebooks ? "site-notebooks.json" : "site.json"));

  const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build-site.mjs"), "--out", SITE], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (built.status !== 0) throw new Error("bench:site: the site failed to build");
  if (notebooks) return notebooksMode(notebooks, out);
  const stamp = JSON.parse(readFileSync(join(SITE, "build", "stamp.json"), "utf8")) as {
    files: number;
    bytes: number;
    gzipped: number;
    seconds: number;
  };
  const worker = ["worker.js", "compiler-files.json"].map((f) => readFileSync(join(SITE, "build", "gradlab", f)).length);

  const server = await serveStatic(SITE, 3600);
  const browser = await launch();
  let cold: { idle: number; firstResult: number };
  let warm: { idle: number; firstResult: number };
  let browserTyped: Stats;
  let browserBackprop: Stats;
  try {
    cold = await openAndRunFirst(await browser.context.newPage(), server.origin);
    const page = await browser.context.newPage();
    warm = await openAndRunFirst(page, server.origin);
    browserTyped = await timeInPage(page, typedCell, reps);
    browserBackprop = await timeInPage(page, () => BACKPROP, reps);
  } finally {
    await browser.close();
    await server.close();
  }

  const kc = await KernelClient.start();
  let nodeTyped: Stats;
  let nodeBackprop: Stats;
  try {
    const setup = await kc.execute(firstCell());
    if (setup.status !== "ok")
      throw new Error(`bench:site: notebook 04's first cell failed in the Node kernel: ${JSON.stringify(setup.error)}`);
    nodeTyped = await timeInNode(kc, typedCell, reps);
    nodeBackprop = await timeInNode(kc, () => BACKPROP, reps);
  } finally {
    await kc.close();
  }

  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  const row = (name: string, b: Stats, n: Stats) =>
    console.log(
      `  ${name.padEnd(22)} browser ${fmt(b.median)} ms (q1 ${fmt(b.q1)}, q3 ${fmt(b.q3)})   Node ${fmt(n.median)} ms (q1 ${fmt(n.q1)}, q3 ${fmt(n.q3)})   ratio ${(b.median / n.median).toFixed(1)}`,
    );
  console.log(`site: ${stamp.files} files, ${mb(stamp.bytes)} MB, ${mb(stamp.gzipped)} MB gzip-compressed (built in ${stamp.seconds} s)`);
  console.log(`  worker.js ${mb(worker[0])} MB, compiler-files.json ${mb(worker[1])} MB`);
  console.log(
    `notebook 04 opened -> kernel idle / first cell's result: cold ${cold.idle} / ${cold.firstResult} ms, warm cache ${warm.idle} / ${warm.firstResult} ms`,
  );
  console.log(`cell latency, request to reply, ${reps} cells each:`);
  row("typed cell", browserTyped, nodeTyped);
  row(BACKPROP, browserBackprop, nodeBackprop);
  writeJson(out, {
    site: {
      files: stamp.files,
      bytes: stamp.bytes,
      gzipped: stamp.gzipped,
      buildSeconds: stamp.seconds,
      workerBytes: worker[0],
      compilerFilesBytes: worker[1],
    },
    open: { cold, warm },
    typed: { browser: browserTyped, node: nodeTyped },
    backprop: { browser: browserBackprop, node: nodeBackprop },
  });
}

await main();
