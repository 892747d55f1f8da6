/**
 * @file Step tables of the seminar's algorithms from an annotated Graph (pure): the reverse sweep
 * (item 5) for i = m..1, and the forward-mode sweep (items 9-10) for i = 1..m with the number of
 * values each mode keeps.
 */
import { previewValue, shapeText } from "./preview.js";
import { vertexFormula } from "./dot.js";
import type { Graph, Vertex } from "./types.js";
import { childrenOf, edgesBy, sizeOf } from "./types.js";
import { capRows, type TableSpec } from "../display/table.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Step tables longer than this show their beginning and end only. */
const MAX_STEP_ROWS = 300;

const P = { threshold: 6, edgeItems: 2 };

function needs(g: Graph, what: "adjoint" | "tangent", who: string): void {
  if (!g.vertices.every((v) => v[what])) {
    throw new GradlabError(
      `${who}: ` +
        (what === "adjoint"
          ? tr("expected a graph annotated by backward(), got one without adjoints")
          : tr("expected a graph annotated by forward(), got one without tangents")),
    );
  }
}

/** "1" for a scalar output, "y" (the cotangent of a vector-Jacobian product) otherwise. */
function seedText(g: Graph): string {
  return g.vertices[g.output - 1].value.shape.length === 0 ? "1" : tr("y (the cotangent)");
}

function label(v: Vertex, g: Graph): string {
  return `u${v.id} = ${vertexFormula(v, g)}`;
}

/**
 * The reverse sweep as a table: for i = m..1 the vertex, u_i, each child's contribution
 * u_bar_j * du_j/du_i and their sum u_bar_i (seminar item 5).
 *
 * @example
 * backpropSteps(backward(traceGraph(f, x, w, b))).rows[0]; // ["16", "u16 = add(u11, u15)", ..., "1"]
 */
export function backpropSteps(g: Graph): TableSpec {
  needs(g, "adjoint", "backprop");
  const rows: string[][] = [];
  const leaving = edgesBy(g, "from");
  for (let i = g.vertices.length; i >= 1; i--) {
    const v = g.vertices[i - 1];
    const out = leaving.get(i) ?? [];
    const parts = out.map((e) => {
      const dup = g.vertices[e.to - 1].parents.filter((p) => p === i).length > 1;
      const arg = dup ? ` (${tr("argument {k}", { k: e.arg + 1 })})` : "";
      return `ū${e.to}·∂u${e.to}/∂u${i}${arg} = ${previewValue(e.contribution!, P)}`;
    });
    const contributions =
      i === g.output ? `${tr("seed")}: ū_m = ${previewValue(v.adjoint!, P)}` : parts.length ? parts.join("\n") : `${tr("no children")}: 0`;
    rows.push([String(i), label(v, g), previewValue(v.value, P), contributions, previewValue(v.adjoint!, P)]);
  }
  return {
    caption: tr("Reverse mode: ū_m = {seed}, then for i = m−1 … 1: ū_i = Σ_j ū_j · ∂u_j/∂u_i over the children j of u_i", {
      seed: seedText(g),
    }),
    head: ["i", tr("vertex"), "u_i", tr("contributions ū_j · ∂u_j/∂u_i"), "ū_i = ∂f/∂u_i"],
    rows: capRows(rows, MAX_STEP_ROWS),
  };
}

/**
 * The gradients w.r.t. the inputs read off at the end of the reverse sweep.
 *
 * @example
 * inputGradients(backward(g)).rows; // [["∂f/∂x", "ū1", "[0.1, -0.2]"], ...]
 */
export function inputGradients(g: Graph): TableSpec {
  needs(g, "adjoint", "backprop");
  return {
    caption:
      seedText(g) === "1" ? tr("Gradients with respect to the inputs") : tr("Vector-Jacobian products yᵀJ with respect to the inputs"),
    head: [tr("gradient"), tr("adjoint"), tr("shape"), tr("value")],
    rows: g.inputs.map((id) => {
      const v = g.vertices[id - 1];
      const what = seedText(g) === "1" ? `∂f/∂${v.name ?? `u${id}`}` : `yᵀ ∂f/∂${v.name ?? `u${id}`}`;
      return [what, `ū${id}`, shapeText(v.value.shape), previewValue(v.adjoint!, P)];
    }),
  };
}

