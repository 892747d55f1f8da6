/** @file Static HTML for executed notebooks: markdown-it + KaTeX (server-side), code, outputs, plotly from one shared bundle. Pure and deterministic. */
import { copyFileSync, cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import MarkdownIt from "markdown-it";
import { mathPlugin, renderTex } from "./math.js";
import { cellSource, type Notebook } from "../notebook/notebook.js";
import type { NotebookOutput } from "../client/outputs.js";
import { stripAnsi } from "../notebook/ansi.js";
import { renderWidget, WIDGET_STYLE, WIDGET_VIEW_MIME } from "./widgets.js";
import { WIDGET_STATE_MIME, type WidgetStateJson } from "../client/widget-state.js";
import { escapeHtml, jsonForScript } from "../../src/display/escape.js";
import { language, notebookLanguage, setLanguage, tr } from "../../src/i18n/index.js";

const md = new MarkdownIt({ html: true, linkify: true }).use(mathPlugin);
const PLOTLY = "application/vnd.plotly.v1+json";

function text(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value ?? "");
}

/** Strips one pair of surrounding $ or $$ (text/latex output usually carries them). */
function unwrapTex(tex: string): { tex: string; display: boolean } {
  const t = tex.trim();
  const m = /^\$\$([\s\S]*)\$\$$/.exec(t) ?? /^\\\[([\s\S]*)\\\]$/.exec(t);
  if (m) return { tex: m[1], display: true };
  const i = /^\$([\s\S]*)\$$/.exec(t);
  return i ? { tex: i[1], display: false } : { tex: t, display: true };
}

interface PageState {
  plotly: number;
  /** The notebook's saved widget models (metadata.widgets), for widget views. */
  widgets: WidgetStateJson["state"];
}

