/**
 * @file `npm run bench:site`: figures of the JupyterLite site (`npm run site`) in headless
 * Chromium, against the Node kernel in the same run: the site's size (all files, and each
 * gzip-compressed), the time from opening notebook 04 to its first cell's result (a fresh profile,
 * then again with the browser's cache warm), and the latency of a typed cell and of a `%backprop`
 * cell in the browser kernel (a Web Worker) and in the Node kernel (over ZeroMQ). Every cell is
 * timed by its client, from the request to the reply. A benchmark, not a test: it prints medians
 * and quartiles and writes out/bench/site.json.
 *
 * Usage: node dist/bench/site.js [--reps 30] [--out FILE]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const reps = Number(flag("reps", "30"));
  const out = flag("out", join(ROOT, "out", "bench", "site.json"));

  const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build-site.mjs"), "--out", SITE], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (built.status !== 0) throw new Error("bench:site: the site failed to build");
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
