/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * @file Rendered output opened in real headless Chromium: the SVG graph has its vertices, the
 * backprop table its rows, the plotly chart its traces, and a <script> label never runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  add,
  backprop,
  div,
  dot,
  forwardTable,
  graph,
  mul,
  plotFunction,
  plotLines,
  sigmoid,
  square,
  sub,
  sum,
  type Tensor,
} from "gradlab";
import { JUPYTER_DISPLAY, type MimeBundle } from "../../../src/display/mime.js";
import { launch, type Browser } from "../../support/chromium.js";

const f = (x: Tensor, w: Tensor, b: Tensor) => add(div(square(sub(sigmoid(add(dot(w, x), b)), 1)), 2), mul(0.05, sum(square(w))));
const args = [[1, 2, -1], [0.5, -0.3, 0.2], 0.4] as const;

let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Put bundles into a page the way a notebook would: HTML as is, SVG inline. */
async function show(bundles: MimeBundle[]): Promise<void> {
  const body = bundles
    .map((b, k) => `<div class="output" id="out${k}">${(b["text/html"] ?? b["image/svg+xml"]) as string}</div>`)
    .join("\n");
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
}

describe("rendered output in Chromium", () => {
  it("shows the graph, backprop table and forward table with their vertices and rows", async () => {
    const gv = graph(f, ...args);
    const bp = backprop(f, ...args);
    const fw = forwardTable(f, ...args, { wrt: "w" });
    await show([gv[JUPYTER_DISPLAY](), bp[JUPYTER_DISPLAY](), fw[JUPYTER_DISPLAY]()]);
    const m = gv.graph.vertices.length;
    expect(await page.locator("#out0 svg g.node").count()).toBe(m);
    expect(await page.locator("#out0 svg g.edge").count()).toBe(gv.graph.edges.length);
    const ids = await page.locator("#out0 svg g.node").evaluateAll((els) => els.map((e) => e.id.replace(/^g[0-9a-z]+_/, "")));
    const byNumber = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));
    expect(ids.sort(byNumber)).toEqual(gv.graph.vertices.map((v) => `u${v.id}`));
    expect(await page.locator("#out0 svg g.node").first().textContent()).toContain("input x");
    // Backprop: annotated graph + step table with one row per vertex (i = m..1) + gradients.
    const steps = page.locator("#out1 table.gradlab-table").first();
    expect(await steps.locator("tbody tr").count()).toBe(m);
    expect(await steps.locator("tbody tr").first().locator("td").first().textContent()).toBe(String(m));
    expect(await steps.locator("tbody tr").last().locator("td").first().textContent()).toBe("1");
    expect(await page.locator("#out1 svg g.node").count()).toBe(m);
    expect(await page.locator("#out1 svg").textContent()).toContain("ū =");
    const grads = page.locator("#out1 table.gradlab-table").nth(1);
    expect(await grads.locator("tbody tr td:first-child").allTextContents()).toEqual(["∂f/∂x", "∂f/∂w", "∂f/∂b"]);
    expect(await page.locator("#out2 table.gradlab-table tbody tr").count()).toBe(m);
  });

  it("draws plotly charts with their traces, loading plotly.js once", async () => {
    const first = plotFunction((x: Tensor) => sigmoid(x), { range: [-3, 3], points: 31 })[JUPYTER_DISPLAY]();
    const second = plotLines([
      { name: "forward", x: [1, 10, 100], y: [1, 10, 100] },
      { name: "reverse", x: [1, 10, 100], y: [3, 3, 3] },
      { name: "<b>bold?</b>", x: [1], y: [1] },
    ])[JUPYTER_DISPLAY]();
    expect(second["text/html"]).not.toContain("if (!window.Plotly)");
    await show([first, second]);
    await page.waitForFunction(() => document.querySelectorAll(".gradlab-plotly.js-plotly-plot").length === 2, null, { timeout: 20_000 });
    const traces = await page.evaluate(() =>
      [...document.querySelectorAll(".gradlab-plotly")].map((el) =>
        (el as unknown as { data: { name: string }[] }).data.map((t) => t.name),
      ),
    );
    expect(traces).toEqual([
      ["f(x)", "f'(x) (autodiff)"],
      ["forward", "reverse", "<b>bold?</b>"],
    ]);
    expect(await page.locator("#out1 g.trace.scatter").count()).toBe(3);
  });

  it("never runs a <script> label", async () => {
    const evil = "<script>alert(1)</script>";
    const gv = graph((x: Tensor) => mul(x, x), 2, { names: [evil], title: evil });
    const bp = backprop((x: Tensor) => mul(x, x), 2, { names: [evil] });
    await show([gv[JUPYTER_DISPLAY](), bp[JUPYTER_DISPLAY]()]);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await page.locator("#out0 svg").textContent()).toContain(evil);
    expect(await page.locator("#out1 table").first().textContent()).toContain(`u1 = ${evil}`);
    expect(await page.locator("#out1 table").nth(1).textContent()).toContain("∂f/∂" + evil);
    expect(await page.locator("body script").count()).toBe(0);
  });
});
