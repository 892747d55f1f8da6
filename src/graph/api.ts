/**
 * @file The public picture API: `traceGraph`, `graph`, `backprop`, `forwardTable`, `backwardGraph`.
 * Each records with `recordGraph`, annotates with `backward` / `forward`, and returns an object that renders
 * itself in a notebook. Calls read `fn(f, ...args, options?)`; a trailing plain object is options.
 */
import { BackpropView, ForwardView } from "./sweeps.js";
import { grad } from "../transforms/grad.js";
import type { TensorLike } from "../tensor/create.js";
import { Tensor as TensorClass, type Tensor } from "../tensor/tensor.js";
import type { DotOptions } from "./dot.js";
import { backward, forward } from "./passes.js";
import { recordGraph } from "./record.js";
import type { Graph } from "./types.js";
import { GraphView } from "./view.js";
import { errorParts, GradlabError } from "../tensor/errors.js";
import { noteTransform } from "../core/byhand.js";
import { tr } from "../i18n/index.js";

/** A function of tensors, as the pictures accept it. */
export type GraphFn = (...args: Tensor[]) => TensorLike;

/**
 * Options of {@link graph}, {@link backprop}, {@link forwardTable} and {@link backwardGraph}.
 *
 * @example
 * forwardTable(f, x, w, b, { wrt: "w", rankdir: "TB", names: ["x", "w", "b"] });
 */
export interface PictureOptions extends DotOptions {
  /** Input names (default: the parameter names of f). */
  names?: string[];
  /** Title above the picture. */
  title?: string;
  /** forwardTable / backwardGraph: the input to differentiate with respect to (name or position). */
  wrt?: string | number;
  /** backprop: the seed y for a non-scalar output (shows the vector-Jacobian product y^T J). */
  cotangent?: TensorLike;
}

const OPTION_KEYS = new Set(["rankdir", "layout", "cotangent", "maxVertices", "adjoints", "tangents", "names", "title", "wrt"]);

function isGraph(x: unknown): x is Graph {
  return typeof x === "object" && x !== null && Array.isArray((x as Graph).vertices) && Array.isArray((x as Graph).edges);
}

/** Split `(f | Graph, ...args, options?)`; errors name the calling function. */
function parse(who: string, f: unknown, rest: unknown[]): { f: GraphFn | Graph; args: TensorLike[]; opts: PictureOptions } {
  let opts: PictureOptions = {};
  const last = rest[rest.length - 1];
  if (typeof last === "object" && last !== null && Object.getPrototypeOf(last) === Object.prototype && !isGraph(last)) {
    for (const k of Object.keys(last)) {
      if (!OPTION_KEYS.has(k)) {
        throw new GradlabError(
          `${who}: ` + tr("unknown option {name}, expected one of {names}", { name: `"${k}"`, names: [...OPTION_KEYS].join(", ") }),
        );
      }
    }
    opts = last as PictureOptions;
    rest = rest.slice(0, -1);
  }
  if (opts.layout !== undefined && !["auto", "dot", "layered"].includes(opts.layout)) {
    throw new GradlabError(
      `${who}: ` +
        tr("expected layout {names}, got {got}", { names: `"auto", "dot" ${tr("or")} "layered"`, got: JSON.stringify(opts.layout) }),
    );
  }
  if (opts.rankdir !== undefined && opts.rankdir !== "LR" && opts.rankdir !== "TB") {
    throw new GradlabError(
      `${who}: ` + tr("expected rankdir {names}, got {got}", { names: `"LR" ${tr("or")} "TB"`, got: JSON.stringify(opts.rankdir) }),
    );
  }
  if (isGraph(f)) {
    if (rest.length) throw new GradlabError(`${who}: ` + tr("expected no arguments after a recorded graph, got {n}", { n: rest.length }));
    return { f, args: [], opts };
  }
  if (typeof f !== "function")
    throw new GradlabError(`${who}: ` + tr("expected a function or a recorded graph, got {got}", { got: f === null ? "null" : typeof f }));
  if (rest.length === 0) throw new GradlabError(`${who}: ` + tr("expected arguments to call {f} with, got none", { f: f.name || "f" }));
  return { f: f as GraphFn, args: rest as TensorLike[], opts };
}

function record(who: string, f: GraphFn | Graph, args: TensorLike[], opts: PictureOptions): Graph {
  if (isGraph(f)) return f;
  try {
    return recordGraph(f, args, { names: opts.names, title: opts.title });
  } catch (e) {
    // the recorder's own errors are reported as the caller's (graph, backprop, ...); others pass unchanged
    const parts = errorParts(e);
    if (parts?.op === "traceGraph") throw new GradlabError(`${who}: ${parts.detail}`, { cause: e });
    throw e;
  }
}

