/// <reference lib="dom" />
/**
 * @file The widgets' front-end test: ipywidgets 8's own front end from npm (`@jupyter-widgets/html-manager`,
 * `controls`, `base`), bundled by esbuild, runs in headless Debian Chromium and talks to the gradlab kernel
 * through Debian's `jupyter notebook` server over `@jupyterlab/services`. The test drags the slider of
 * `%interact backprop` with real mouse events and waits for the adjoint table to become the kernel's
 * backprop view at the slider's new value. Screenshots go to out/screenshots/.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, SCREENSHOTS } from "../../cli/browser.js";
import { gradlab, REPO } from "../../cli/helpers.js";
import { startJupyterServer, type JupyterServer } from "../../support/jupyter-server.js";
import type { Browser } from "../../support/chromium.js";

/** CI must run this test; elsewhere it is skipped only when Chromium or Debian's notebook server is missing. */
const required = process.env.CI === "true";
const available = existsSync("/usr/bin/chromium") && spawnSync("/usr/bin/python3", ["-c", "import notebook"]).status === 0;

/** Waits for the page, the kernel start and each re-render (conditions, never fixed sleeps). */
const WAIT_MS = 60_000;
const SETUP = [
  'import { add, mul, sigmoid, sum, tensor, backprop } from "gradlab";',
  "const fx = tensor([1, 2]);",
  "const loss = (x: any, w: any, b: any) => sum(sigmoid(add(mul(w, x), b)));",
  "const w0 = 0.5, b0 = -1;",
].join("\n");
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".eot": "application/vnd.ms-fontobject",
};

/** The page's test API (test/e2e/chromium/widgets-page/main.ts). */
interface Harness {
  ready: boolean;
  failure?: string;
  execute(code: string): Promise<{ status: string; error?: string; outputs: Record<string, unknown>[] }>;
  state(name: string, key: string): unknown[];
}
const harness = (page: Page) => page.evaluateHandle(() => (window as unknown as { harness: Harness }).harness);

/** Bundles the page with esbuild into `dir` (main.js, main.css and the fonts they use) and writes index.html. */
async function bundlePage(dir: string): Promise<void> {
  await build({
    entryPoints: [join(REPO, "test", "e2e", "chromium", "widgets-page", "main.ts")],
    bundle: true,
    outdir: dir,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file" },
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
    // html-manager's embed code sets webpack's asset path, a global webpack would provide.
    banner: { js: 'var __webpack_public_path__ = "";' },
    logLevel: "error",
  });
  writeFileSync(
    join(dir, "index.html"),
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>gradlab widgets</title><link rel="icon" href="data:,"><link rel="stylesheet" href="main.css"></head>\n' +
      '<body style="margin:16px;font-family:sans-serif"><div id="widgets"></div><script src="main.js"></script></body></html>\n',
  );
}

/** Serves `dir` on 127.0.0.1 (the page's own origin, which the Jupyter server is told to allow). */
async function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dir, path === "/" ? "index.html" : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  return { server, origin: `http://127.0.0.1:${port}` };
}

