/** @file The computational graph as plain data (seminar items 3-6): vertices u_1..u_m, edges, values, adjoints. */
import { GradlabError } from "../tensor/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { tr } from "../i18n/index.js";

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

/**
 * `input`: an argument of f; `op`: a primitive application; `call`: a sub-expression recorded as
 * one vertex by `vertex(label, fn)`. Numbers and tensors f closes over are not vertices: they
 * belong to the vertex that uses them (see {@link Constant}).
 */
export type VertexKind = "input" | "op" | "call";

/**
 * A constant argument of a vertex (a number or a tensor f closes over, or a value of an outer
 * transform): not a vertex and without an adjoint, it is shown inside the label of the vertex that
 * uses it, `sub(u6, 1)`.
 *
 * @example
 * const c: Constant = { arg: 1, value: { shape: [], data: Float64Array.of(1) } };
 */
export interface Constant {
  /** Its position among all the arguments of the vertex's operation. */
  arg: number;
  value: Value;
}

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
  /** Primitive name for op vertices (`mul`, `exp`, ...), the label for call vertices, `input` for inputs. */
  op: string;
  /** Argument name for inputs (`x`, `w`, `b`). */
  name?: string;
  /** The primitive's parameters (plain JSON data: axes, shapes, permutations), absent when empty. */
  params?: Record<string, unknown>;
  /**
   * Ids of the arguments that are vertices, in argument order (a parent may repeat:
   * `mul(u1, u1)`). With `constants` they make up the operation's whole argument list.
   */
  parents: number[];
  /** The constant arguments with their positions, absent when there are none. */
  constants?: Constant[];
  /**
   * Call vertices: the function of the sub-expression (its arguments are the parents and the
   * constants in argument order); its derivatives are the vertex's local derivatives.
   */
  fn?: (...xs: Tensor[]) => Tensor;
  /** The forward value u_i. */
  value: Value;
  /** The adjoint u_bar_i = df/du_i, present after a backward pass. */
  adjoint?: Value;
  /** The forward derivative du_i/dx, shape `[...value.shape, ...x.shape]`, after a forward-mode pass. */
  tangent?: Value;
}

/**
 * A vertex's whole argument list in order: `{ vertex: id }` for a parent, `{ constant }` for a
 * constant argument.
 *
 * @example
 * argumentsOf(sub); // [{ vertex: 6 }, { constant: { shape: [], data: [1] } }]
 */
export function argumentsOf(v: Vertex): ({ vertex: number } | { constant: Value })[] {
  const n = v.parents.length + (v.constants?.length ?? 0);
  const out: ({ vertex: number } | { constant: Value })[] = new Array(n);
  for (const c of v.constants ?? []) out[c.arg] = { constant: c.value };
  let k = 0;
  for (let a = 0; a < n; a++) if (out[a] === undefined) out[a] = { vertex: v.parents[k++] };
  return out;
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
  /** Position of u_from among all the arguments of u_to's operation (constants included). */
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
    throw new GradlabError("graph: " + tr("expected a Graph with at least one vertex"));
  }
  g.vertices.forEach((v, k) => {
    if (v.id !== k + 1)
      throw new GradlabError("graph: " + tr("expected vertex {i} at position {k}, got id {id}", { i: k + 1, k, id: v.id }));
    for (const p of v.parents) {
      if (!(p >= 1 && p < v.id)) {
        throw new GradlabError("graph: " + tr("vertex u{i} has parent u{p}, expected 1..{last}", { i: v.id, p, last: v.id - 1 }));
      }
    }
    const n = v.parents.length + (v.constants?.length ?? 0);
    const taken = new Set<number>();
    for (const c of v.constants ?? []) {
      if (!(Number.isInteger(c.arg) && c.arg >= 0 && c.arg < n) || taken.has(c.arg)) {
        throw new GradlabError(
          "graph: " + tr("vertex u{i} has a constant at argument {k}, which is not a free argument position", { i: v.id, k: c.arg + 1 }),
        );
      }
      taken.add(c.arg);
    }
    if (v.kind === "call" && typeof v.fn !== "function") {
      throw new GradlabError("graph: " + tr("vertex u{i} ({label}) is a call without its function", { i: v.id, label: v.op }));
    }
    if (sizeOf(v.value.shape) !== v.value.data.length) {
      throw new GradlabError(
        "graph: " +
          tr("vertex u{i} has shape {shape} but {n} values", { i: v.id, shape: `[${v.value.shape.join(", ")}]`, n: v.value.data.length }),
      );
    }
  });
  if (g.output !== g.vertices.length) {
    throw new GradlabError(
      "graph: " + tr("expected the output to be the last vertex u{m}, got u{i}", { m: g.vertices.length, i: g.output }),
    );
  }
  return g;
}
