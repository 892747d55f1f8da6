/**
 * @file fn -> Graph: run `f` once under a recording trace and keep every primitive application as
 * a vertex (seminar items 3 and 5: topological numbering u_1..u_m, inputs first, output last).
 * Knows nothing of SVG.
 */
import type { Params, Primitive } from "../core/primitive.js";
import { bind, type CallFn, Trace, Tracer, withTrace } from "../core/trace.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import type { Constant, Edge, Graph, Vertex } from "./types.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Options for {@link recordGraph}. */
export interface TraceOptions {
  /** Input names (default: the parameter names of `f`, else x1, x2, ...). */
  names?: string[];
  /** Title shown above pictures. */
  title?: string;
}

/**
 * Records each primitive application at its level as a vertex; values that are not its tracers
 * are constants, kept on the vertex that uses them (they are not vertices).
 */
class RecordTrace extends Trace {
  readonly vertices: Vertex[] = [];
  readonly edges: Edge[] = [];
  readonly ids = new Map<Tensor, number>();
  /** The label of the `vertex()` call being evaluated, while one is. */
  private calling: string | null = null;

  vertex(v: Omit<Vertex, "id">, t: Tensor): number {
    const id = this.vertices.length + 1;
    this.vertices.push({ id, ...v });
    this.ids.set(t, id);
    return id;
  }

  /**
   * The vertex of each argument and the constants among them. A constant is a value that is not
   * one of this trace's tracers: a number literal, a closed-over tensor, or a tracer of an outer
   * transform (Autodidax's perturbation-confusion rule).
   */
  private argumentsOf(args: readonly Tensor[]): { parents: number[]; constants: Constant[] } {
    const parents: number[] = [];
    const constants: Constant[] = [];
    args.forEach((a, arg) => {
      const id = this.owns(a) ? this.ids.get(a) : undefined;
      if (id !== undefined) parents.push(id);
      else constants.push({ arg, value: valueOf(a) });
    });
    return { parents, constants };
  }

  /** Adds the vertex of one operation (a primitive or a call) and its edges; returns its tracer. */
  private operation(v: Omit<Vertex, "id" | "parents" | "constants" | "value">, args: readonly Tensor[], y: Tensor): Tensor {
    const { parents, constants } = this.argumentsOf(args);
    const out = new Tracer(this, y);
    const id = this.vertex({ ...v, parents, ...(constants.length ? { constants } : {}), value: valueOf(y) }, out);
    let k = 0;
    args.forEach((_, arg) => {
      if (constants.some((c) => c.arg === arg)) return;
      this.edges.push({ from: parents[k++], to: id, arg });
    });
    return out;
  }

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    if (this.calling !== null) throw capturedError(this.calling);
    const y = bind(
      prim,
      args.map((a) => this.unbox(a)),
      params,
    );
    const p = params as Record<string, unknown>;
    return this.operation({ kind: "op", op: prim, ...(Object.keys(p).length ? { params: plain(p) } : {}) }, args, y);
  }

  /**
   * A `vertex(label, fn)` call becomes ONE vertex: fn runs one level down (on the arguments'
   * values, or on the tracers of the transforms below), so none of its primitives reaches this
   * trace. A primitive that does reach it can only come from a tracer of this trace that fn
   * closes over instead of taking it as an argument: that is an error (the vertex would miss
   * a parent).
   */
  override processCall(label: string, fn: CallFn, args: readonly Tensor[]): Tensor {
    if (this.calling !== null) throw capturedError(this.calling);
    this.calling = label;
    let y: unknown;
    try {
      y = fn(...args.map((a) => this.unbox(a)));
    } finally {
      this.calling = null;
    }
    if (!(y instanceof Tensor)) throw returnError(label, y);
    return this.operation({ kind: "call", op: label, fn }, args, y);
  }
}

function capturedError(label: string): GradlabError {
  return new GradlabError(
    "vertex: " +
      tr(
        "the function of “{label}” uses a value of the recorded graph that is not one of its arguments; pass every value it depends on as an argument, e.g. vertex(label, (u, w) => ...)(u, w)",
        { label },
      ),
  );
}

/**
 * The error for a `vertex()` function that returned something other than a tensor.
 *
 * @example
 * throw returnError("u²/2", 3);
 */
export function returnError(label: string, y: unknown): GradlabError {
  return new GradlabError(
    "vertex: " +
      tr("expected the function of “{label}” to return a tensor, got {got}", {
        label,
        got: y === null ? "null" : Array.isArray(y) ? tr("an array") : typeof y,
      }),
  );
}

function valueOf(t: Tensor): { shape: number[]; data: Float64Array } {
  return { shape: [...t.shape], data: t.data };
}

function plain(p: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
}