/** One MIME bundle as HTML, richest representation first (as Jupyter's renderers choose). */
function renderBundle(data: Record<string, unknown>, state: PageState, cellNo: number): string {
  const view = data[WIDGET_VIEW_MIME] as { model_id?: unknown } | undefined;
  if (view && typeof view.model_id === "string") {
    const html = renderWidget(view.model_id, state.widgets, (outs) =>
      outs.map((o) => renderOutput(o as NotebookOutput, state, cellNo)).join("\n"),
    );
    if (html !== undefined) return html;
  }
  if (data[PLOTLY] !== undefined) {
    const fig = data[PLOTLY] as { data?: unknown; layout?: unknown; config?: unknown };
    const id = `plotly-${cellNo}-${state.plotly++}`;
    const args = [
      jsonForScript(id),
      jsonForScript(fig.data ?? []),
      jsonForScript(fig.layout ?? {}),
      jsonForScript({ responsive: true, ...(fig.config as object) }),
    ];
    return `<div class="plotly-graph" id="${id}"></div>\n<script>Plotly.newPlot(${args.join(", ")});</script>`;
  }
  // Kernel-produced HTML and SVG are markup, shown as Jupyter shows a trusted notebook's outputs.
  if (data["image/svg+xml"] !== undefined) return `<div class="svg">${text(data["image/svg+xml"])}</div>`;
  if (data["text/html"] !== undefined) return `<div class="html">${text(data["text/html"])}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime] !== undefined)
      return `<img class="image" alt="" src="data:${mime};base64,${escapeHtml(text(data[mime]).replace(/\s/g, ""))}">`;
  }
  if (data["text/latex"] !== undefined) {
    const { tex, display } = unwrapTex(text(data["text/latex"]));
    return `<div class="latex">${renderTex(tex, display)}</div>`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="markdown">${md.render(text(data["text/markdown"]))}</div>`;
  if (data["application/json"] !== undefined)
    return `<pre class="json">${escapeHtml(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  if (data["text/plain"] !== undefined) return `<pre class="text">${escapeHtml(stripAnsi(text(data["text/plain"])))}</pre>`;
  return `<pre class="text unsupported">${escapeHtml(`[output of type ${Object.keys(data).join(", ") || "none"}]`)}</pre>`;
}

function renderOutput(out: NotebookOutput, state: PageState, cellNo: number): string {
  switch (out.output_type) {
    case "stream":
      return `<pre class="stream ${out.name}">${escapeHtml(stripAnsi(text(out.text)))}</pre>`;
    case "error": {
      const tb = stripAnsi(out.traceback.join("\n")) || `${out.ename}: ${out.evalue}`;
      return `<pre class="error">${escapeHtml(tb)}</pre>`;
    }
    default: {
      const prompt =
        out.output_type === "execute_result"
          ? `<div class="prompt">Out[${out.execution_count ?? " "}]:</div>`
          : `<div class="prompt"></div>`;
      return `<div class="result">${prompt}${renderBundle(out.data, state, cellNo)}</div>`;
    }
  }
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
.cell{margin:1rem 0}.input pre{background:#f5f6f8;border-left:3px solid #7a8ca5;padding:.5rem .75rem;overflow-x:auto;margin:0}
.prompt{color:#7a8ca5;font:12px monospace;min-width:4.5rem}.input{display:flex;gap:.5rem}.input pre{flex:1}.hidden-source{flex:1}.hidden-source summary{cursor:pointer;color:#7a8ca5;font:12px monospace;padding:.25rem 0}
.outputs{margin-left:5rem}.result{display:flex;gap:.5rem;margin-left:-5rem}.result>:last-child{flex:1;overflow-x:auto}
pre{font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap}.stream.stderr{background:#fff3f3}
.error{background:#fde8e8;border-left:3px solid #c00;padding:.5rem}.math.display{display:block;overflow-x:auto}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}.plotly-graph{min-height:420px}.svg svg,.html svg{max-width:100%;height:auto}
${WIDGET_STYLE}`;

/**
 * The static page of an executed notebook. `assets` is the relative URL of the folder
 * {@link writeAssets} filled (KaTeX CSS, plotly.js), shared by every page.
 *
 * @example
 * renderNotebookHtml(nb, { title: "03-computational-graph", assets: "_static" }); // "<!DOCTYPE html>..."
 */
export function renderNotebookHtml(nb: Notebook, opts: { title: string; assets: string; header?: string }): string {
  const saved = (nb.metadata.widgets as Record<string, WidgetStateJson> | undefined)?.[WIDGET_STATE_MIME];
  const state: PageState = { plotly: 0, widgets: saved?.state ?? {} };
  const hiddenSummary = inNotebookLanguage(nb, () => tr("code hidden in the notebook (click to show)"));
  const cells = nb.cells.map((cell, i) => {
    const n = i + 1;
    const src = cellSource(cell);
    if (cell.cell_type === "markdown") return `<div class="cell markdown" id="cell-${n}">\n${md.render(src)}</div>`;
    if (cell.cell_type === "raw") return `<div class="cell raw" id="cell-${n}"><pre>${escapeHtml(src)}</pre></div>`;
    const outputs = (cell.outputs ?? []).map((o) => renderOutput(o, state, n)).join("\n");
    const count = cell.execution_count ?? " ";
    return [
      `<div class="cell code" id="cell-${n}">`,
      // A cell whose source Jupyter folds (metadata.jupyter.source_hidden) stays folded on the page.
      sourceHidden(cell)
        ? `<div class="input"><div class="prompt">In [${count}]:</div><details class="hidden-source"><summary>${escapeHtml(hiddenSummary)}</summary><pre><code>${escapeHtml(src)}</code></pre></details></div>`
        : `<div class="input"><div class="prompt">In [${count}]:</div><pre><code>${escapeHtml(src)}</code></pre></div>`,
      outputs ? `<div class="outputs">\n${outputs}\n</div>` : "",
      `</div>`,
    ].join("\n");
  });
  const a = escapeHtml(opts.assets);
  // A translated notebook (gradlab translate) says its language in its metadata.
  const lang = (nb.metadata.gradlab as { lang?: unknown } | undefined)?.lang;
  return [
    "<!DOCTYPE html>",
    `<html lang="${typeof lang === "string" ? escapeHtml(lang) : "en"}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(opts.title)}</title>`,
    `<link rel="stylesheet" href="${a}/katex/katex.min.css">`,
    `<style>${STYLE}</style>`,
    state.plotly > 0 ? `<script src="${a}/plotly.min.js"></script>` : "",
    "</head>",
    "<body>",
    `<h1 class="notebook-title">${escapeHtml(opts.title)}</h1>`,
    opts.header ?? "",
    ...cells,
    "</body>",
    "</html>",
    "",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

/**
 * Copies the shared assets once: KaTeX's CSS and fonts, and the plotly.js bundle.
 *
 * @example
 * writeAssets("out/_static"); // out/_static/katex/katex.min.css, out/_static/plotly.min.js
 */
export function writeAssets(dir: string): void {
  const require = createRequire(import.meta.url);
  const katexDist = dirname(require.resolve("katex"));
  mkdirSync(join(dir, "katex"), { recursive: true });
  copyFileSync(join(katexDist, "katex.min.css"), join(dir, "katex", "katex.min.css"));
  cpSync(join(katexDist, "fonts"), join(dir, "katex", "fonts"), { recursive: true });
  copyFileSync(require.resolve("plotly.js-dist-min"), join(dir, "plotly.min.js"));
}

/**
 * A plain page in the notebooks' style around some HTML (the class summary of `gradlab check`).
 *
 * @example
 * renderPageHtml("grades", "<table>...</table>");
 */
export function renderPageHtml(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<style>${STYLE}\ntable.grades{border-collapse:collapse}table.grades td,table.grades th{border:1px solid #ccd;padding:.2rem .5rem}.pass{background:#dfd}.fail,.missing,.error{background:#fdd}</style>\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body>\n</html>\n`;
}

function sourceHidden(cell: Notebook["cells"][number]): boolean {
  return (cell.metadata as { jupyter?: { source_hidden?: unknown } } | undefined)?.jupyter?.source_hidden === true;
}

/** Run `f` with the library's language set to the notebook's (from its metadata), then restore it. */
function inNotebookLanguage<T>(nb: Notebook, f: () => T): T {
  const before = language();
  setLanguage(notebookLanguage(nb.metadata) ?? "en");
  try {
    return f();
  } finally {
    setLanguage(before);
  }
}
