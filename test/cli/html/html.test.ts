/** @file Static HTML pages: escaping, KaTeX math, output kinds, shared plotly bundle, determinism; and the --html run. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderIndexHtml, renderNotebookHtml } from "../../../cli/html/page.js";
import { escapeHtml } from "../../../src/display/escape.js";
import type { Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, scratchCopy } from "../helpers.js";

function nb(cells: Notebook["cells"]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

describe("renderNotebookHtml", () => {
  it("escapes code, streams, plain text and errors, and strips terminal colours", () => {
    const page = renderNotebookHtml(
      nb([
        {
          cell_type: "code",
          source: "if (a < b && c > d) '</script>'",
          metadata: {},
          execution_count: 7,
          outputs: [
            { output_type: "stream", name: "stdout", text: "<b>not bold</b>" },
            { output_type: "execute_result", execution_count: 7, data: { "text/plain": "'x' & \"y\"" }, metadata: {} },
            { output_type: "error", ename: "E", evalue: "v", traceback: ["\x1b[31mE: <oops>\x1b[0m"] },
          ],
        },
      ]),
      { title: "t <1>", assets: "_static" },
    );
    expect(page).toContain("<title>t &lt;1&gt;</title>");
    expect(page).toContain("<code>if (a &lt; b &amp;&amp; c &gt; d) &#39;&lt;/script&gt;&#39;</code>");
    expect(page).toContain('<pre class="stream stdout">&lt;b&gt;not bold&lt;/b&gt;</pre>');
    expect(page).toContain("&#39;x&#39; &amp; &quot;y&quot;");
    expect(page).toContain('<pre class="error">E: &lt;oops&gt;</pre>');
    expect(page).toContain("In [7]:");
    expect(page).toContain("Out[7]:");
    expect(page).not.toContain("<b>not bold</b>");
  });

  it("keeps a cell whose source Jupyter hides folded, with a summary in the notebook's language", () => {
    const hidden = (lang?: string): string =>
      renderNotebookHtml(
        {
          ...nb([
            {
              cell_type: "code",
              source: "const hint = 1;",
              metadata: { jupyter: { source_hidden: true } },
              execution_count: 1,
              outputs: [],
            },
            { cell_type: "code", source: "const shown = 2;", metadata: {}, execution_count: 2, outputs: [] },
          ]),
          metadata: lang ? { language: lang } : {},
        },
        { title: "h", assets: "s" },
      );
    const en = hidden();
    expect(en).toContain(
      '<details class="hidden-source"><summary>code hidden in the notebook (click to show)</summary><pre><code>const hint = 1;</code></pre></details>',
    );
    expect(en).toContain("<pre><code>const shown = 2;</code></pre></div>");
    expect(en).not.toContain(
      '<details class="hidden-source"><summary>code hidden in the notebook (click to show)</summary><pre><code>const shown',
    );
    expect(hidden("ru")).toContain("<summary>код скрыт в ноутбуке (нажмите, чтобы показать)</summary>");
  });

  it("renders markdown with inline and display math through KaTeX, keeping \\$ a dollar", () => {
    const page = renderNotebookHtml(
      nb([{ cell_type: "markdown", source: "Price \\$5, and $x_1^2$ inline.\n\n$$\n\\nabla f = \\sigma a\n$$\n\n*done*", metadata: {} }]),
      { title: "m", assets: "s" },
    );
    expect(page).toContain("Price $5, and");
    expect(page).toMatch(/<span class="math"><span class="katex">.*x.*<\/span><\/span> inline/s);
    expect(page).toContain('<div class="math display"><span class="katex-display">');
    expect(page).toContain('<annotation encoding="application/x-tex">\\nabla f = \\sigma a</annotation>');
    expect(page).toContain("<em>done</em>");
    expect(page).toContain('<link rel="stylesheet" href="s/katex/katex.min.css">');
  });

  it("picks the richest MIME type: plotly, SVG, HTML, PNG, LaTeX", () => {
    const out = (data: Record<string, unknown>) => ({ output_type: "display_data" as const, data, metadata: {} });
    const page = renderNotebookHtml(
      nb([
        {
          cell_type: "code",
          source: "",
          metadata: {},
          outputs: [
            out({ "application/vnd.plotly.v1+json": { data: [{ y: [1, 2] }], layout: { title: "</script><x>" } }, "text/plain": "fig" }),
            out({ "image/svg+xml": '<svg id="g"></svg>', "text/plain": "svg" }),
            out({ "text/html": '<table id="t"></table>', "text/plain": "table" }),
            out({ "image/png": "iVBORw0KGgo=\n", "text/plain": "png" }),
            out({ "text/latex": "$$\\frac{1}{2}$$", "text/plain": "tex" }),
            out({ "application/vnd.plotly.v1+json": { data: [], layout: {} } }),
          ],
        },
      ]),
      { title: "p", assets: "../_static" },
    );
    expect(page.match(/<script src="\.\.\/_static\/plotly\.min\.js"><\/script>/g)).toHaveLength(1);
    expect(page).toContain('<div class="plotly-graph" id="plotly-1-0"></div>');
    expect(page).toContain('<div class="plotly-graph" id="plotly-1-1"></div>');
    expect(page).toContain('{"title":"\\u003c/script\\u003e\\u003cx\\u003e"}');
    expect(page).toContain('<div class="svg"><svg id="g"></svg></div>');
    expect(page).toContain('<div class="html"><table id="t"></table></div>');
    expect(page).toContain('<img class="image" alt="" src="data:image/png;base64,iVBORw0KGgo=">');
    expect(page).toMatch(/<div class="latex"><span class="katex-display">.*mfrac/s);
    expect(page).not.toMatch(/>fig<|>svg<|>table<|>png<|>tex</);
  });

  it("loads no plotly bundle when the page has no chart", () => {
    expect(renderNotebookHtml(nb([]), { title: "e", assets: "a" })).not.toContain("plotly.min.js");
  });

  it("escapes attribute-breaking characters", () => {
    expect(escapeHtml(`"'<>&`)).toBe("&quot;&#39;&lt;&gt;&amp;");
  });
});

describe("gradlab run --html", () => {
  it("writes one page per notebook, an index, and the shared assets once, deterministically", async () => {
    const dir = scratchCopy("python");
    const out = join(dir, "out");
    const first = await gradlab(["run", join(dir, "python", "ok.ipynb"), "--html", "--out", out]);
    expect(first.code).toBe(0);
    const page = readFileSync(join(out, "ok.html"), "utf8");
    expect(page).toContain('<table class="probe">');
    expect(page).toContain('<circle class="probe-dot"');
    expect(page).toContain("&lt;not a tag&gt; &amp; ok");
    expect(page).toContain('<script src="_static/plotly.min.js"></script>');
    expect(page).toContain('Plotly.newPlot("plotly-4-0"');
    expect(page).toMatch(/class="katex"/);
    expect(existsSync(join(out, "_static", "plotly.min.js"))).toBe(true);
    expect(existsSync(join(out, "_static", "katex", "katex.min.css"))).toBe(true);
    expect(existsSync(join(out, "_static", "katex", "fonts", "KaTeX_Main-Regular.woff2"))).toBe(true);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain('<a href="ok.html">ok.ipynb</a>');
    const second = await gradlab(["run", join(dir, "python", "ok.ipynb"), "--html", "--out", out]);
    expect(second.code).toBe(0);
    expect(readFileSync(join(out, "ok.html"), "utf8")).toBe(page);
  });
});

describe("page language", () => {
  it("a translated notebook's page says its language", () => {
    const nb = { cells: [], metadata: { gradlab: { lang: "ru" } }, nbformat: 4, nbformat_minor: 5 } as unknown as Notebook;
    expect(renderNotebookHtml(nb, { title: "ru/01", assets: "_static" })).toContain('<html lang="ru">');
    expect(renderNotebookHtml({ ...nb, metadata: {} }, { title: "01", assets: "_static" })).toContain('<html lang="en">');
  });
});

describe("renderIndexHtml", () => {
  it("links the English and Russian versions of a notebook on one line, marking a failed one", () => {
    const page = renderIndexHtml([
      { href: "01-x.html", title: "01-x.ipynb", ok: true },
      { href: "homework/solutions/02-y.html", title: "homework/solutions/02-y.ipynb", ok: true },
      { href: "ru/01-x.html", title: "ru/01-x.ipynb", ok: false },
      { href: "ru/03-z.html", title: "ru/03-z.ipynb", ok: true },
    ]);
    const items = page.match(/<li>.*<\/li>/g)!;
    expect(items).toEqual([
      '<li>01-x.ipynb: <a href="01-x.html" hreflang="en">English</a> · <a href="ru/01-x.html" hreflang="ru">Русский</a> <strong class="failed">(failed)</strong></li>',
      '<li><a href="homework/solutions/02-y.html">homework/solutions/02-y.ipynb</a></li>',
      '<li>03-z.ipynb: <a href="ru/03-z.html" hreflang="ru">Русский</a></li>',
    ]);
  });
});
