/** @file The computational graph as plain data (seminar items 3-6): vertices u_1..u_m, edges, values, adjoints. */
import { GradlabError } from "../tensor/errors.js";

/**
 * A concrete Float64 value stored on a vertex or edge: row-major data with its shape.
 *
 * @example
 * const v: Value = { shape: [2], data: Float64Array.of(1, 2) };
 */
export interface Value {
  shape: number[];
  data: Float64Array;
}

/** `input`: an argument of f; `constant`: a number or tensor f closes over; `op`: a primitive application. */
export type VertexKind = "input" | "constant" | "op";

/**
 * One vertex u_i of the graph.
 *
 * @example
 * const u: Vertex = { id: 1, kind: "input", op: "input", name: "x", parents: [],
 *   value: { shape: [], data: Float64Array.of(2) } };
 */
export interface Vertex {
  /** The seminar's index i of u_i (1-based; inputs first, output last). */
  id: number;
  kind: VertexKind;
  /** Primitive name for op vertices (`mul`, `exp`, ...); `input` or `constant` otherwise. */
  op: string;
  /** Argument name for inputs (`x`, `w`, `b`); optional label for constants. */
  name?: string;
  /** The primitive's parameters (plain JSON data: axes, shapes, permutations), absent when empty. */
  params?: Record<string, unknown>;
  /** Ids of the argument vertices, in argument order (a parent may repeat: `mul(u1, u1)`). */
  parents: number[];
  /** The forward value u_i. */
  value: Value;
  /** The adjoint u_bar_i = df/du_i, present after a backward pass. */
  adjoint?: Value;
  /** The forward derivative du_i/dx, shape `[...value.shape, ...x.shape]`, after a forward-mode pass. */
  tangent?: Value;
}

/**
 * An edge u_from -> u_to; `arg` is the argument position of `from` in `to`'s op.
 *
 * @example
 * const e: Edge = { from: 1, to: 3, arg: 0 };
 */
export interface Edge {
  from: number;
  to: number;
  arg: number;
  /** Reverse mode: u_bar_to * du_to/du_from (shape of u_from), after a backward pass. */
  contribution?: Value;
  /** Forward mode: du_to/du_from * du_from/dx (shape of u_to's tangent), after a forward pass. */
  tangentTerm?: Value;
}

/**
 * A recorded computation: `vertices[i - 1].id === i`, topologically ordered, inputs first and the
 * output last, as the seminar numbers them.
 *
 * @example
 * const g: Graph = traceGraph((x) => x.mul(x), 3);
 * g.vertices.map((v) => v.op); // ["input", "mul"]
 */
export interface Graph {
  vertices: Vertex[];
  edges: Edge[];
  /** Ids of the input vertices, in argument order. */
  inputs: number[];
  /** Id of the output vertex (always `vertices.length`). */
  output: number;
  /** Argument names, in order (`["x", "w", "b"]`). */
  inputNames: string[];
  /** Name of the input the forward derivatives are taken with respect to (after a forward pass). */
  wrt?: string;
  /** Free-form title shown above pictures (for example the function's name). */
  title?: string;
}

/**
 * Number of entries of a shape.
 *
 * @example
 * sizeOf([2, 3]); // 6
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The children of each vertex (ids of vertices that use it), computed from the edges.
 *
 * @example
 * childrenOf(g).get(1); // [3, 4]
 */
export function childrenOf(g: Graph): Map<number, number[]> {
  const sets = new Map<number, Set<number>>();
  for (const v of g.vertices) sets.set(v.id, new Set());
  for (const e of g.edges) sets.get(e.from)!.add(e.to);
  return new Map([...sets].map(([id, s]) => [id, [...s]]));
}

/**
 * The edges grouped by one end: `edgesBy(g, "from").get(i)` are the edges leaving u_i, in order.
 *
 * @example
 * edgesBy(g, "to").get(3); // [{ from: 1, to: 3, arg: 0 }, { from: 2, to: 3, arg: 1 }]
 */
export function edgesBy(g: Graph, end: "from" | "to"): Map<number, Edge[]> {
  const out = new Map<number, Edge[]>();
  for (const e of g.edges) {
    const list = out.get(e[end]);
    if (list) list.push(e);
    else out.set(e[end], [e]);
  }
  return out;
}

/**
 * Check the invariants every renderer relies on; throws a specific error when one fails.
 *
 * @example
 * validateGraph(g); // returns g unchanged or throws "graph: ..."
 */
export function validateGraph(g: Graph): Graph {
  if (!g || !Array.isArray(g.vertices) || g.vertices.length === 0) {
    throw new GradlabError("graph: expected a Graph with at least one vertex");
  }
  g.vertices.forEach((v, k) => {
    if (v.id !== k + 1) throw new GradlabError(`graph: expected vertex ${k + 1} at position ${k}, got id ${v.id}`);
    for (const p of v.parents) {
      if (!(p >= 1 && p < v.id)) throw new GradlabError(`graph: vertex u${v.id} has parent u${p}, expected 1..${v.id - 1}`);
    }
    if (sizeOf(v.value.shape) !== v.value.data.length) {
      throw new GradlabError(`graph: vertex u${v.id} has shape [${v.value.shape}] but ${v.value.data.length} values`);
    }
  });
  if (g.output !== g.vertices.length) {
    throw new GradlabError(`graph: expected the output to be the last vertex u${g.vertices.length}, got u${g.output}`);
  }
  return g;
}