/** Per-step memory of both modes (numbers of Float64 values), see {@link forwardSteps}. */
export interface ModeCost {
  /**
   * Forward mode: numbers in du_i/dx for each vertex, size(u_i) * n, or 0 when u_i does not
   * depend on x (its tangent is a symbolic zero that is never stored).
   */
  carried: number[];
  /** Forward mode: tangents still needed after step i (one "layer" of the graph, item 10). */
  alive: number[];
  /** Reverse mode: values u_1..u_i stored for the backward sweep after step i (item 6). */
  stored: number[];
  /** Size n of the input the forward derivatives are taken with respect to. */
  n: number;
}

/**
 * Memory of forward vs reverse mode, step by step (seminar item 10).
 *
 * @example
 * modeCost(forward(g, "w")).alive; // e.g. [2, 4, 6, 2, ...]
 */
export function modeCost(g: Graph): ModeCost {
  needs(g, "tangent", "forward");
  const children = childrenOf(g);
  const lastUse = g.vertices.map((v) => Math.max(v.id, ...children.get(v.id)!));
  const x = g.inputs[g.inputNames.indexOf(g.wrt!)];
  const n = sizeOf(g.vertices[x - 1].value.shape);
  const depends = new Array<boolean>(g.vertices.length + 1).fill(false);
  for (const v of g.vertices) depends[v.id] = v.id === x || v.parents.some((p) => depends[p]);
  const carried = g.vertices.map((v) => (depends[v.id] ? v.value.data.length * n : 0));
  let total = 0;
  const stored = g.vertices.map((v) => (total += v.value.data.length));
  // du_j/dx is alive from step j until its last child (item 10: one layer of the graph at a
  // time): it counts at steps k = j .. lastUse - 2 (0-based), summed with a difference array.
  const diff = new Array<number>(g.vertices.length + 1).fill(0);
  carried.forEach((c, j) => {
    diff[j] += c;
    diff[Math.max(j, lastUse[j] - 2) + 1] -= c;
  });
  let running = 0;
  const alive = carried.map((_, k) => (running += diff[k]));
  return { carried, alive, stored, n };
}

/**
 * The forward-mode sweep as a table: for i = 1..m, du_i/dx with each parent's term
 * du_i/du_p · du_p/dx, the numbers it carries, the tangents alive, and what reverse mode stores.
 *
 * @example
 * forwardSteps(forward(traceGraph(f, x, w, b), "w")).rows.length; // m
 */
export function forwardSteps(g: Graph): TableSpec {
  const cost = modeCost(g);
  const x = g.wrt!;
  const entering = edgesBy(g, "to");
  const rows = g.vertices.map((v, k) => {
    const terms = (entering.get(v.id) ?? []).map((e) => `∂u${v.id}/∂u${e.from}·du${e.from}/d${x} = ${previewValue(e.tangentTerm!, P)}`);
    const how =
      v.kind === "input" ? (v.name === x ? `${tr("seed")}: ${tr("identity")}` : `${tr("independent of {x}", { x })}: 0`) : terms.join("\n");
    return [
      String(v.id),
      label(v, g),
      previewValue(v.value, P),
      how,
      `${shapeText(v.tangent!.shape)} ${previewValue(v.tangent!, P)}`,
      String(cost.carried[k]),
      String(cost.alive[k]),
      String(cost.stored[k]),
    ];
  });
  return {
    caption: tr("Forward mode w.r.t. {x} (n = {n}): du_i/d{x} = Σ_p ∂u_i/∂u_p · du_p/d{x} over the parents p of u_i", { x, n: cost.n }),
    head: [
      "i",
      tr("vertex"),
      "u_i",
      tr("terms"),
      `du_i/d${x}`,
      tr("numbers carried"),
      tr("forward: alive"),
      tr("reverse: u_1..u_i stored"),
    ],
    rows: capRows(rows, MAX_STEP_ROWS),
  };
}
