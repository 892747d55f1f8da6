/**
 * @file LaTeX (`text/latex`) for formulas: from a string, or from a recorded Graph (the output
 * written in terms of the inputs, one rule per primitive).
 */
import { formatNumber } from "./preview.js";
import type { Graph, Value, Vertex } from "./types.js";
import { argumentsOf, validateGraph } from "./types.js";
import { recordGraph } from "./record.js";
import { Tensor } from "../tensor/tensor.js";
import { JUPYTER_DISPLAY, type Displayable, type MimeBundle } from "../display/mime.js";
import { GradlabError } from "../tensor/errors.js";

/** Binding strength: a sum needs parentheses inside a product, a product inside a power... */
const enum Prec {
  Sum = 1,
  Product = 2,
  Power = 3,
  Atom = 4,
}

interface Tex {
  tex: string;
  prec: Prec;
}

const GREEK = new Set([
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "lambda",
  "mu",
  "sigma",
  "theta",
  "omega",
  "tau",
  "eta",
  "xi",
  "rho",
  "phi",
  "psi",
]);

/** An input name as LaTeX: Greek names become letters, `x1` becomes `x_{1}`, other text is escaped. */
function nameTex(name: string): string {
  if (GREEK.has(name)) return `\\${name}`;
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${nameTex(m[1])}_{${m[2]}}`;
  return name.length === 1 ? name : `\\mathrm{${name.replace(/[\\{}$&#^_%~]/g, (c) => `\\${c === "\\" ? "backslash " : c}`)}}`;
}

const paren = (t: Tex, min: Prec) => (t.prec < min ? `\\left(${t.tex}\\right)` : t.tex);
const fn = (name: string, a: Tex): Tex => ({ tex: `${name}\\left(${a.tex}\\right)`, prec: Prec.Atom });

function opTex(v: Vertex, a: Tex[], g: Graph): Tex {
  const [x, y] = a;
  const vec = (a: { vertex: number } | { constant: Value }) =>
    ("vertex" in a ? g.vertices[a.vertex - 1].value : a.constant).shape.length === 1;
  const all = argumentsOf(v);
  switch (v.op) {
    case "add":
      return { tex: `${x.tex} + ${paren(y, Prec.Product)}`, prec: Prec.Sum };
    case "sub":
      return { tex: `${x.tex} - ${paren(y, Prec.Product)}`, prec: Prec.Sum };
    case "square":
      return { tex: `${paren(x, Prec.Atom)}^{2}`, prec: Prec.Power };
    case "mul":
      if (v.parents.length === 2 && v.parents[0] === v.parents[1]) return { tex: `${paren(x, Prec.Atom)}^{2}`, prec: Prec.Power };
      return { tex: `${paren(x, Prec.Product)} \\cdot ${paren(y, Prec.Power)}`, prec: Prec.Product };
    case "div":
      return { tex: `\\frac{${x.tex}}{${y.tex}}`, prec: Prec.Atom };
    case "neg":
      return { tex: `-${paren(x, Prec.Power)}`, prec: Prec.Sum };
    case "pow":
      return { tex: `${paren(x, Prec.Atom)}^{${y.tex}}`, prec: Prec.Power };
    case "exp":
      return { tex: `e^{${x.tex}}`, prec: Prec.Power };
    case "expm1":
      return { tex: `e^{${x.tex}} - 1`, prec: Prec.Sum };
    case "log":
      return fn("\\ln", x);
    case "log1p":
      return { tex: `\\ln\\left(1 + ${x.tex}\\right)`, prec: Prec.Atom };
    case "logistic":
      return fn("\\sigma", x);
    case "sqrt":
      return { tex: `\\sqrt{${x.tex}}`, prec: Prec.Atom };
    case "abs":
      return { tex: `\\left|${x.tex}\\right|`, prec: Prec.Atom };
    case "sin":
    case "cos":
    case "tanh":
      return fn(`\\${v.op}`, x);
    case "matmul":
      if (vec(all[0]) && vec(all[1])) return { tex: `${paren(x, Prec.Atom)}^\\top ${paren(y, Prec.Atom)}`, prec: Prec.Product };
      return { tex: `${paren(x, Prec.Product)} ${paren(y, Prec.Power)}`, prec: Prec.Product };
    case "reduce_sum":
      return { tex: `\\sum ${paren(x, Prec.Power)}`, prec: Prec.Product };
    case "transpose":
      return { tex: `${paren(x, Prec.Atom)}^\\top`, prec: Prec.Power };
    case "inv":
      return { tex: `${paren(x, Prec.Atom)}^{-1}`, prec: Prec.Power };
    case "det":
      return fn("\\det", x);
    case "logdet":
      return fn("\\ln\\det", x);
    case "reshape":
    case "broadcast_to":
      return x;
    default:
      return fn(`\\operatorname{${v.op.replace(/_/g, "\\_")}}`, { tex: a.map((t) => t.tex).join(", "), prec: Prec.Atom });
  }
}

/** A constant argument as LaTeX: a number, else `c_{i}` (`c_{i,a}` when u_i has several). */
function constantTex(c: Value, v: Vertex): Tex {
  const d = c.data;
  if (d.length === 1) {
    const t = formatNumber(d[0]).replace(/e([+-]?\d+)$/, "\\cdot 10^{$1}");
    return { tex: t, prec: d[0] < 0 ? Prec.Sum : Prec.Atom };
  }
  const many = (v.constants?.length ?? 0) > 1;
  return { tex: `c_{${v.id}${many ? `,${v.constants!.findIndex((k) => k.value === c) + 1}` : ""}}`, prec: Prec.Atom };
}

/**
 * A call vertex written out: its function recorded at the arguments' values, with the
 * arguments' formulas in place of its inputs; `\operatorname{label}(...)` when that fails.
 */
function callTex(v: Vertex, args: Tex[], g: Graph): Tex {
  const values = argumentsOf(v).map((a) => ("vertex" in a ? g.vertices[a.vertex - 1].value : a.constant));
  try {
    const inner = recordGraph(
      v.fn!,
      values.map((x) => new Tensor(x.data, x.shape)),
      { names: values.map((_, k) => `a${k}`) },
    );
    return texOf(inner, args);
  } catch {
    const label = v.op.replace(/[\\{}$&#^_%~]/g, (ch) => `\\${ch === "\\" ? "backslash " : ch}`);
    return fn(`\\operatorname{${label}}`, { tex: args.map((t) => t.tex).join(", "), prec: Prec.Atom });
  }
}

/** The output of `g` as LaTeX, its inputs written as `inputs` (their names when absent). */
function texOf(g: Graph, inputs?: Tex[]): Tex {
  const tex: Tex[] = [];
  for (const v of g.vertices) {
    if (v.kind === "input") {
      const k = g.inputs.indexOf(v.id);
      tex.push(inputs?.[k] ?? { tex: nameTex(v.name ?? `u${v.id}`), prec: Prec.Atom });
      continue;
    }
    const args = argumentsOf(v).map((a) => ("vertex" in a ? tex[a.vertex - 1] : constantTex(a.constant, v)));
    tex.push(v.kind === "call" ? callTex(v, args, g) : opTex(v, args, g));
  }
  return tex[g.output - 1];
}

/**
 * The output of a recorded graph as a LaTeX formula in its inputs and constants; a `vertex()`
 * call is written out as the formula of its function.
 *
 * @example
 * graphToLatex(traceGraph((x, w) => sigmoid(dot(w, x)), [1, 2], [3, 4])); // "\\sigma\\left(w^\\top x\\right)"
 */
export function graphToLatex(graph: Graph): string {
  return texOf(validateGraph(graph)).tex;
}

/**
 * A LaTeX formula that renders itself (`text/latex`, display math), with its source as text.
 *
 * @example
 * new LatexView("\\nabla f = X^{-1}").toString(); // "\\nabla f = X^{-1}"
 */
export class LatexView implements Displayable {
  readonly tex: string;

  constructor(tex: string) {
    this.tex = tex;
  }

  toString(): string {
    return this.tex;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/latex": `$$${this.tex}$$`, "text/plain": this.tex };
  }
}

/**
 * LaTeX for a formula: a LaTeX string as is, or a recorded graph written out as a formula.
 *
 * @example
 * latex("\\nabla f = \\sigma(a^\\top x)\\, a"); // renders as display math
 * latex(traceGraph(f, x, w, b)); // f written in x, w, b
 */
export function latex(expr: string | Graph): LatexView {
  if (typeof expr === "string") {
    if (expr.includes("$$")) throw new GradlabError("latex: expected the formula without $$ delimiters, got one containing $$");
    return new LatexView(expr);
  }
  if (expr && typeof expr === "object" && Array.isArray((expr as Graph).vertices)) return new LatexView(graphToLatex(expr));
  throw new GradlabError(`latex: expected a LaTeX string or a recorded graph, got ${expr === null ? "null" : typeof expr}`);
}
