/** @file Displayable views of the two sweeps: the annotated graph plus its step table (pure rendering). */
import { GraphView } from "./view.js";
import type { DotOptions } from "./dot.js";
import type { Graph } from "./types.js";
import { escapeHtml } from "../display/escape.js";
import { JUPYTER_DISPLAY, type Displayable, type MimeBundle } from "../display/mime.js";
import { backpropSteps, forwardSteps, inputGradients, modeCost, type ModeCost } from "./steps.js";
import { htmlTable, TABLE_STYLE, tableText, type TableSpec } from "../display/table.js";
import { tr } from "../i18n/index.js";

/**
 * The reverse sweep of a graph annotated by `backward()`: the graph with adjoints (SVG), the
 * step table for i = m..1 and the input gradients.
 *
 * @example
 * const view = new BackpropView(backward(traceGraph(f, x, w, b)));
 * view.toString(); // "Reverse mode: ū_m = 1, then ...\ni  vertex ..."
 */
export class BackpropView implements Displayable {
  readonly graph: Graph;
  readonly options: DotOptions;
  // The tables are built once (this also validates that the graph carries adjoints): a display
  // asks for both html() and toString(). The HTML, picture included, is rendered once too:
  // %backprop renders it to report Graphviz errors, and the display asks for it again.
  private readonly steps: TableSpec;
  private readonly gradients: TableSpec;
  #html: string | undefined;

  constructor(graph: Graph, options: DotOptions = {}) {
    this.steps = backpropSteps(graph);
    this.gradients = inputGradients(graph);
    this.graph = graph;
    this.options = options;
  }

  /** The HTML: SVG picture, step table, gradients (rendered once). */
  html(): string {
    this.#html ??=
      `<div class="gradlab-backprop">${TABLE_STYLE}<div class="gradlab-graph">${new GraphView(this.graph, this.options).svg()}</div>` +
      `${htmlTable(this.steps)}${htmlTable(this.gradients)}</div>`;
    return this.#html;
  }

  toString(): string {
    return `${tableText(this.steps)}\n\n${tableText(this.gradients)}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.html(), "text/plain": this.toString() };
  }
}

/**
 * The forward-mode sweep of a graph annotated by `forward()`: the graph with du_i/dx (SVG), the
 * step table for i = 1..m, and a memory summary of forward vs reverse mode (seminar item 10).
 *
 * @example
 * new ForwardView(forward(traceGraph(f, x, w, b), "w")).summary();
 * // "forward mode w.r.t. w (n = 2): at most 14 numbers alive; reverse mode stores 18 values u_i"
 */
export class ForwardView implements Displayable {
  readonly graph: Graph;
  readonly options: DotOptions;
  // Built once (this also validates that the graph carries tangents), as in BackpropView; so is the HTML.
  private readonly steps: TableSpec;
  private readonly cost: ModeCost;
  #html: string | undefined;

  constructor(graph: Graph, options: DotOptions = {}) {
    this.steps = forwardSteps(graph);
    this.cost = modeCost(graph);
    this.graph = graph;
    this.options = options;
  }

  /** One line comparing the memory of both modes. */
  summary(): string {
    const c = this.cost;
    const peak = Math.max(...c.alive);
    const stored = c.stored[c.stored.length - 1];
    return tr(
      "forward mode w.r.t. {x} (n = {n}): at most {peak} numbers alive at once, {total} computed in all; reverse mode stores all {stored} numbers of u_1..u_m, then carries ū_i of the same sizes",
      { x: this.graph.wrt ?? "", n: c.n, peak, total: c.carried.reduce((a, b) => a + b, 0), stored },
    );
  }

  /** The HTML: SVG picture, step table, memory summary (rendered once). */
  html(): string {
    this.#html ??=
      `<div class="gradlab-forward">${TABLE_STYLE}<div class="gradlab-graph">${new GraphView(this.graph, this.options).svg()}</div>` +
      `${htmlTable(this.steps)}<p>${escapeHtml(this.summary())}</p></div>`;
    return this.#html;
  }

  toString(): string {
    return `${tableText(this.steps)}\n\n${this.summary()}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.html(), "text/plain": this.toString() };
  }
}
