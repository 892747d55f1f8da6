/**
 * @file Graph -> Graphviz DOT source (pure): one HTML-like table per vertex, blocks of consecutive
 * vertices for very large graphs, and our own layered placement above a size where `dot` is slow.
 */
import { contentId, escapeHtml } from "../display/escape.js";
import { labelSize, layered, type LayoutNode } from "./layout.js";
import { previewValue, shapeText } from "./preview.js";
import type { Graph, Value, Vertex } from "./types.js";
import { argumentsOf, validateGraph } from "./types.js";
import { GradlabError } from "../tensor/errors.js";
import { tr, trn } from "../i18n/index.js";

/**
 * Options for {@link toDot} and `graph()`.
 *
 * @example
 * graph(f, x, w, b, { rankdir: "TB", maxVertices: 200, layout: "auto" });
 */
export interface DotOptions {
  /** Layout direction: left to right (default) or top to bottom. */
  rankdir?: "LR" | "TB";
  /** Graphs with more vertices than this are drawn as blocks of consecutive vertices (default 600). */
  maxVertices?: number;
  /** `dot` (Graphviz's own layered layout), `layered` (ours, fast) or `auto` (default: dot up to 60 boxes). */
  layout?: "auto" | "dot" | "layered";
  /** Show adjoints u_bar_i when the graph has them (default true). */
  adjoints?: boolean;
  /** Show forward derivatives du_i/dx when the graph has them (default true). */
  tangents?: boolean;
}

/** What to hand Graphviz: the DOT source and the engine that lays it out. */
export interface DotPlan {
  dot: string;
  engine: "dot" | "nop2";
}

const FILL = { input: "#dbeafe", op: "#ffffff", call: "#f5f3ff", output: "#fde68a" } as const;
const DEFAULT_MAX_VERTICES = 600;
/** Above this many boxes, `dot` can take seconds on graphs with wide fan-out: use `layered`. */
const DOT_LIMIT = 60;
// Placeholder replaced by a content hash, so ids are deterministic yet differ between graphs on one page.
const ID = "\u0001";
// Boxes stay 4 digits whatever the print precision: the step tables beside them carry the digits.
const PREVIEW = { threshold: 4, edgeItems: 1, digits: 4 };

/** Constants with at most this many entries are shown by value inside a label, larger ones by shape. */
const CONSTANT_ENTRIES = 3;

/**
 * A constant argument as it appears inside its vertex's label: a number (`1`), a small tensor by
 * value (`[1, 2]`), a larger one by shape (`const[3, 3]`).
 *
 * @example
 * constantText({ shape: [], data: Float64Array.of(0.05) }); // "0.05"
 */
export function constantText(c: Value): string {
  if (c.data.length <= CONSTANT_ENTRIES) return previewValue(c, { threshold: CONSTANT_ENTRIES, edgeItems: 1, digits: 4 });
  return `${tr("const")}[${c.shape.join(", ")}]`;
}

/**
 * The name a vertex's operation is shown by: the seminar's σ for `logistic`, `dot` for a
 * `matmul` of two vectors, the label of a `vertex()` call; otherwise the primitive's name.
 *
 * @example
 * opName(g, g.vertices[5]); // "σ"
 */
export function opName(g: Graph | undefined, v: Vertex): string {
  if (v.kind === "call") return /^[A-Za-z_$][\w$]*$/.test(v.op) ? v.op : `[${v.op}]`;
  if (v.op === "logistic") return "σ";
  if (v.op === "matmul" && g) {
    const vector = (a: { vertex: number } | { constant: Value }) =>
      ("vertex" in a ? g.vertices[a.vertex - 1].value : a.constant).shape.length === 1;
    if (argumentsOf(v).every(vector)) return "dot";
  }
  return v.op;
}

/**
 * What a vertex computes, as `op(u1, u2, axes=[0])` with its constants in place (`sub(u6, 1)`);
 * for an input its name.
 *
 * @example
 * vertexFormula(g.vertices[6], g); // "sub(u6, 1)"
 */
