/// <reference lib="dom" />
/**
 * @file The JupyterLite site (`npm run site`, scripts/build-site.mjs) in headless Chromium: served
 * from out/site on the loopback interface, the lab opens notebook 04 with the kernel
 * "TypeScript (gradlab)" running in a Web Worker; its cells up to the first widget run through the
 * interface without an error, printing what the Node kernel prints for them, with `%gradcheck`
 * passing and `%backprop` drawing its graph and tables; its `%interact backprop` cell shows ipywidgets'
 * sliders, and dragging one re-draws the table at the value the front end sent; the playground draws
 * its chart and re-draws it for the method chosen in its dropdown; a typed cell gives its value, a type error is reported as the Node kernel reports it,
 * and a gradient equals its closed form. Served cross-origin isolated (the server's headers, as
 * the site's docs say), an interrupt from the notebook's toolbar stops `while (true) {}`, a loop in
 * a function of an earlier cell and a pending `await` with the Node kernel's KeyboardInterrupt and
 * keeps the notebook's variables. Nothing the page loads fails under isolation. The build is reused when up to date.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { assertBuilt, REPO } from "../../support/build.js";
import { startKernel } from "../../kernel/helpers.js";
import { interruptedError } from "../../../kernel/engine/executor.js";
import { launch, type Browser } from "../../support/chromium.js";
import { serveStatic, type StaticServer } from "../../../bench/static-server.js";

const SITE = join(REPO, "out", "site");
const SCREENSHOTS = join(REPO, "out", "screenshots");

/** An output of a notebook cell, as nbformat has it. */
interface Output {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

/** What the page's JupyterLab exposes (exposeAppInBrowser), as far as the test uses it. */
interface Lab {
  commands: { execute(id: string, args?: unknown): Promise<unknown> };
  shell: {
    currentWidget: {
      sessionContext: {
        ready: Promise<void>;
        kernelDisplayName: string;
        session?: {
          kernel?: {
            status: string;
            requestExecute(c: { code: string }): Future;
            requestInspect(c: { code: string; cursor_pos: number; detail_level: number }): Promise<{ content: Record<string, unknown> }>;
            restart(): Promise<void>;
            requestComplete(c: { code: string; cursor_pos: number }): Promise<{ content: Record<string, unknown> }>;
          } | null;
        } | null;
      };
      content: {
        activeCellIndex: number;
        widgets: {
          model: {
            type: string;
            executionCount: number | null;
            sharedModel: { source: string; setSource(s: string): void };
            outputs: { toJSON(): Output[] };
          };
        }[];
      };
    } | null;
  };
}
interface Future {
  onIOPub: (msg: { header: { msg_type: string }; content: Record<string, unknown> }) => void;
  done: Promise<{ content: Record<string, unknown> }>;
}

let server: StaticServer;
/** Requests of the pages that failed (a resource blocked under isolation would fail). */
const failed: string[] = [];
let browser: Browser | undefined;
let page: Page;
/** From the page's navigation to the notebook's kernel being idle, ms (reported, never asserted). */
let openMs = 0;

/** A new page of `b` with the notebook at `path` open and its kernel idle. */
async function openNotebook(b: Browser, path: string, origin = server.origin): Promise<Page> {
  const p = await b.context.newPage();
  p.on("requestfailed", (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  p.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()}: ${r.status()}`);
  });
  await p.goto(`${origin}/lab/index.html?path=${path}`);
  await p.waitForFunction(
    () => (window as unknown as { jupyterapp?: Lab }).jupyterapp?.shell.currentWidget?.sessionContext.session?.kernel?.status === "idle",
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  return p;
}

/** The code cells above the notebook's first widget (`%interact`), run through the lab's "Run All Above Selected Cell". */
async function runUpToFirstWidget(p: Page): Promise<{ source: string; count: number | null; outputs: Output[] }[]> {
  return p.evaluate(async () => {
    const app = (window as unknown as { jupyterapp: Lab }).jupyterapp;
    const notebook = app.shell.currentWidget!.content;
    const widget = notebook.widgets.findIndex((c) => c.model.sharedModel.source.startsWith("%interact"));
    notebook.activeCellIndex = widget;
    await app.commands.execute("notebook:run-all-above");
    return notebook.widgets
      .slice(0, widget)
      .filter((c) => c.model.type === "code")
      .map((c) => ({ source: c.model.sharedModel.source, count: c.model.executionCount, outputs: c.model.outputs.toJSON() }));
  });
}

/** Each cell ran, and none shows an error. */
function expectRunWithoutError(cells: { source: string; count: number | null; outputs: Output[] }[]): void {
  expect(cells.length).toBeGreaterThan(10);
  for (const c of cells) {
    expect(c.count, c.source.slice(0, 60)).not.toBeNull();
    const errors = c.outputs.filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`);
    expect(errors, c.source.slice(0, 60)).toEqual([]);
  }
}