/**
 * Parameter names of a function from its source (`(x, w, b) => ...` gives x, w, b); rest,
 * destructured or defaulted parameters fall back to positional names.
 *
 * @example
 * paramNames((x, w) => x, 2); // ["x", "w"]
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any function: only its source text is read
export function paramNames(f: Function, count: number): string[] {
  const src = Function.prototype.toString.call(f);
  const m = /^(?:async\s+)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  const found = m ? m[1].split(",").map((s) => s.trim()) : [];
  return Array.from({ length: count }, (_, k) => {
    const name = /^[A-Za-z_$][\w$]*/.exec(found[k] ?? "")?.[0];
    return name && !found[k].startsWith("...") ? name : `x${k + 1}`;
  });
}

/** Keep only the output's ancestors (and every input), renumbered in the same order. */
function prune(vertices: Vertex[], edges: Edge[], output: number): { vertices: Vertex[]; edges: Edge[]; map: Map<number, number> } {
  const keep = new Set<number>([output]);
  for (let i = output; i >= 1; i--) {
    const v = vertices[i - 1];
    if (keep.has(i) || v.kind === "input") for (const p of v.parents) keep.add(p);
    if (v.kind === "input") keep.add(i);
  }
  const map = new Map<number, number>();
  const out: Vertex[] = [];
  for (const v of vertices) {
    if (!keep.has(v.id)) continue;
    map.set(v.id, out.length + 1);
    out.push({ ...v, id: out.length + 1, parents: v.parents.map((p) => map.get(p)!) });
  }
  const kept = edges.filter((e) => keep.has(e.to)).map((e) => ({ ...e, from: map.get(e.from)!, to: map.get(e.to)! }));
  return { vertices: out, edges: kept, map };
}

/**
 * Run `f(...args)` once and record its computational graph as plain data: inputs u_1..u_n (in
 * argument order), then the operations in the order they were computed, the output last. The
 * constants an operation uses are kept on its vertex (they are not vertices); a `vertex(label,
 * fn)` call is one vertex. Vertices that do not contribute to the output are dropped. (The public, variadic form
 * is `traceGraph(f, ...args, options?)`.)
 *
 * @example
 * const g = recordGraph((x, w) => sigmoid(dot(w, x)), [[1, 2], [0.5, -1]]);
 * g.vertices.map((v) => `u${v.id} ${v.op}`); // ["u1 input", "u2 input", "u3 ...", ...]
 */
export function recordGraph(f: (...args: Tensor[]) => TensorLike, args: readonly TensorLike[], opts: TraceOptions = {}): Graph {
  if (typeof f !== "function") throw new GradlabError("traceGraph: " + tr("expected a function, got {got}", { got: typeof f }));
  if (f.length > args.length) {
    throw new GradlabError("traceGraph: " + tr("{f} takes {k} arguments, got {n}", { f: f.name || "f", k: f.length, n: args.length }));
  }
  const names = opts.names ?? paramNames(f, args.length);
  if (names.length !== args.length) {
    throw new GradlabError("traceGraph: " + tr("expected {k} names, got {n}", { k: args.length, n: names.length }));
  }
  const inputs = args.map((a, k) => {
    try {
      return asTensor(a);
    } catch (e) {
      throw new GradlabError("traceGraph: " + tr("argument {name} is not a tensor: {why}", { name: names[k], why: (e as Error).message }), {
        cause: e,
      });
    }
  });
  return withTrace(
    (level) => new RecordTrace(level),
    (t) => {
      const tracers = inputs.map((x, k) => {
        const u = new Tracer(t, x);
        t.vertex({ kind: "input", op: "input", name: names[k], parents: [], value: valueOf(x) }, u);
        return u;
      });
      const y = f(...tracers);
      if (!(y instanceof Tensor))
        throw new GradlabError("traceGraph: " + tr("expected f to return a tensor, got {got}", { got: typeof y }));
      const output = t.owns(y) ? t.ids.get(y) : undefined;
      if (output === undefined) {
        throw new GradlabError(
          "traceGraph: " +
            tr(
              "f's result does not depend on its inputs through gradlab's ops (it is a constant, or was rebuilt from the inputs' numbers through item(), toArray() or data, which the graph cannot follow); compute it from the inputs with gradlab's ops",
            ),
        );
      }
      if (t.vertices[output - 1].kind === "input") {
        throw new GradlabError(
          "traceGraph: " +
            tr("f returns its input {name} unchanged: there is no operation to draw", { name: t.vertices[output - 1].name ?? "" }),
        );
      }
      const { vertices, edges } = prune(t.vertices, t.edges, output);
      const g: Graph = {
        vertices,
        edges,
        inputs: vertices.filter((v) => v.kind === "input").map((v) => v.id),
        output: vertices.length,
        inputNames: names,
      };
      if (opts.title !== undefined) g.title = opts.title;
      return g;
    },
  );
}
