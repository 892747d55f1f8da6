/** @file Static HTML pages: escaping, KaTeX math, output kinds, shared plotly bundle, determinism; and the --html run. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderNotebookHtml } from "../../../cli/html/page.js";
import { courseEntry, itemRange, renderFrontPage, renderInstructorsPage, sitePath } from "../../../cli/html/front-page.js";
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
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain(
      '<tr><td><strong>Rich outputs</strong></td><td></td><td lang="en"><a href="ok.html" hreflang="en">read</a></td></tr>',
    );
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

describe("the course's front page", () => {
  const md = (source: string) => ({ cell_type: "markdown" as const, source, metadata: {} });
  const code = (source: string, tags: string[] = []) => ({
    cell_type: "code" as const,
    source,
    metadata: { tags },
    outputs: [],
    execution_count: null,
  });
  const seminar = (title: string, lang?: string, items?: number[]) => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { ...(lang ? { language: lang } : {}), ...(items ? { gradlab: { items } } : {}) },
    cells: [md(`Intro without a heading\n# ${title}\n\ntext`), code("1 + 1")],
  });
  const homework = (title: string, lang?: string) => ({
    ...seminar(title, lang, [3, 4, 5]),
    cells: [md(`# ${title}`), code("// BEGIN SOLUTION\nreturn 1;\n// END SOLUTION"), code("gradeIt()", ["grader"])],
  });
  const entries = [
    courseEntry(seminar("4. Backpropagation (reverse mode)", undefined, [4, 5, 6]), "04-backprop.ipynb", "04-backprop.html", true),
    courseEntry(seminar("4. Back propagation (обратный режим)", "ru", [4, 5, 6]), "ru/04-backprop.ipynb", "ru/04-backprop.html", false),
    courseEntry(seminar("7. Forward mode", undefined, [9, 10]), "07-forward-mode.ipynb", "07-forward-mode.html", true),
    courseEntry(homework("Homework 3: the graph"), "homework/source/03-graph.ipynb", "homework/source/03-graph.html", true),
    courseEntry(homework("Домашнее задание 3: граф", "ru"), "homework/source/ru/03-graph.ipynb", "homework/source/ru/03-graph.html", true),
  ];

  it("reads a notebook's first heading, language, items and whether it holds solutions", () => {
    expect(entries.map((e) => [e.title, e.lang, itemRange(e.items), e.solutions])).toEqual([
      ["4. Backpropagation (reverse mode)", "en", "4–6", false],
      ["4. Back propagation (обратный режим)", "ru", "4–6", false],
      ["7. Forward mode", "en", "9, 10", false],
      ["Homework 3: the graph", "en", "3–5", true],
      ["Домашнее задание 3: граф", "ru", "3–5", true],
    ]);
    expect(courseEntry({ ...seminar("x"), cells: [code("1")] }, "dir/plain.ipynb", "dir/plain.html", true).title).toBe("plain");
    expect(sitePath("homework/source/ru/03-graph.ipynb")).toBe("homework/ru/03-graph.ipynb");
    expect(sitePath("ru/04-backprop.ipynb")).toBe("ru/04-backprop.ipynb");
  });

  it("puts a notebook's languages on one row, links the site, and never links a page with solutions", () => {
    const page = renderFrontPage(entries, { site: "site/" });
    const rows = page.match(/<tr><td>.*<\/tr>/g)!;
    expect(rows[0]).toBe(
      '<tr><td><strong>4. Backpropagation (reverse mode)</strong><br><span lang="ru">4. Back propagation (обратный режим)</span></td><td>4–6</td>' +
        '<td lang="en"><a href="04-backprop.html" hreflang="en">read</a> · <a href="site/lab/index.html?path=04-backprop.ipynb" hreflang="en">run in your browser</a></td>' +
        '<td lang="ru"><a href="ru/04-backprop.html" hreflang="ru">читать</a> · <a href="site/lab/index.html?path=ru/04-backprop.ipynb" hreflang="ru">запустить в браузере</a> <strong class="failed">(с ошибкой)</strong></td></tr>',
    );
    expect(rows[1]).toContain("<td>9, 10</td>");
    expect(rows[1]).toContain("<td></td></tr>"); // no Russian copy
    // Homework: the student copy on the site, never the executed source.
    expect(rows[2]).toContain('<a href="site/lab/index.html?path=homework/03-graph.ipynb" hreflang="en">run in your browser</a>');
    expect(rows[2]).toContain('<a href="site/lab/index.html?path=homework/ru/03-graph.ipynb" hreflang="ru">запустить в браузере</a>');
    expect(page).not.toContain("homework/source/");
    expect(page).toContain('<a href="instructors.html">');
    const instructors = renderInstructorsPage(entries);
    expect(instructors.match(/<li.*<\/li>/g)).toEqual([
      '<li lang="en"><a href="homework/source/03-graph.html">Homework 3: the graph</a> (English)</li>',
      '<li lang="ru"><a href="homework/source/ru/03-graph.html">Домашнее задание 3: граф</a> (Русский)</li>',
    ]);
  });

  it("without a site, links the executed pages only", () => {
    const page = renderFrontPage(entries);
    expect(page).not.toContain("lab/index.html");
    expect(page).toContain('<a href="07-forward-mode.html" hreflang="en">read</a></td>');
  });
});
