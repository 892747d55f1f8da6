/**
 * @file DOT -> SVG with Graphviz compiled to WebAssembly (@viz-js/viz), callable synchronously:
 * a notebook object's `[Symbol.for("Jupyter.display")]()` must return its bundle synchronously
 * (tslab prints values synchronously), but @viz-js/viz only instantiates asynchronously. The
 * platform bridges it (src/platform/): on Node, Graphviz runs in a worker thread this thread
 * blocks on; in a browser, it is instantiated while the library loads.
 */
import { platform } from "#platform";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/**
 * Strip what Graphviz puts before the `<svg` element (`<?xml ...?>`, DOCTYPE, generator comments),
 * so the SVG can be inlined in HTML.
 *
 * @example
 * stripSvgHeader('<?xml version="1.0"?>\n<svg></svg>'); // "<svg></svg>"
 */
export function stripSvgHeader(svg: string): string {
  const at = svg.indexOf("<svg");
  if (at < 0) throw new GradlabError("graph: " + tr("Graphviz produced no <svg> element"));
  return svg.slice(at).trimEnd();
}

/**
 * Render DOT to an inline SVG string (no XML header), synchronously. Throws with Graphviz's
 * message when the DOT is invalid.
 *
 * @example
 * dotToSvg("digraph { a -> b }").startsWith("<svg"); // true
 */
export function dotToSvg(dot: string, engine = "dot"): string {
  return stripSvgHeader(platform.renderDot(dot, engine));
}
