/**
 * @file Plotly figures as MIME bundles: `application/vnd.plotly.v1+json` for JupyterLab / VS Code
 * and `text/html` for the classic Notebook, where plotly.js is put into the page once per session
 * (the first figure displayed carries the loader; later ones only wait for `window.Plotly`).
 * Where the server serves plotly.js itself (`GRADLAB_PLOTLY_SRC`, set for its kernels by gradlab's
 * notebook server class when `gradlab install` put it among the server's nbextensions), every
 * figure carries a small script that loads it from there instead: no 4.8 MB through the kernel,
 * the server and the page, none in the saved notebook, and figures draw again when the page is
 * reloaded.
 */
import { platform } from "#platform";
import { contentId, escapeHtml, jsonForScript } from "./escape.js";
import { JUPYTER_DISPLAY, type Displayable, type MimeBundle } from "./mime.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/**
 * The plotly JSON MIME type.
 *
 * @example
 * fig.bundle({ loader: false })[PLOTLY_MIME]; // { data, layout, config }
 */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A plotly figure as plain data. */
export interface FigureSpec {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** plotly.js-dist-min's bundle, read once by the platform (about 4.8 MB). */
function plotlyJs(): string {
  // Never let the bundle close its own <script> element.
  return platform.plotlySource().replace(/<\/script/gi, "<\\/script");
}

/**
 * HTML that defines `window.Plotly` from the bundled plotly.js, only if the page has none yet.
 *
 * @example
 * loaderHtml().startsWith("<script>if (!window.Plotly)"); // true
 */
export function loaderHtml(): string {
  return `<script>if (!window.Plotly) {\n${plotlyJs()}\n}</script>`;
}

/**
 * HTML that loads plotly.js from the page's server at `src`, a path under the server's base URL
 * (the classic Notebook's `data-base-url`, JupyterLab's page config), unless the page has it or is
 * loading it already.
 *
 * @example
 * servedLoaderHtml("nbextensions/gradlab/plotly.min.js").includes("data-gradlab-plotly"); // true
 */
export function servedLoaderHtml(src: string): string {
  return (
    `<script>(function () {\n` +
    `  if (window.Plotly || document.querySelector("script[data-gradlab-plotly]")) return;\n` +
    `  var config = document.getElementById("jupyter-config-data");\n` +
    `  var base = (config && JSON.parse(config.textContent).baseUrl) || document.body.getAttribute("data-base-url") || "/";\n` +
    `  var s = document.createElement("script");\n` +
    `  s.src = base.replace(/\\/?$/, "/") + ${jsonForScript(src)};\n` +
    `  s.setAttribute("data-gradlab-plotly", "");\n` +
    `  document.head.appendChild(s);\n` +
    `})();</script>`
  );
}

/**
 * The `text/html` of a figure (pure): a div with a content-derived id and a script that draws
 * into it once `window.Plotly` exists (waiting up to 10 s, then saying how to load it).
 *
 * @example
 * figureHtml({ data: [{ y: [1, 2] }] }); // '<div class="gradlab-plotly" id="gradlab-plot-...'
 */
export function figureHtml(fig: FigureSpec): string {
  const json = jsonForScript({ data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} });
  const id = `gradlab-plot-${contentId(json)}`;
  const height = typeof fig.layout?.height === "number" ? fig.layout.height : 420;
  return (
    `<div class="gradlab-plotly" id="${escapeHtml(id)}" style="width:100%;height:${height}px"></div>\n` +
    `<script>(function () {\n` +
    `  var fig = ${json};\n` +
    `  var el = document.getElementById(${jsonForScript(id)});\n` +
    `  function draw() { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); }\n` +
    `  if (window.Plotly) return draw();\n` +
    `  var tries = 0, timer = setInterval(function () {\n` +
    `    if (window.Plotly) { clearInterval(timer); draw(); }\n` +
    `    else if (++tries > 200) { clearInterval(timer); el.textContent = ${jsonForScript(tr("plotly.js is not loaded in this page: display gradlab's plotlyLoader() once."))}; }\n` +
    `  }, 50);\n` +
    `})();</script>`
  );
}

let loaderSent = false;

/**
 * A displayable figure. The first one displayed in a session also carries plotly.js in its HTML;
 * `.bundle({ loader })` renders with an explicit choice (pure).
 *
 * @example
 * new PlotlyFigure({ data: [{ x: [1, 2], y: [3, 4], type: "scatter" }] });
 */
export class PlotlyFigure implements Displayable {
  readonly spec: FigureSpec;

  constructor(spec: FigureSpec) {
    if (!spec || !Array.isArray(spec.data)) throw new GradlabError("plot: expected a figure with a data array of traces");
    this.spec = spec;
  }

  /**
   * The MIME bundle, with or without the plotly.js loader in its HTML; `served`: the path under
   * the server's base URL where it serves plotly.js, loaded from there instead.
   */
  bundle(opts: { loader: boolean; served?: string }): MimeBundle {
    const { data, layout = {}, config = {} } = this.spec;
    const loader = opts.served ? servedLoaderHtml(opts.served) + "\n" : opts.loader ? loaderHtml() + "\n" : "";
    const html = loader + figureHtml(this.spec);
    return { [PLOTLY_MIME]: { data, layout, config }, "text/html": html, "text/plain": this.toString() };
  }

  toString(): string {
    const title = this.spec.layout?.title;
    const name = typeof title === "string" ? title : (title as { text?: string } | undefined)?.text;
    const traces = this.spec.data.map((t) => `${String(t.type ?? "scatter")}${t.name ? ` "${String(t.name)}"` : ""}`);
    return `${name ? tr('plotly figure "{title}"', { title: name }) : tr("plotly figure")}: ${traces.join(", ")}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const served = platform.env("GRADLAB_PLOTLY_SRC");
    if (served) return this.bundle({ loader: false, served });
    const first = !loaderSent;
    loaderSent = true;
    return this.bundle({ loader: first });
  }
}

/**
 * Put plotly.js into the page explicitly (for example after reloading a classic Notebook page).
 *
 * @example
 * plotlyLoader(); // display it once; figures then draw
 */
export function plotlyLoader(): Displayable {
  return {
    [JUPYTER_DISPLAY]: () => {
      loaderSent = true;
      return { "text/html": loaderHtml(), "text/plain": tr("plotly.js loaded into the page") };
    },
  };
}