export function vertexFormula(v: Vertex, g?: Graph): string {
  if (v.kind === "input") return v.name ?? "input";
  const args = argumentsOf(v).map((a) => ("vertex" in a ? `u${a.vertex}` : constantText(a.constant)));
  return `${opName(g, v)}(${[...args, ...paramTexts(v)].join(", ")})`;
}

/** Parameters as `name=value` texts (`axes=[0]`). */
function paramTexts(v: Vertex): string[] {
  return v.params ? Object.entries(v.params).map(([k, x]) => `${k}=${JSON.stringify(x)}`) : [];
}

/** A box of the picture before layout: DOT name, id suffix, label rows and what it stands for. */
interface Box {
  name: string;
  head: [string, string];
  fill: string;
  rows: { text: string; fill?: string }[];
  parents: string[];
}

function vertexBox(v: Vertex, g: Graph, opts: DotOptions): Box {
  const role = v.id === g.output ? "output" : v.kind;
  const head = v.kind === "input" ? `${tr("input")} ${v.name ?? ""}`.trim() : vertexFormula(v, g);
  const rows: Box["rows"] = [{ text: `${shapeText(v.value.shape)}  ${previewValue(v.value, PREVIEW)}` }];
  if (v.adjoint && opts.adjoints !== false) rows.push({ text: `ū = ${previewValue(v.adjoint, PREVIEW)}`, fill: "#fee2e2" });
  if (v.tangent && opts.tangents !== false) {
    rows.push({ text: `du/d${g.wrt ?? "x"} = ${previewValue(v.tangent, PREVIEW)}`, fill: "#dcfce7" });
  }
  return { name: `u${v.id}`, head: [`u${v.id}`, head], fill: FILL[role], rows, parents: [] };
}

function labelOf(b: Box): string {
  const cell = (text: string, fill?: string, bold = false, span = false) =>
    `<td${span ? ` colspan="2"` : ""}${fill ? ` bgcolor="${fill}"` : ""}>${bold ? `<b>${escapeHtml(text)}</b>` : escapeHtml(text)}</td>`;
  const rows = [
    `<tr>${cell(b.head[0], b.fill, true)}${cell(b.head[1], b.fill)}</tr>`,
    ...b.rows.map((r) => `<tr>${cell(r.text, r.fill, false, true)}</tr>`),
  ];
  return `<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">${rows.join("")}</table>>`;
}

/**
 * A plain multi-line label for big pictures: Graphviz lays out HTML tables about ten times
 * slower, which matters at hundreds of boxes. Backslashes and quotes are escaped for DOT.
 */
function plainLabelOf(b: Box): string {
  const lines = [b.head.join("  "), ...b.rows.map((r) => r.text)];
  const esc = (t: string) => t.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return `"${lines.map(esc).join("\\n")}", shape=box, style=filled, fillcolor="${b.fill}"`;
}

