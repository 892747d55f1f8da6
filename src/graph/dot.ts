/** @file Graph -> Graphviz DOT source (pure): one HTML-like table per vertex, optional collapsing of large graphs. */
import { contentId, escapeHtml } from "../display/escape.js";
import { previewValue, shapeText } from "./preview.js";
import type { Graph, Vertex } from "./types.js";
import { validateGraph } from "./types.js";

/** Options for {@link toDot} and `graph()`. */
export interface DotOptions {
  /** Layout direction: left to right (default) or top to bottom. */
  rankdir?: "LR" | "TB";
  /** Graphs with more vertices than this are drawn as blocks of consecutive vertices (default 300). */
  maxVertices?: number;
  /** Show adjoints u_bar_i when the graph has them (default true). */
  adjoints?: boolean;
  /** Show forward derivatives du_i/dx when the graph has them (default true). */
  tangents?: boolean;
}

const FILL = { input: "#dbeafe", constant: "#f3f4f6", op: "#ffffff", output: "#fde68a" } as const;
const DEFAULT_MAX_VERTICES = 300;
// Placeholder replaced by a content hash, so ids are deterministic yet differ between graphs on one page.
const ID = "\u0001";

/** What an op vertex computes, as `op(u1, u2)`; for inputs and constants their name or value. */
export function vertexFormula(v: Vertex): string {
  if (v.kind === "input") return v.name ?? "input";
  if (v.kind === "constant") return v.name ?? previewValue(v.value, { threshold: 3, edgeItems: 1 });
  return `${v.op}(${[...v.parents.map((p) => `u${p}`), ...paramTexts(v)].join(", ")})`;
}

/** Parameters as `name=value` texts (`axes=[0]`). */
function paramTexts(v: Vertex): string[] {
  return v.params ? Object.entries(v.params).map(([k, x]) => `${k}=${JSON.stringify(x)}`) : [];
}

function row(text: string, attrs = ""): string {
  return `<tr><td colspan="2"${attrs ? ` ${attrs}` : ""}>${escapeHtml(text)}</td></tr>`;
}

function vertexLabel(v: Vertex, g: Graph, opts: DotOptions): string {
  const role = v.id === g.output ? "output" : v.kind;
  const head =
    v.kind === "op" ? [v.op, ...paramTexts(v)].join(" ") : v.kind === "input" ? `input ${v.name ?? ""}` : "const";
  const rows = [
    `<tr><td bgcolor="${FILL[role]}"><b>u${v.id}</b></td><td bgcolor="${FILL[role]}">${escapeHtml(head.trim())}</td></tr>`,
    row(`${shapeText(v.value.shape)}  ${previewValue(v.value, { threshold: 4, edgeItems: 1 })}`),
  ];
  if (v.adjoint && opts.adjoints !== false) {
    rows.push(row(`ū = ${previewValue(v.adjoint, { threshold: 4, edgeItems: 1 })}`, `bgcolor="#fee2e2"`));
  }
  if (v.tangent && opts.tangents !== false) {
    rows.push(row(`du/d${g.wrt ?? "x"} = ${previewValue(v.tangent, { threshold: 4, edgeItems: 1 })}`, `bgcolor="#dcfce7"`));
  }
  return `<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">${rows.join("")}</table>>`;
}

function header(g: Graph, opts: DotOptions): string[] {
  const lines = [
    `digraph G {`,
    `  id="${ID}";`,
    `  rankdir=${opts.rankdir === "TB" ? "TB" : "LR"};`,
    `  node [shape=plaintext, fontname="Helvetica", fontsize=11];`,
    `  edge [color="#555555", arrowsize=0.7];`,
  ];
  if (g.title) lines.push(`  label=<${escapeHtml(g.title)}>; labelloc=t;`);
  return lines;
}

function finish(lines: string[]): string {
  lines.push("}");
  const body = lines.join("\n");
  return body.split(ID).join(`g${contentId(body)}`);
}

/**
 * The DOT source of a graph: vertex `u_i` has DOT name and SVG id `<hash>_u<i>`, inputs are blue,
 * constants grey, the output yellow; edges point from arguments to results.
 *
 * @example
 * toDot(trace((x) => x.mul(x), 3), { rankdir: "TB" }); // "digraph G {\n  id=..."
 */
export function toDot(g: Graph, opts: DotOptions = {}): string {
  validateGraph(g);
  const max = opts.maxVertices ?? DEFAULT_MAX_VERTICES;
  if (!(max >= 2)) throw new Error(`graph: expected maxVertices >= 2, got ${max}`);
  if (g.vertices.length > max) return collapsedDot(g, opts, max);
  const lines = header(g, opts);
  for (const v of g.vertices) {
    lines.push(`  u${v.id} [id="${ID}_u${v.id}", label=${vertexLabel(v, g, opts)}];`);
  }
  g.edges.forEach((e, k) => lines.push(`  u${e.from} -> u${e.to} [id="${ID}_e${k + 1}"];`));
  return finish(lines);
}

/**
 * Large graphs: inputs and the output stay, every other run of consecutive vertices becomes one
 * block `u_a … u_b` with its op counts; edges between blocks are merged.
 */
function collapsedDot(g: Graph, opts: DotOptions, max: number): string {
  const kept = new Set([...g.inputs, g.output]);
  const middle = g.vertices.filter((v) => !kept.has(v.id));
  const blockSize = Math.ceil(middle.length / Math.max(1, max - kept.size));
  const blockOf = new Map<number, string>();
  for (const id of kept) blockOf.set(id, `u${id}`);
  const lines = header(g, opts);
  for (const id of kept) {
    const v = g.vertices[id - 1];
    lines.push(`  u${id} [id="${ID}_u${id}", label=${vertexLabel(v, g, opts)}];`);
  }
  for (let s = 0; s < middle.length; s += blockSize) {
    const block = middle.slice(s, s + blockSize);
    const first = block[0].id;
    const last = block[block.length - 1].id;
    const name = `b${first}`;
    for (const v of block) blockOf.set(v.id, name);
    const counts = new Map<string, number>();
    for (const v of block) counts.set(v.op, (counts.get(v.op) ?? 0) + 1);
    const ops = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const summary = ops.slice(0, 3).map(([op, n]) => `${op}×${n}`).join(" ") + (ops.length > 3 ? " …" : "");
    const title = first === last ? `u${first}` : `u${first} … u${last}`;
    const label =
      `<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">` +
      `<tr><td bgcolor="#e5e7eb"><b>${escapeHtml(title)}</b></td></tr>` +
      `<tr><td>${escapeHtml(`${block.length} vertices: ${summary}`)}</td></tr></table>>`;
    lines.push(`  ${name} [id="${ID}_${name}", label=${label}];`);
  }
  const seen = new Set<string>();
  for (const e of g.edges) {
    const a = blockOf.get(e.from)!;
    const b = blockOf.get(e.to)!;
    const key = `${a} -> ${b}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${key} [id="${ID}_e${seen.size}"];`);
  }
  return finish(lines);
}
