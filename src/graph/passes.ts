/**
 * @file The seminar's two sweeps over a recorded Graph, using each primitive's own rules:
 * `backward` (items 4-5: u_bar_m = 1, u_bar_i = sum over children j of u_bar_j du_j/du_i) and
 * `forward` (items 9-10: du_i/dx = sum over parents p of du_i/dp dp/dx).
 */
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { primitives } from "../primitives/index.js";
import { add } from "../ops/arith.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import type { Edge, Graph, Value, Vertex } from "./types.js";
import { argumentsOf, sizeOf, validateGraph } from "./types.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";
import { jvp } from "../transforms/jvp.js";
import { vjp } from "../transforms/vjp.js";
import { noteTransform } from "../core/byhand.js";

const PRIMS = new Set<string>(Object.values(Primitive));
/** Largest total size of all du_i/dx that `forward` materialises (80 MB of Float64). */
const MAX_TANGENT_NUMBERS = 1e7;

function tensorOf(v: Value): Tensor {
  return new Tensor(v.data, v.shape);
}

function valueOf(t: Tensor): Value {
  return { shape: [...t.shape], data: t.data };
}

/** The vertex's local derivatives: its primitive's rules, or for a call vertex its function's own. */
interface LocalRules {
  /** Cotangents of every argument (null where not wanted) for the output cotangent yBar. */
  vjp(yBar: Tensor, args: readonly Tensor[], y: Tensor, wants: readonly boolean[]): (Tensor | null)[];
  /** The output tangent when only argument `arg` moves, by `dot`; null for a zero tangent. */
  jvp(args: readonly Tensor[], arg: number, dot: Tensor, y: Tensor): Tensor | null;
}

function rules(v: Vertex, pass: string): LocalRules {
  if (v.kind === "call") {
    const fn = v.fn;
    if (typeof fn !== "function") {
      throw new GradlabError(`${pass}: ` + tr("vertex u{i} ({label}) is a call without its function", { i: v.id, label: v.op }));
    }
    return {
      vjp(yBar, args, _y, wants) {
        const [, pullback] = vjp(fn, ...args);
        const bars = pullback(yBar);
        return bars.map((b, a) => (wants[a] ? b : null));
      },
      jvp(args, arg, dot) {
        const only = (u: Tensor) => fn(...args.map((a, k) => (k === arg ? u : a)));
        return jvp(only, [args[arg]], [dot])[1];
      },
    };
  }
  if (!PRIMS.has(v.op)) throw new GradlabError(`${pass}: ` + tr("vertex u{i} has unknown primitive “{op}”", { i: v.id, op: v.op }));
  const def = primitives[v.op as Primitive];
  const params = (v.params ?? NO_PARAMS) as never;
  return {
    vjp: (yBar, args, y, wants) => def.vjp(yBar, args, y, params, wants),
    jvp: (args, arg, dot, y) =>
      def.jvp(
        args,
        args.map((_, a) => (a === arg ? dot : null)),
        params,
        y,
      ),
  };
}

/** The whole argument list of an operation vertex: its parents' values and its constants, in order. */
function argumentValues(g: Graph, v: Vertex): Tensor[] {
  return argumentsOf(v).map((a) => tensorOf("vertex" in a ? g.vertices[a.vertex - 1].value : a.constant));
}

/**
 * Reverse mode on a recorded graph: returns a copy whose vertices carry adjoints u_bar_i and whose
 * edges carry each child's contribution u_bar_j * du_j/du_i. The seed u_bar_m is 1 for a scalar
 * output; for a non-scalar output pass the `cotangent` y, and the input adjoints become the
 * vector-Jacobian product y^T J (seminar item 7).
 *
 * @example
 * const g = backward(traceGraph((x) => mul(x, x), 3));
 * g.vertices[0].adjoint; // { shape: [], data: [6] }
 * backward(traceGraph((x) => mul(x, 2), [1, 2]), [1, 0]).vertices[0].adjoint; // [2, 0]
 */