/** Boxes and edges: one box per vertex, or blocks of consecutive vertices for huge graphs. */
function boxesOf(g: Graph, opts: DotOptions, max: number): { boxes: Box[]; edges: [string, string][] } {
  const blockOf = new Map<number, string>();
  const boxes: Box[] = [];
  if (g.vertices.length <= max) {
    for (const v of g.vertices) boxes.push(vertexBox(v, g, opts));
    g.vertices.forEach((v) => blockOf.set(v.id, `u${v.id}`));
  } else {
    // Inputs and the output stay; every other run of consecutive vertices becomes one block.
    const kept = new Set([...g.inputs, g.output]);
    const middle = g.vertices.filter((v) => !kept.has(v.id));
    const size = Math.ceil(middle.length / Math.max(1, max - kept.size));
    for (const v of g.vertices) if (kept.has(v.id) && v.id !== g.output) boxes.push(vertexBox(v, g, opts));
    for (let s = 0; s < middle.length; s += size) {
      const block = middle.slice(s, s + size);
      const [first, last] = [block[0].id, block[block.length - 1].id];
      const counts = new Map<string, number>();
      for (const v of block) counts.set(v.op, (counts.get(v.op) ?? 0) + 1);
      const ops = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const summary =
        ops
          .slice(0, 3)
          .map(([op, n]) => `${op}×${n}`)
          .join(" ") + (ops.length > 3 ? " …" : "");
      for (const v of block) blockOf.set(v.id, `b${first}`);
      boxes.push({
        name: `b${first}`,
        head: [first === last ? `u${first}` : `u${first} … u${last}`, trn("{n} vertex", "{n} vertices", block.length)],
        fill: "#e5e7eb",
        rows: [{ text: summary }],
        parents: [],
      });
    }
    boxes.push(vertexBox(g.vertices[g.output - 1], g, opts));
    for (const id of kept) blockOf.set(id, `u${id}`);
  }
  const seen = new Set<string>();
  const edges: [string, string][] = [];
  const byName = new Map(boxes.map((b) => [b.name, b]));
  for (const e of g.edges) {
    const [a, b] = [blockOf.get(e.from)!, blockOf.get(e.to)!];
    // Every edge of a small graph is drawn (x*x has two); merged blocks keep one per pair.
    const key = `${a}->${b}`;
    if (a === b || (g.vertices.length > max && seen.has(key))) continue;
    seen.add(key);
    edges.push([a, b]);
    if (!byName.get(b)!.parents.includes(a)) byName.get(b)!.parents.push(a);
  }
  return { boxes, edges };
}

/**
 * The DOT source and engine for a graph: vertex u_i has DOT name `u<i>` and SVG id `<hash>_u<i>`;
 * inputs are blue, constants grey, the output yellow; edges point from arguments to results.
 *
 * @example
 * dotPlan(traceGraph((x) => x.mul(x), 3), { rankdir: "TB" }); // { dot: "digraph G {...", engine: "dot" }
 */
export function dotPlan(g: Graph, opts: DotOptions = {}): DotPlan {
  validateGraph(g);
  const max = opts.maxVertices ?? DEFAULT_MAX_VERTICES;
  if (!(max >= 2)) throw new GradlabError("graph: " + tr("expected maxVertices >= 2, got {max}", { max }));
  const rankdir = opts.rankdir === "TB" ? "TB" : "LR";
  const { boxes, edges } = boxesOf(g, opts, max);
  const mode = opts.layout ?? "auto";
  const engine = mode === "layered" || (mode === "auto" && boxes.length > DOT_LIMIT) ? "nop2" : "dot";
  const lines = [`digraph G {`, `  id="${ID}";`, `  rankdir=${rankdir};`];
  if (engine === "nop2") lines.push(`  splines=false; outputorder=edgesfirst;`);
  lines.push(`  node [shape=plaintext, fontname="Helvetica", fontsize=11];`, `  edge [color="#555555", arrowsize=0.7];`);
  if (g.title) lines.push(`  label=<${escapeHtml(g.title)}>; labelloc=t;`);
  const pos =
    engine === "nop2"
      ? layered(
          boxes.map((b): LayoutNode => ({
            name: b.name,
            parents: b.parents,
            ...labelSize([b.head.join("  "), ...b.rows.map((r) => r.text)]),
          })),
          rankdir,
        )
      : undefined;
  boxes.forEach((b, k) => {
    const at = pos ? `, pos="${pos[k][0]},${pos[k][1]}!"` : "";
    lines.push(`  ${b.name} [id="${ID}_${b.name}"${at}, label=${pos ? plainLabelOf(b) : labelOf(b)}];`);
  });
  edges.forEach(([a, b], k) => lines.push(`  ${a} -> ${b} [id="${ID}_e${k + 1}"];`));
  lines.push("}");
  const body = lines.join("\n");
  return { dot: body.split(ID).join(`g${contentId(body)}`), engine };
}

/**
 * The DOT source of a graph (see {@link dotPlan}).
 *
 * @example
 * toDot(traceGraph((x) => x.mul(x), 3), { rankdir: "TB" }); // "digraph G {\n  id=..."
 */
export function toDot(g: Graph, opts: DotOptions = {}): string {
  return dotPlan(g, opts).dot;
}
