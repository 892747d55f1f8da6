/**
 * @file A layered layout for large graphs (pure): Graphviz's `dot` needs seconds once a vertex
 * fans out to many distant vertices (an input used in every layer), so above a size we place the
 * boxes ourselves (longest-path layers, one barycenter sweep) and let Graphviz only draw them
 * (engine `nop2`, straight edges).
 */

/** A box to place: its DOT name, parents (DOT names) and estimated size in points. */
export interface LayoutNode {
  name: string;
  parents: string[];
  width: number;
  height: number;
}

/** Gap between layers and between boxes in a layer, in points. */
const LAYER_GAP = 48;
const BOX_GAP = 16;

/** Average glyph width of 11 pt Helvetica and the padding of a label table, in points. */
const CHAR_W = 6.3;
const PAD = 14;
const ROW_H = 19;

/**
 * Estimated size in points of an HTML-table label with the given rows of text.
 *
 * @example
 * labelSize(["u1 input x", "scalar  2"]); // { width: ..., height: 42 }
 */
export function labelSize(rows: string[]): { width: number; height: number } {
  const chars = Math.max(...rows.map((r) => [...r].length));
  return { width: Math.ceil(chars * CHAR_W + PAD), height: rows.length * ROW_H + 4 };
}

/**
 * Centre positions (points, y up as Graphviz expects) of every node, in input order. Layers run
 * left to right (`LR`) or top to bottom (`TB`). Deterministic.
 *
 * @example
 * layered([{ name: "a", parents: [], width: 40, height: 20 },
 *          { name: "b", parents: ["a"], width: 40, height: 20 }], "LR");
 * // [[20, -10], [108, -10]]
 */
export function layered(nodes: LayoutNode[], rankdir: "LR" | "TB"): [number, number][] {
  const index = new Map(nodes.map((n, k) => [n.name, k]));
  const layer = new Array<number>(nodes.length).fill(0);
  nodes.forEach((n, k) => {
    const ps = n.parents.map((p) => index.get(p)!);
    layer[k] = ps.length ? 1 + Math.max(...ps.map((j) => layer[j])) : 0;
  });
  const depth = Math.max(...layer) + 1;
  const layers: number[][] = Array.from({ length: depth }, () => []);
  nodes.forEach((_, k) => layers[layer[k]].push(k));
  // One barycenter sweep: order each layer by the mean slot of its parents (ties: input order).
  const slot = new Array<number>(nodes.length).fill(0);
  for (const ids of layers) {
    const key = (k: number) => {
      const ps = nodes[k].parents.map((p) => slot[index.get(p)!]);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : k;
    };
    const keys = new Map(ids.map((k) => [k, key(k)]));
    ids.sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
    ids.forEach((k, s) => (slot[k] = s));
  }
  const across = (k: number) => (rankdir === "LR" ? nodes[k].height : nodes[k].width);
  const along = (k: number) => (rankdir === "LR" ? nodes[k].width : nodes[k].height);
  const spans = layers.map((ids) => ids.reduce((s, k) => s + across(k) + BOX_GAP, -BOX_GAP));
  const widest = Math.max(...spans);
  const pos: [number, number][] = nodes.map(() => [0, 0]);
  let offset = 0;
  for (let l = 0; l < depth; l++) {
    const ids = layers[l];
    if (!ids.length) continue;
    const thick = Math.max(...ids.map(along));
    let c = (widest - spans[l]) / 2;
    for (const k of ids) {
      const a = offset + thick / 2;
      const b = c + across(k) / 2;
      pos[k] = rankdir === "LR" ? [a, -b] : [b, -a];
      c += across(k) + BOX_GAP;
    }
    offset += thick + LAYER_GAP;
  }
  return pos.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10]);
}
