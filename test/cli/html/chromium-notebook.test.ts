/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * @file The seminar notebooks in a browser: Debian's `jupyter notebook` with the gradlab kernelspec, seminar
 * notebook 3 run through the page in headless Chromium (graph SVG and plotly chart in the DOM),
 * the same on gradlab's notebook server class, which serves plotly.js to the figures (and after a
 * reload), then the same notebook's `--html` page. Screenshots go to out/screenshots/.
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "../../support/chromium.js";
import { launchChromium, SCREENSHOTS } from "../browser.js";
import { gradlab, REPO } from "../helpers.js";
import { startJupyterServer, type JupyterServer } from "../../support/jupyter-server.js";

const NOTEBOOK = "03-computational-graph.ipynb";
/** A Graphviz graph drawn by %graph / graph(): an inline SVG with node groups. */
const GRAPH_SVG = "svg g.node";
/** A plotly chart that plotly.js actually drew. */
const PLOTLY_DRAWN = ".js-plotly-plot .main-svg";

/** Errors shown in the page's output areas (classic notebook), to fail with their text instead of a timeout. */
async function notebookErrors(page: Page): Promise<string[]> {
  return page.locator(".output_error").allInnerTexts();
}

/** The classic notebook scrolls inside #site: let the page grow so a full-page screenshot shows every cell. */
async function fullScreenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => {
    const site = document.getElementById("site");
    if (site) Object.assign(site.style, { height: "auto", overflow: "visible" });
    document.body.style.overflow = "visible";
  });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

/** Opens `NOTEBOOK` on `server`'s classic notebook page, waits for the gradlab kernel, runs every cell and waits until all ran or one failed. */
async function runAll(page: Page, server: JupyterServer): Promise<void> {
  await page.goto(`${server.url}notebooks/${NOTEBOOK}?token=${server.token}`);
  await page.waitForFunction(
    () => {
      const nb = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean; info_reply?: unknown } } } }).Jupyter
        ?.notebook;
      return Boolean(nb?.kernel?.is_connected() && nb.kernel.info_reply);
    },
    undefined,
    { timeout: 60_000 },
  );
  expect(
    await page.evaluate(() => (window as unknown as { Jupyter: { notebook: { kernel: { name: string } } } }).Jupyter.notebook.kernel.name),
  ).toBe("gradlab");
  await page.evaluate(() =>
    (window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }).Jupyter.notebook.execute_all_cells(),
  );
  // Done when every non-empty code cell has an execution count, or as soon as one shows an error.
  await page.waitForFunction(
    () => {
      type Cell = { cell_type: string; input_prompt_number: unknown; get_text(): string };
      const cells = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook.get_cells();
      const code = cells.filter((c) => c.cell_type === "code" && c.get_text().trim() !== "");
      return document.querySelector(".output_error") !== null || code.every((c) => typeof c.input_prompt_number === "number");
    },
    undefined,
    { timeout: 120_000, polling: 250 },
  );
}

describe("seminar notebook 3 in Chromium", () => {
  let server: JupyterServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startJupyterServer((dir) => {
      copyFileSync(join(REPO, "notebooks", NOTEBOOK), join(dir, "root", NOTEBOOK));
    });
    const install = await gradlab(["install", "--prefix", server.dir]);
    if (install.code !== 0) throw new Error(`gradlab install --prefix failed:\n${install.stdout}${install.stderr}`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("runs every cell through the classic notebook page and shows the graph SVG and a plotly chart", async () => {
    const page = await browser.context.newPage();
    await runAll(page, server);
    await fullScreenshot(page, "notebook-03-jupyter.png");
    expect(await notebookErrors(page)).toEqual([]);
    await page.waitForSelector(`.output_area ${GRAPH_SVG}`, { timeout: 20_000 });
    await page.waitForSelector(`.output_area ${PLOTLY_DRAWN}`, { timeout: 20_000 });
    expect(await page.locator(`.output_area ${GRAPH_SVG}`).count()).toBeGreaterThan(3);
    await fullScreenshot(page, "notebook-03-jupyter.png");
    await page.close();
  });

  it("on gradlab's notebook server class, loads plotly.js from the server: small outputs, charts drawn again after a reload", async () => {
    // Installed before the server starts: it looks for plotly.js among its nbextensions at start.
    const dir = mkdtempSync(join(tmpdir(), "gradlab-jupyter-"));
    const install = await gradlab(["install", "--prefix", dir]);
    expect(install.code, install.stderr).toBe(0);
    const ours = await startJupyterServer((d) => copyFileSync(join(REPO, "notebooks", NOTEBOOK), join(d, "root", NOTEBOOK)), [], dir, {
      app: "gradlab",
    });
    try {
      const page = await browser.context.newPage();
      await runAll(page, ours);
      expect(await notebookErrors(page)).toEqual([]);
      await page.waitForSelector(`.output_area ${PLOTLY_DRAWN}`, { timeout: 20_000 });
      expect(await page.locator("script[data-gradlab-plotly]").getAttribute("src")).toMatch(/^\/nbextensions\/gradlab\/plotly\.min\.js$/);
      // No output carries the library: the largest text/html of a plotly output is the figure itself.
      const htmlSizes = await page.evaluate(() => {
        type Out = { data?: Record<string, unknown> };
        type Cell = { cell_type: string; output_area?: { outputs: Out[] } };
        const cells = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook.get_cells();
        return cells
          .flatMap((c) => c.output_area?.outputs ?? [])
          .filter((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined)
          .map((o) => String(o.data?.["text/html"]).length);
      });
      expect(htmlSizes.length).toBeGreaterThan(0);
      expect(Math.max(...htmlSizes)).toBeLessThan(200_000);
      // Saved and opened again, without running a cell: the charts draw from the served library.
      await page.evaluate(() =>
        (window as unknown as { Jupyter: { notebook: { save_notebook(): Promise<unknown> } } }).Jupyter.notebook.save_notebook(),
      );
      await page.waitForFunction(() => !(window as unknown as { Jupyter: { notebook: { dirty: boolean } } }).Jupyter.notebook.dirty);
      await page.reload();
      await page.waitForSelector(`.output_area ${PLOTLY_DRAWN}`, { timeout: 20_000 });
      await fullScreenshot(page, "notebook-03-jupyter-served-plotly.png");
      await page.close();
    } finally {
      await ours.stop();
    }
  });

  it("shows the same graph and chart on the notebook's --html page", async () => {
    const out = join(server.dir, "html");
    const r = await gradlab(["run", join(REPO, "notebooks", NOTEBOOK), "--html", "--out", out]);
    expect(r.code, r.stdout).toBe(0);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(out, NOTEBOOK.replace(/\.ipynb$/, ".html"))).href);
    expect(await page.locator(`.outputs ${GRAPH_SVG}`).count()).toBeGreaterThan(3);
    await page.screenshot({ path: join(SCREENSHOTS, "notebook-03-html.png"), fullPage: true });
    await page.waitForSelector(`.plotly-graph .main-svg`, { timeout: 20_000 });
    expect(await page.locator(".markdown .katex").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "notebook-03-html.png"), fullPage: true });
    await page.close();
  });
});