/**
 * Run `f(...args)` once and return its computational graph as plain data (seminar items 3-5):
 * vertices u_1..u_m, inputs first, output last, each with op, shape and value. Named
 * `traceGraph` because `trace` is the matrix trace op of the core. Annotate it with
 * `backward(g)` (adjoints) or `forward(g, "x")` (du_i/dx).
 *
 * @example
 * const g = traceGraph((x, w, b) => sigmoid(add(dot(w, x), b)), [1, 2], [0.5, -1], 0.1);
 * g.vertices.map((v) => v.op); // ["input", "input", "input", "matmul", "add", "logistic"]
 * traceGraph(f, [x, w, b]); // the same, with the tensors in one array
 */
export function traceGraph(f: GraphFn, ...rest: (TensorLike | Tensor[] | PictureOptions)[]): Graph {
  noteTransform("traceGraph"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  // Also accepted: the arguments as one array of tensors, traceGraph(f, [x, w, b]) (a nested
  // array of numbers stays one tensor argument, as everywhere else).
  const [first] = rest;
  if (Array.isArray(first) && first.some((a) => a instanceof TensorClass)) rest = [...first, ...rest.slice(1)];
  const p = parse("traceGraph", f, rest);
  if (isGraph(p.f)) throw new GradlabError("traceGraph: " + tr("expected a function, got a recorded graph"));
  return record("traceGraph", p.f, p.args, p.opts);
}

/**
 * Draw the forward graph of `f` at the given arguments (or a recorded Graph): inline SVG through
 * Graphviz, one box per vertex with its number, op, shape and value.
 *
 * @example
 * graph((x, w, b) => sigmoid(add(dot(w, x), b)), [1, 2], [0.5, -1], 0.1, { rankdir: "TB" });
 */
export function graph(f: GraphFn | Graph, ...rest: (TensorLike | PictureOptions)[]): GraphView {
  noteTransform("graph"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  const p = parse("graph", f, rest);
  return new GraphView(record("graph", p.f, p.args, p.opts), p.opts);
}

/**
 * Reverse mode made visible: the graph annotated with adjoints, the step table for i = m..1 and
 * the input gradients. `f` must return a scalar, unless a `cotangent` y is given: then the
 * table shows the vector-Jacobian product y^T J (seminar item 7).
 *
 * @example
 * backprop((x, w, b) => loss(x, w, b), [1, 2], [0.5, -1], 0.1).graph.vertices[0].adjoint;
 */
export function backprop(f: GraphFn | Graph, ...rest: (TensorLike | PictureOptions)[]): BackpropView {
  noteTransform("backprop"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  const p = parse("backprop", f, rest);
  return new BackpropView(backward(record("backprop", p.f, p.args, p.opts), p.opts.cotangent), p.opts);
}

/**
 * Forward mode made visible: du_i/dx for i = 1..m with respect to one input (`wrt`, default the
 * first), how many numbers each step carries, and what reverse mode would store instead.
 *
 * @example
 * forwardTable((x, w, b) => loss(x, w, b), [1, 2], [0.5, -1], 0.1, { wrt: "w" });
 */
export function forwardTable(f: GraphFn | Graph, ...rest: (TensorLike | PictureOptions)[]): ForwardView {
  noteTransform("forwardTable"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  const p = parse("forward", f, rest);
  return new ForwardView(forward(record("forward", p.f, p.args, p.opts), p.opts.wrt ?? 0), p.opts);
}

/**
 * Record the backward pass itself as a graph (seminar item 6): the graph of x -> df/dx_wrt,
 * built from the primitives' VJP rules. Draw it with `graph(...)`, or differentiate it again
 * with `backprop(...)` when its output is a scalar.
 *
 * @example
 * const g = backwardGraph((x) => mul(sin(x), x), 0.5); // x -> cos(x) x + sin(x)
 * backprop(g).graph.vertices[0].adjoint; // the second derivative
 */
export function backwardGraph(f: GraphFn, ...rest: (TensorLike | PictureOptions)[]): Graph {
  noteTransform("backwardGraph"); // an answer derived by hand may not use the graph API (core/byhand.ts)
  const p = parse("backwardGraph", f, rest);
  if (isGraph(p.f)) throw new GradlabError("backwardGraph: " + tr("expected a function, got a recorded graph"));
  const g0 = p.f;
  const names = p.opts.names ?? undefined;
  const probe = recordGraph(g0, p.args, { names });
  const wrt = p.opts.wrt ?? 0;
  const k = typeof wrt === "number" ? wrt : probe.inputNames.indexOf(wrt);
  if (!(k >= 0 && k < p.args.length)) {
    throw new GradlabError(
      "backwardGraph: " + tr("expected wrt among {names}, got {got}", { names: probe.inputNames.join(", "), got: String(wrt) }),
    );
  }
  const df = grad(g0, { argnums: k }) as unknown as GraphFn;
  return recordGraph(df, p.args, {
    names: probe.inputNames,
    title: p.opts.title ?? tr("backward pass: ∂{f}/∂{x}", { f: g0.name || "f", x: probe.inputNames[k] }),
  });
}