export function backward(graph: Graph, cotangent?: TensorLike): Graph {
  noteTransform("backward"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  const g = validateGraph(graph);
  const out = g.vertices[g.output - 1];
  const shape = `[${out.value.shape.join(", ")}]`;
  let seed: Tensor;
  if (cotangent === undefined) {
    if (out.value.shape.length !== 0) {
      throw new GradlabError(
        "backprop: " + tr("expected f to return a scalar, got shape {shape} (pass a cotangent for a vector-Jacobian product)", { shape }),
      );
    }
    seed = new Tensor(Float64Array.of(1), []);
  } else {
    seed = asTensor(cotangent);
    if (seed.shape.join(",") !== out.value.shape.join(",")) {
      throw new GradlabError(
        "backprop: " +
          tr("expected the cotangent to have the output's shape {shape}, got {got}", { shape, got: `[${seed.shape.join(", ")}]` }),
      );
    }
  }
  const adj: (Tensor | null)[] = g.vertices.map(() => null);
  adj[g.output - 1] = seed;
  const byTo = new Map<number, Edge[]>();
  const edges = g.edges.map((e) => ({ ...e }));
  for (const e of edges) byTo.set(e.to, [...(byTo.get(e.to) ?? []), e]);
  for (let i = g.vertices.length; i >= 1; i--) {
    const v = g.vertices[i - 1];
    const yBar = adj[i - 1];
    if (v.kind === "input" || yBar === null) continue;
    const primals = argumentValues(g, v);
    // Only the parents get cotangents: a constant has no adjoint.
    const wants = argumentsOf(v).map((a) => "vertex" in a);
    const bars = rules(v, "backprop").vjp(yBar, primals, tensorOf(v.value), wants);
    for (const e of byTo.get(i) ?? []) {
      const c = bars[e.arg] ?? new Tensor(new Float64Array(sizeOf(primals[e.arg].shape)), primals[e.arg].shape);
      e.contribution = valueOf(c);
      adj[e.from - 1] = adj[e.from - 1] === null ? c : add(adj[e.from - 1]!, c);
    }
  }
  const zero = (v: Vertex) => ({ shape: [...v.value.shape], data: new Float64Array(v.value.data.length) });
  return {
    ...g,
    edges,
    vertices: g.vertices.map((v, k) => ({ ...v, adjoint: adj[k] ? valueOf(adj[k]!) : zero(v) })),
  };
}

/**
 * Forward mode on a recorded graph with respect to one input: returns a copy whose vertices carry
 * du_i/dx (shape `[...u_i.shape, ...x.shape]`) and whose edges carry du_to/du_from * du_from/dx.
 * Computed with each primitive's JVP rule, once per basis direction of x.
 *
 * @example
 * const g = forward(traceGraph((x) => mul(x, x), 3), "x");
 * g.vertices[1].tangent; // { shape: [], data: [6] }
 */
export function forward(graph: Graph, wrt: string | number = 0): Graph {
  noteTransform("forward"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  const g = validateGraph(graph);
  const k = typeof wrt === "number" ? wrt : g.inputNames.indexOf(wrt);
  if (!(k >= 0 && k < g.inputs.length)) {
    throw new GradlabError(
      "forward: " + tr("expected one of the inputs {names}, got {got}", { names: g.inputNames.join(", "), got: String(wrt) }),
    );
  }
  const x = g.vertices[g.inputs[k] - 1];
  const n = x.value.data.length;
  const total = g.vertices.reduce((s, v) => s + v.value.data.length * n, 0);
  if (total > MAX_TANGENT_NUMBERS) {
    // Seminar item 10 in action: forward mode carries n times more numbers than the values.
    throw new GradlabError(
      "forward: " +
        tr("the derivatives du_i/d{x} would hold {total} numbers (n = {n} directions), expected at most {max}; use a smaller input", {
          x: g.inputNames[k],
          total,
          n,
          max: MAX_TANGENT_NUMBERS,
        }),
    );
  }
  const jac = g.vertices.map((v) => new Float64Array(v.value.data.length * n));
  const edges = g.edges.map((e) => ({ ...e, term: new Float64Array(g.vertices[e.to - 1].value.data.length * n) }));
  const byTo = new Map<number, typeof edges>();
  for (const e of edges) byTo.set(e.to, [...(byTo.get(e.to) ?? []), e]);
  for (let dir = 0; dir < n; dir++) {
    const tan: (Tensor | null)[] = g.vertices.map(() => null);
    const seed = new Float64Array(n);
    seed[dir] = 1;
    tan[x.id - 1] = new Tensor(seed, x.value.shape);
    for (const v of g.vertices) {
      if (v.kind === "input" || v.parents.every((p) => tan[p - 1] === null)) continue;
      const local = rules(v, "forward");
      const primals = argumentValues(g, v);
      const y = tensorOf(v.value);
      // One JVP per incoming edge (only that argument's tangent non-zero): the per-edge terms
      // du_i/dp dp/dx of seminar item 9; by linearity they sum to the vertex's tangent.
      for (const e of byTo.get(v.id) ?? []) {
        const tp = tan[e.from - 1];
        if (tp === null) continue;
        const t = local.jvp(primals, e.arg, tp, y);
        if (t === null) continue;
        tan[v.id - 1] = tan[v.id - 1] === null ? t : add(tan[v.id - 1]!, t);
        scatter(e.term, t.data, dir, n);
      }
    }
    tan.forEach((t, i) => t && scatter(jac[i], t.data, dir, n));
  }
  const jshape = (v: Vertex) => [...v.value.shape, ...x.value.shape];
  return {
    ...g,
    wrt: g.inputNames[k],
    vertices: g.vertices.map((v, i) => ({ ...v, tangent: { shape: jshape(v), data: jac[i] } })),
    edges: edges.map(({ term, ...e }) => ({ ...e, tangentTerm: { shape: jshape(g.vertices[e.to - 1]), data: term } })),
  };
}

/** Column `dir` of a row-major [size, n] Jacobian gets the directional derivative `d`. */
function scatter(jac: Float64Array, d: Float64Array, dir: number, n: number): void {
  for (let a = 0; a < d.length; a++) jac[a * n + dir] += d[a];
}
