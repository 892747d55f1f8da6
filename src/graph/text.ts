/** @file Graph -> aligned plain-text listing (the `text/plain` face of every graph picture). */
import { formatTable } from "../display/table.js";
import { vertexFormula } from "./dot.js";
import { previewValue, shapeText } from "./preview.js";
import type { Graph } from "./types.js";
import { validateGraph } from "./types.js";
import { tr, trn } from "../i18n/index.js";

/** Listings longer than this show their head and tail only. */
const MAX_LINES = 40;

/**
 * One line per vertex: `u_i = formula`, kind, shape, value, and the adjoint / forward derivative
 * when present. Long graphs are cut in the middle (`… 960 more vertices …`).
 *
 * @example
 * graphText(traceGraph((x) => x.mul(x), 3));
 * // "u1 = x         input  scalar  3\nu2 = mul(u1, u1)  op  scalar  9"
 */
export function graphText(g: Graph): string {
  validateGraph(g);
  const hasAdj = g.vertices.some((v) => v.adjoint);
  const hasTan = g.vertices.some((v) => v.tangent);
  let shown = g.vertices;
  let cut = -1;
  if (g.vertices.length > MAX_LINES) {
    const head = MAX_LINES - 10;
    shown = [...g.vertices.slice(0, head), ...g.vertices.slice(-10)];
    cut = head;
  }
  const rows = shown.map((v) => {
    const cells = [
      `u${v.id} = ${vertexFormula(v, g)}`,
      v.id === g.output ? tr("output") : v.kind === "input" ? tr("input") : v.kind === "call" ? tr("call") : tr("op"),
      shapeText(v.value.shape),
      previewValue(v.value),
    ];
    if (hasAdj) cells.push(v.adjoint ? `ū = ${previewValue(v.adjoint)}` : "");
    if (hasTan) cells.push(v.tangent ? `du/d${g.wrt ?? "x"} = ${previewValue(v.tangent)}` : "");
    return cells;
  });
  const lines = formatTable(rows).split("\n");
  if (cut >= 0) lines.splice(cut, 0, `… ${trn("{n} more vertex", "{n} more vertices", g.vertices.length - shown.length)} …`);
  const title = g.title ? [g.title] : [];
  return [...title, ...lines].join("\n");
}
