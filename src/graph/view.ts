/** @file GraphView: a recorded graph that renders itself as inline SVG (Graphviz) with a text fallback. */
import { JUPYTER_DISPLAY, type Displayable, type MimeBundle } from "../display/mime.js";
import { type DotOptions, dotPlan, toDot } from "./dot.js";
import { graphText } from "./text.js";
import type { Graph } from "./types.js";
import { validateGraph } from "./types.js";
import { dotToSvg } from "./viz.js";

/**
 * A graph picture. Display it in a notebook (it carries `Symbol.for("Jupyter.display")`), or ask
 * for `.dot`, `.svg()` or `.toString()` directly.
 *
 * @example
 * const view = new GraphView(traceGraph(f, x, w, b), { rankdir: "TB" });
 * view.svg().startsWith("<svg"); // true
 */
export class GraphView implements Displayable {
  readonly graph: Graph;
  readonly options: DotOptions;
  #svg: string | undefined;

  constructor(graph: Graph, options: DotOptions = {}) {
    this.graph = validateGraph(graph);
    this.options = options;
  }

  /** The Graphviz source. */
  get dot(): string {
    return toDot(this.graph, this.options);
  }

  /** The inline SVG (no XML header), rendered once and cached. */
  svg(): string {
    if (this.#svg === undefined) {
      const plan = dotPlan(this.graph, this.options);
      this.#svg = dotToSvg(plan.dot, plan.engine);
    }
    return this.#svg;
  }

  /** The plain-text listing, one vertex per line. */
  toString(): string {
    return graphText(this.graph);
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg(), "text/plain": this.toString() };
  }
}