describe.skipIf(!available && !required)("ipywidgets 8 front end in Chromium, gradlab kernel behind a Jupyter server", () => {
  let dir = "";
  let page: Page;
  let web: { server: Server; origin: string };
  let jupyter: JupyterServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gradlab-widgets-page-"));
    await bundlePage(dir);
    web = await serve(dir);
    jupyter = await startJupyterServer(() => {}, [`--NotebookApp.allow_origin=${web.origin}`]);
    const install = await gradlab(["install", "--prefix", jupyter.dir]);
    if (install.code !== 0) throw new Error(`gradlab install --prefix failed:\n${install.stdout}${install.stderr}`);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await page.goto(`${web.origin}/index.html?server=${encodeURIComponent(jupyter.url)}&token=${jupyter.token}&kernel=gradlab`);
    const connected = await page
      .waitForFunction(
        () => {
          const h = (window as unknown as { harness?: Harness }).harness;
          return Boolean(h?.ready || h?.failure);
        },
        undefined,
        { timeout: WAIT_MS },
      )
      .then(
        () => page.evaluate(() => (window as unknown as { harness: Harness }).harness.failure ?? "ok"),
        (e: Error) => e.message,
      );
    if (connected !== "ok")
      throw new Error(
        `the page could not connect to the kernel: ${connected}\n--- page errors ---\n${pageErrors.join("\n")}\n--- console ---\n${consoleLines.join("\n")}\n--- server log ---\n${jupyter.log()}`,
      );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await jupyter?.stop();
    await new Promise((ok) => (web ? web.server.close(ok) : ok(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("dragging the slider of %interact backprop re-draws the adjoint table for the new value", async () => {
    const h = await harness(page);
    const setup = await h.evaluate((hh, code) => hh.execute(code), SETUP);
    expect(setup.status, setup.error).toBe("ok");
    const shown = await h.evaluate((hh) => hh.execute("%interact backprop loss(fx, w0, b0)"));
    expect(shown.status, shown.error).toBe("ok");

    // The controls' own views: two noUiSlider sliders (w, b) and the Output widget with the backprop view.
    const sliders = page.locator(".widget-area .widget-slider");
    const table = page.locator(".widget-area .widget-output .gradlab-backprop table");
    await table.first().waitFor({ timeout: WAIT_MS });
    expect(await sliders.count()).toBe(2);
    expect(await sliders.locator(".widget-label").allTextContents()).toEqual(["w", "b"]);
    const before = await table.allTextContents();
    const shotBefore = join(SCREENSHOTS, "widgets-backprop-before.png");
    await page.screenshot({ path: shotBefore, fullPage: true });

    // Drag w's handle to the right with real mouse events.
    const handle = sliders.first().locator(".noUi-handle");
    const track = sliders.first().locator(".noUi-target");
    const hb = (await handle.boundingBox())!;
    const tb = (await track.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(tb.x + tb.width * 0.85, hb.y + hb.height / 2, { steps: 12 });
    await page.mouse.up();

    // The front end's model holds the dropped value at once; the kernel gets it in a comm update (ipywidgets
    // sends one at a time and the last one when the previous is handled), so wait for its re-drawn view.
    const [w] = (await h.evaluate((hh) => hh.state("FloatSliderModel", "value"))) as number[];
    expect(w).toBeGreaterThan(0.5);
    const direct = await h.evaluate((hh, code) => hh.execute(code), `backprop(loss, fx, ${w}, b0)`);
    const want = String(direct.outputs[0]!["text/html"]);
    // The Output widget's model holds the kernel's backprop view at w, and the page shows that table.
    await page.waitForFunction(
      (html) => {
        const outs = (window as unknown as { harness: Harness }).harness.state("OutputModel", "outputs")[0] as {
          data: Record<string, string>;
        }[];
        if (outs?.[0]?.data["text/html"] !== html) return false;
        const scratch = document.createElement("div");
        scratch.innerHTML = html;
        const drawn = document.querySelector(".widget-area .widget-output .gradlab-backprop");
        return drawn?.textContent === scratch.querySelector(".gradlab-backprop")?.textContent;
      },
      want,
      { timeout: WAIT_MS },
    );
    const after = await table.allTextContents();
    expect(after).not.toEqual(before);
    const readout = await sliders.first().locator(".widget-readout").textContent();
    expect(Number(readout)).toBeCloseTo(w, 2);
    const shotAfter = join(SCREENSHOTS, "widgets-backprop-after.png");
    await page.screenshot({ path: shotAfter, fullPage: true });
    console.log(`screenshots: ${shotBefore} ${shotAfter} (w: 0.5 -> ${w})`);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("the playground's plotly chart draws in the Output widget, and choosing Newton in its dropdown re-draws the path", async () => {
    const h = await harness(page);
    const shown = await h.evaluate((hh) =>
      hh.execute(
        'import { playground, square } from "gradlab";\nconst bowl = (x: any, y: any) => add(square(x), mul(3, square(y)));\nplayground(bowl, { x0: 1, y0: -1, lr: 0.1, steps: 5 })',
      ),
    );
    expect(shown.status, shown.error).toBe("ok");
    const area = page.locator(".widget-area").last();
    const legend = area.locator(".widget-output .js-plotly-plot .legendtext");
    await area.locator(".widget-output .js-plotly-plot .main-svg").first().waitFor({ timeout: WAIT_MS });
    expect(await legend.allTextContents()).toEqual(["gradient descent", "start"]); // the contour has a colour bar, no legend entry
    await area.locator(".widget-dropdown select").selectOption({ label: "Newton" });
    await legend.filter({ hasText: /^Newton$/ }).waitFor({ timeout: WAIT_MS });
    expect(await area.locator(".widget-output .gtitle").textContent()).toContain("bowl: Newton, lr = 0.1; after 5 steps");
    const shot = join(SCREENSHOTS, "widgets-playground-newton.png");
    await area.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
