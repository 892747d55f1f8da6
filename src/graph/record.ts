/**
 * @file fn -> Graph: run `f` once under a recording trace and keep every primitive application as
 * a vertex (seminar items 3 and 5: topological numbering u_1..u_m, inputs first, output last).
 * Knows nothing of SVG.
 */
import type { Params, Primitive } from "../core/primitive.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import type { Edge, Graph, Vertex } from "./types.js";
import { GradlabError } from "../tensor/errors.js";

/** Options for {@link recordGraph}. */
export interface TraceOptions {
  /** Input names (default: the parameter names of `f`, else x1, x2, ...). */
  names?: string[];
  /** Title shown above pictures. */
  title?: string;
}

/** Records each primitive application at its level; values that are not its tracers become constants. */
class RecordTrace extends Trace {
  readonly vertices: Vertex[] = [];
  readonly edges: Edge[] = [];
  readonly ids = new Map<Tensor, number>();

  vertex(v: Omit<Vertex, "id">, t: Tensor): number {
    const id = this.vertices.length + 1;
    this.vertices.push({ id, ...v });
    this.ids.set(t, id);
    return id;
  }

  idOf(x: Tensor): number {
    const known = this.ids.get(x);
    if (known !== undefined) return known;
    // Not one of ours: a constant to this trace (a number literal, a closed-over tensor, or a
    // tracer of an outer transform, Autodidax's perturbation-confusion rule).
    return this.vertex({ kind: "constant", op: "constant", parents: [], value: valueOf(x) }, x);
  }

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const parents = args.map((a) => this.idOf(a));
    const y = bind(
      prim,
      args.map((a) => this.unbox(a)),
      params,
    );
    const out = new Tracer(this, y);
    const p = params as Record<string, unknown>;
    const id = this.vertex(
      { kind: "op", op: prim, parents, value: valueOf(y), ...(Object.keys(p).length ? { params: plain(p) } : {}) },
      out,
    );
    parents.forEach((from, arg) => this.edges.push({ from, to: id, arg }));
    return out;
  }
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
 * argument order), then constants and operations in the order they were computed, the output
 * last. Vertices that do not contribute to the output are dropped. (The public, variadic form
 * is `traceGraph(f, ...args, options?)`.)
 *
 * @example
 * const g = recordGraph((x, w) => sigmoid(dot(w, x)), [[1, 2], [0.5, -1]]);
 * g.vertices.map((v) => `u${v.id} ${v.op}`); // ["u1 input", "u2 input", "u3 ...", ...]
 */
export function recordGraph(f: (...args: Tensor[]) => TensorLike, args: readonly TensorLike[], opts: TraceOptions = {}): Graph {
  if (typeof f !== "function") throw new GradlabError(`traceGraph: expected a function, got ${typeof f}`);
  if (f.length > args.length) {
    throw new GradlabError(`traceGraph: ${f.name || "f"} takes ${f.length} arguments, got ${args.length}`);
  }
  const names = opts.names ?? paramNames(f, args.length);
  if (names.length !== args.length) throw new GradlabError(`traceGraph: expected ${args.length} names, got ${names.length}`);
  const inputs = args.map((a, k) => {
    try {
      return asTensor(a);
    } catch (e) {
      throw new GradlabError(`traceGraph: argument ${names[k]} is not a tensor: ${(e as Error).message}`, { cause: e });
    }
  });
  return withTrace(
    (level) => new RecordTrace(level),
    (t) => {
      const tracers = inputs.map((x, k) => {
        const tr = new Tracer(t, x);
        t.vertex({ kind: "input", op: "input", name: names[k], parents: [], value: valueOf(x) }, tr);
        return tr;
      });
      const y = f(...tracers);
      if (!(y instanceof Tensor)) throw new GradlabError(`traceGraph: expected f to return a tensor, got ${typeof y}`);
      const output = t.ids.get(y);
      if (output === undefined || t.vertices[output - 1].kind === "constant") {
        throw new GradlabError(
          "traceGraph: f's result does not depend on its inputs through gradlab's ops (it is a constant, or was rebuilt from " +
            "the inputs' numbers through item(), toArray() or data, which the graph cannot follow); compute it from the inputs with gradlab's ops",
        );
      }
      if (t.vertices[output - 1].kind !== "op") {
        throw new GradlabError(
          `traceGraph: f returns its input ${t.vertices[output - 1].name ?? ""} unchanged: there is no operation to draw`,
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
