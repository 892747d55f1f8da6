/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** @file A `--html` page in real headless Chromium: KaTeX styles load, plotly draws from the shared bundle, SVG is inline. */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "../../support/chromium.js";
import { launchChromium, SCREENSHOTS } from "../browser.js";
import { gradlab, scratchCopy } from "../helpers.js";

describe("--html page in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("renders math, the inline SVG and a plotly chart with its trace", async () => {
    const dir = scratchCopy("python");
    const out = join(dir, "out");
    expect((await gradlab(["run", join(dir, "python", "ok.ipynb"), "--html", "--out", out])).code).toBe(0);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(out, "ok.html")).href);
    await page.waitForSelector("#plotly-4-0 .main-svg", { timeout: 20_000 });
    expect(await page.locator("#plotly-4-0 .scatterlayer .trace").count()).toBe(1);
    expect(await page.locator(".gtitle").first().textContent()).toBe("squares");
    expect(await page.locator(".svg circle.probe-dot").count()).toBe(1);
    expect(await page.locator(".markdown .katex").count()).toBeGreaterThanOrEqual(2);
    // KaTeX's stylesheet applied: its hidden MathML copy is visually clipped.
    const clip = await page
      .locator(".katex-mathml")
      .first()
      .evaluate((el) => getComputedStyle(el).position);
    expect(clip).toBe("absolute");
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "runner-html-fixture.png"), fullPage: true });
    await page.close();
  });
});