beforeAll(async () => {
  assertBuilt(["src", "kernel"]);
  const built = spawnSync(process.execPath, [join(REPO, "scripts", "build-site.mjs"), "--out", SITE], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build-site failed:\n${built.stdout}\n${built.stderr}`);
  console.log(built.stdout.trim());
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await serveStatic(SITE);
  browser = await launch();
  const t0 = Date.now();
  page = await openNotebook(browser, "04-backprop.ipynb");
  openMs = Date.now() - t0;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `code` on the open notebook's kernel; its reply and outputs. */
async function run(
  code: string,
): Promise<{ reply: Record<string, unknown>; outputs: { type: string; content: Record<string, unknown> }[] }> {
  return page.evaluate(async (code) => {
    const panel = (window as unknown as { jupyterapp: Lab }).jupyterapp.shell.currentWidget!;
    const future = panel.sessionContext.session!.kernel!.requestExecute({ code });
    const outputs: { type: string; content: Record<string, unknown> }[] = [];
    future.onIOPub = (msg) => {
      if (!["status", "execute_input"].includes(msg.header.msg_type)) outputs.push({ type: msg.header.msg_type, content: msg.content });
    };
    return { reply: (await future.done).content, outputs };
  }, code);
}

/**
 * `code` in a new cell at the end of the notebook, run through the interface; with `interrupt`,
 * once the kernel is busy with it, the notebook toolbar's interrupt button is clicked. The cell's outputs.
 */
async function runInCell(p: Page, code: string, { interrupt = false } = {}): Promise<{ outputs: Output[] }> {
  await p.evaluate((code) => {
    const w = window as unknown as { jupyterapp: Lab; cellRun?: Promise<unknown> };
    const notebook = w.jupyterapp.shell.currentWidget!.content;
    notebook.activeCellIndex = notebook.widgets.length - 1;
    w.cellRun = (async () => {
      await w.jupyterapp.commands.execute("notebook:insert-cell-below");
      notebook.widgets[notebook.activeCellIndex]!.model.sharedModel.setSource(code);
      await w.jupyterapp.commands.execute("notebook:run-cell");
    })();
  }, code);
  if (interrupt) {
    // busy: the kernel has passed the request to its worker (the front end hears of it afterwards)
    await p.waitForFunction(
      () => (window as unknown as { jupyterapp: Lab }).jupyterapp.shell.currentWidget!.sessionContext.session!.kernel!.status === "busy",
      undefined,
      { polling: 50 },
    );
    await p.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"]').click();
  }
  const outputs = await p.evaluate(async () => {
    const w = window as unknown as { jupyterapp: Lab; cellRun: Promise<unknown> };
    await w.cellRun;
    const notebook = w.jupyterapp.shell.currentWidget!.content;
    return { outputs: notebook.widgets[notebook.activeCellIndex]!.model.outputs.toJSON() };
  });
  await p.locator(".jp-Notebook .jp-Cell").last().scrollIntoViewIfNeeded();
  return outputs;
}

/** After a restart: the earlier cells' `kept` is gone (a type error names it), and a cell runs. */
async function expectFreshKernel(p: Page): Promise<void> {
  const gone = (await runInCell(p, "kept")).outputs;
  expect(gone.map(({ ename }) => ename)).toEqual(["TSError"]);
  expect(String(gone[0]!.evalue)).toMatch(/Cannot find name 'kept'/);
  expect((await runInCell(p, "1 + 1")).outputs.map((o) => o.data?.["text/plain"])).toEqual(["2"]);
}

const textOf = (o: Output): string => (o.text ?? "") + String(o.data?.["text/plain"] ?? "") + String(o.data?.["text/html"] ?? "");

describe("the JupyterLite site in Chromium", () => {
  it("holds the seminar notebooks in English and Russian and the homework templates, never their sources", () => {
    const notebooks = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".ipynb"));
    expect(notebooks(join(SITE, "files"))).toEqual(notebooks(join(REPO, "notebooks")));
    expect(notebooks(join(SITE, "files", "ru"))).toEqual(notebooks(join(REPO, "notebooks", "ru")));
    expect(notebooks(join(SITE, "files", "homework"))).toEqual(notebooks(join(REPO, "notebooks", "homework")));
    expect(notebooks(join(SITE, "files", "homework", "ru"))).toEqual(notebooks(join(REPO, "notebooks", "homework", "ru")));
    expect(existsSync(join(SITE, "files", "homework", "source"))).toBe(false);
  });

  it("opens notebook 04 with the kernel TypeScript (gradlab)", async () => {
    console.log(`notebook 04 open, kernel idle: ${openMs} ms after navigation`);
    const shown = await page.evaluate(
      () => (window as unknown as { jupyterapp: Lab }).jupyterapp.shell.currentWidget!.sessionContext.kernelDisplayName,
    );
    expect(shown).toBe("TypeScript (gradlab)");
  });

  it("runs notebook 04 up to its first widget through the interface: no error, the Node kernel's text, %gradcheck passes, %backprop draws", async () => {
    const t0 = Date.now();
    const cells = await runUpToFirstWidget(page);
    console.log(`notebook 04: ${cells.length} code cells run in ${Date.now() - t0} ms`);
    await page.screenshot({ path: join(SCREENSHOTS, "site-04-backprop.png") });
    expectRunWithoutError(cells);
    const gradcheck = cells.find((c) => c.source.startsWith("%gradcheck"))!;
    expect(gradcheck.outputs.map(textOf).join("\n")).toMatch(/PASSED/);
    // The same cells in the Node kernel print the same text: streams and text/plain values.
    const printed = (outputs: readonly Output[]) =>
      outputs.map((o) => [o.output_type, o.name ?? null, o.text ?? null, o.data?.["text/plain"] ?? null]);
    const kc = await startKernel();
    try {
      for (const c of cells) {
        const r = await kc.execute(c.source);
        expect(printed(c.outputs), c.source.slice(0, 60)).toEqual(printed(r.outputs as Output[]));
      }
    } finally {
      await kc.close();
    }
    const backprop = cells.find((c) => c.source.startsWith("%backprop"))!;
    const html = backprop.outputs.map((o) => String(o.data?.["text/html"] ?? "")).join("\n");
    expect(html).toMatch(/<svg[\s\S]*<\/svg>/);
    expect(html).toMatch(/<table/);
    // drawn in the page, not only sent
    expect(await page.locator(".jp-OutputArea-output svg .node").count()).toBeGreaterThan(3);
  });

  it("runs the %interact backprop cell: dragging its w[0] slider re-draws the adjoint table for the new value", async () => {
    // The front end's comm updates to the kernel (the value the kernel re-draws at), recorded from the kernel connection.
    await page.evaluate(() => {
      const w = window as unknown as { jupyterapp: Lab; sentValues: unknown[] };
      w.sentValues = [];
      const kernel = w.jupyterapp.shell.currentWidget!.sessionContext.session!.kernel! as unknown as {
        anyMessage: {
          connect(
            f: (_: unknown, a: { msg: { header: { msg_type: string }; content: Record<string, unknown> }; direction: string }) => void,
          ): void;
        };
      };
      kernel.anyMessage.connect((_, { msg, direction }) => {
        const data = msg.content.data as { method?: string; state?: { value?: unknown } } | undefined;
        if (direction === "send" && msg.header.msg_type === "comm_msg" && data?.method === "update" && data.state?.value !== undefined)
          w.sentValues.push(data.state.value);
      });
    });
    const ran = await page.evaluate(async () => {
      const app = (window as unknown as { jupyterapp: Lab }).jupyterapp;
      const notebook = app.shell.currentWidget!.content;
      notebook.activeCellIndex = notebook.widgets.findIndex((c) => c.model.sharedModel.source.startsWith("%interact backprop"));
      await app.commands.execute("notebook:run-cell");
      const cell = notebook.widgets[notebook.activeCellIndex]!.model;
      return { source: cell.sharedModel.source, outputs: cell.outputs.toJSON() };
    });
    expect(ran.source).toBe("%interact backprop f(x, w, b) --entries w[0]");
    expect(ran.outputs.map((o) => o.output_type)).toEqual(["display_data"]);
    expect(Object.keys(ran.outputs[0]!.data!)).toContain("application/vnd.jupyter.widget-view+json");

    // ipywidgets' own views in the page: the sliders b and w[0], and the Output widget with the backprop view.
    const area = page.locator(".jp-OutputArea-output .widget-vbox").last();
    const sliders = area.locator(".widget-slider");
    const view = area.locator(".widget-output .gradlab-backprop");
    await view.locator("table").first().waitFor({ timeout: 60_000 });
    expect(await sliders.locator(".widget-label").allTextContents()).toEqual(["b", "w[0]"]);
    const before = await view.textContent();
    await area.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "site-04-interact-before.png") });

    // Drag w[0]'s handle to the right with real mouse events.
    const slider = sliders.filter({ hasText: "w[0]" });
    const hb = (await slider.locator(".noUi-handle").boundingBox())!;
    const tb = (await slider.locator(".noUi-target").boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(tb.x + tb.width * 0.85, hb.y + hb.height / 2, { steps: 12 });
    await page.mouse.up();

    // The last value sent is the one the kernel re-draws at; the same view computed directly must appear in the page.
    await page.waitForFunction(() => (window as unknown as { sentValues: unknown[] }).sentValues.length > 0);
    const value = await page.evaluate(() => (window as unknown as { sentValues: number[] }).sentValues.at(-1)!);
    const direct = await run(
      `const wDragged = tensor(Array.from(w.data, (v, i) => (i === 0 ? ${value} : v)));\nbackprop(f, x, wDragged, b)`,
    );
    expect(direct.reply.status).toBe("ok");
    const html = String((direct.outputs.find((o) => o.type === "execute_result")?.content.data as Record<string, string>)["text/html"]);
    const want = await page.evaluate((html) => {
      const scratch = document.createElement("div");
      scratch.innerHTML = html;
      return scratch.querySelector(".gradlab-backprop")!.textContent;
    }, html);
    await page.waitForFunction(
      (want) => {
        const views = document.querySelectorAll(".jp-OutputArea-output .widget-vbox .widget-output .gradlab-backprop");
        return views[views.length - 1]?.textContent === want;
      },
      want,
      { timeout: 60_000 },
    );
    expect(want).not.toBe(before);
    // ∂f/∂b in the re-drawn table, against its closed form: f = (σ(z) − 1)²/2 + λ/2 ‖ω‖², z = ω·x + b, so ∂f/∂b = (σ(z) − 1) σ(z) (1 − σ(z)).
    const point = await run("console.log(JSON.stringify({ x: Array.from(x.data), w: Array.from(wDragged.data), b: b.item() }))");
    const { x, w, b } = JSON.parse(String(point.outputs.find((o) => o.type === "stream")?.content.text)) as {
      x: number[];
      w: number[];
      b: number;
    };
    expect(w[0]).toBe(value);
    const sigma = 1 / (1 + Math.exp(-(w.reduce((acc, wi, i) => acc + wi * x[i]!, 0) + b)));
    const row = view.locator("tr").filter({ hasText: "∂f/∂b" }).last();
    const shownDb = Number(String(await row.locator("td").last().textContent()).replace("\u2212", "-"));
    expect(shownDb).toBeCloseTo((sigma - 1) * sigma * (1 - sigma), 3);
    expect(Number(await slider.locator(".widget-readout").textContent())).toBeCloseTo(value, 2);
    await page.screenshot({ path: join(SCREENSHOTS, "site-04-interact-after.png") });
  });

  it("draws the playground's plotly chart in its Output widget, and choosing Newton in its dropdown re-draws the path", async () => {
    const outputs = await page.evaluate(async (code) => {
      const app = (window as unknown as { jupyterapp: Lab }).jupyterapp;
      const notebook = app.shell.currentWidget!.content;
      notebook.activeCellIndex = notebook.widgets.length - 1;
      await app.commands.execute("notebook:insert-cell-below");
      notebook.widgets[notebook.activeCellIndex]!.model.sharedModel.setSource(code);
      await app.commands.execute("notebook:run-cell");
      return notebook.widgets[notebook.activeCellIndex]!.model.outputs.toJSON();
    }, 'import { playground } from "gradlab";\nconst bowl = (x: Tensor, y: Tensor) => add(square(x), mul(3, square(y)));\nplayground(bowl, { x0: 1, y0: -1, lr: 0.1, steps: 5 })');
    expect(outputs.filter((o) => o.output_type === "error")).toEqual([]);
    const area = page.locator(".jp-OutputArea-output .widget-vbox").last();
    const legend = area.locator(".widget-output .js-plotly-plot .legendtext");
    await area.locator(".widget-output .js-plotly-plot .main-svg").first().waitFor({ timeout: 60_000 });
    expect(await legend.allTextContents()).toEqual(["gradient descent", "start"]);
    await area.locator(".widget-dropdown select").selectOption({ label: "Newton" });
    await legend.filter({ hasText: /^Newton$/ }).waitFor({ timeout: 60_000 });
    const title = String(await area.locator(".widget-output .gtitle").textContent());
    expect(title).toContain("bowl: Newton, lr = 0.1; after 5 steps");
    // On a quadratic a Newton step of rate 0.1 takes a tenth of the way to the minimum (0, 0): (x, y) = 0.9^5 (1, -1), f = 4 x².
    const [x, y, fx] = /f\(([-\d.]+), ([-\d.\u2212]+)\) = ([\d.]+)/.exec(title.replaceAll("\u2212", "-"))!.slice(1).map(Number);
    expect(x).toBeCloseTo(0.9 ** 5, 3);
    expect(y).toBeCloseTo(-(0.9 ** 5), 3);
    expect(fx).toBeCloseTo(4 * 0.9 ** 10, 4);
    await area.screenshot({ path: join(SCREENSHOTS, "site-playground-newton.png") });
  });

  it("gives a typed cell's value, and reports a type error as the Node kernel does", async () => {
    const ok = await run("const answer: number = 6 * 7;\nanswer");
    expect(ok.reply.status).toBe("ok");
    expect(ok.outputs.find((o) => o.type === "execute_result")?.content.data).toEqual({ "text/plain": "42" });
    const bad = await run("const wrong: string = answer;");
    expect(bad.reply.status).toBe("error");
    expect(bad.reply.ename).toBe("TSError");
    expect(bad.reply.evalue).toBe("line 1:7 - Type 'number' is not assignable to type 'string'. (TS2322)");
  });

  it("says that %sh and %npm need the installed kernel", async () => {
    for (const code of ["%sh ls", "%%sh\nls", "%npm install lodash"]) {
      const r = await run(code);
      expect(r.reply.status, code).toBe("error");
      expect(String(r.reply.evalue), code).toMatch(/needs the installed kernel \(npm install -g gradlab\)/);
    }
  });

  it("completes a name with the Node kernel's language service", async () => {
    const code = "ans";
    const reply = await page.evaluate(async (code) => {
      const kernel = (window as unknown as { jupyterapp: Lab }).jupyterapp.shell.currentWidget!.sessionContext.session!.kernel!;
      return (await kernel.requestComplete({ code, cursor_pos: code.length })).content;
    }, code);
    expect(reply).toMatchObject({ status: "ok", cursor_start: 0, cursor_end: 3 });
    expect(reply.matches).toContain("answer");
  });

  it("inspects a name with the Node kernel's language service (shift-tab's tooltip)", async () => {
    const code = "answer";
    const reply = await page.evaluate(async (code) => {
      const kernel = (window as unknown as { jupyterapp: Lab }).jupyterapp.shell.currentWidget!.sessionContext.session!.kernel!;
      return (await kernel.requestInspect({ code, cursor_pos: code.length, detail_level: 0 })).content;
    }, code);
    expect(reply).toMatchObject({ status: "ok", found: true, data: { "text/plain": "const answer: number" } });
  });

  it("computes a gradient equal to its closed form", async () => {
    const v = [0.5, -1, 2, 0.25];
    // f(v) = sum(v * exp(v)): ∂f/∂v_i = (1 + v_i) exp(v_i)
    const r = await run(
      `import { grad, sum, mul, exp, tensor, type Tensor } from "gradlab";\n` +
        `const fv = (v: Tensor) => sum(mul(v, exp(v)));\n` +
        `JSON.stringify(Array.from(grad(fv)(tensor(${JSON.stringify(v)})).data))`,
    );
    expect(r.reply.status).toBe("ok");
    const printed = String((r.outputs.find((o) => o.type === "execute_result")?.content.data as Record<string, string>)["text/plain"]);
    expect(JSON.parse(printed)).toBeAllclose(v.map((t) => (1 + t) * Math.exp(t)));
  });

  it("interrupts `while (true) {}`, a loop in a function of an earlier cell and a pending await from the toolbar, keeping the notebook's variables (isolated)", async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect((await runInCell(page, "let kept = 41;\nfunction spinForever(): void {\n  while (true) {}\n}")).outputs).toEqual([]);
    const want = interruptedError().content;
    for (const [code, shot] of [
      ["while (true) {}", "site-interrupt-loop.png"],
      ["spinForever()", "site-interrupt-function.png"],
      ["await new Promise(() => {})", "site-interrupt-await.png"],
    ] as const) {
      const { outputs } = await runInCell(page, code, { interrupt: true });
      expect(
        outputs.map(({ ename, evalue }) => ({ ename, evalue })),
        code,
      ).toEqual([{ ename: want.ename, evalue: want.evalue }]);
      expect((outputs[0] as { traceback?: string[] }).traceback, code).toEqual(want.traceback);
      await page.screenshot({ path: join(SCREENSHOTS, shot) });
    }
    const after = await runInCell(page, "kept + 1");
    expect(after.outputs.map((o) => o.data?.["text/plain"])).toEqual(["42"]);
    // Nothing the page loaded (workers, WebAssembly, plotly, the widget manager, fonts) failed under isolation.
    expect(failed).toEqual([]);
  });

  it("restarts the worker when an interrupted cell runs code outside the cells (eval), saying the variables are lost; the next cell runs", async () => {
    const { outputs } = await runInCell(page, 'eval("while (true) {}")', { interrupt: true });
    expect(outputs.map(({ ename }) => ename)).toEqual(["ExecutorRestarted"]);
    expect(String(outputs[0]!.evalue)).toMatch(
      /variables are lost: the cell did not stop within 3 s of the interrupt because it was running code outside the notebook's cells/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, "site-interrupt-restart.png") });
    await expectFreshKernel(page);
  });

  it("without cross-origin isolation, interrupting `while (true) {}` restarts the worker with a message naming the headers; a pending await is interrupted keeping the variables", async () => {
    const plain = await serveStatic(SITE, 0, { isolated: false });
    const other = await launch();
    try {
      const p = await openNotebook(other, "04-backprop.ipynb", plain.origin);
      expect(await p.evaluate(() => crossOriginIsolated)).toBe(false);
      expect((await runInCell(p, "let kept = 41;")).outputs).toEqual([]);
      const awaited = await runInCell(p, "await new Promise(() => {})", { interrupt: true });
      expect(awaited.outputs.map(({ ename }) => ename)).toEqual([interruptedError().content.ename]);
      expect((await runInCell(p, "kept + 1")).outputs.map((o) => o.data?.["text/plain"])).toEqual(["42"]);
      const { outputs } = await runInCell(p, "while (true) {}", { interrupt: true });
      expect(outputs.map(({ ename }) => ename)).toEqual(["ExecutorRestarted"]);
      expect(String(outputs[0]!.evalue)).toMatch(
        /not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/,
      );
      await p.screenshot({ path: join(SCREENSHOTS, "site-interrupt-not-isolated.png") });
      await expectFreshKernel(p);
    } finally {
      await other.close();
      await plain.close();
    }
  }, 180_000);

  it("runs the Russian notebook 04 as well, its kernel speaking Russian (the language of the folder's notebooks)", async () => {
    // A browser of its own: pages of one profile share JupyterLite's stored workspace, which would open notebook 04 beside it.
    const other = await launch();
    try {
      const ru = await openNotebook(other, "ru/04-backprop.ipynb");
      const cells = await runUpToFirstWidget(ru);
      await ru.screenshot({ path: join(SCREENSHOTS, "site-04-backprop-ru.png") });
      expectRunWithoutError(cells);
      const gradcheck = cells.find((c) => c.source.startsWith("%gradcheck"))!;
      expect(gradcheck.outputs.map(textOf).join("\n")).toMatch(/ПРОЙДЕНО/);
    } finally {
      await other.close();
    }
  }, 180_000);
});
