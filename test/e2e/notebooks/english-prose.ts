/**
 * @file Finds English prose in an executed notebook's outputs (for the Russian notebooks, which must
 * have none). What is read, per output:
 * - stream text; error outputs' evalue (the ename is a name; traceback frames are code locations);
 * - display_data / execute_result: text/plain (unless the output is a widget view, whose text/plain
 *   is a repr no front end shows), text/markdown, text/latex (commands dropped), text/html (tags,
 *   <style> and <script> dropped, entities decoded), image/svg+xml (the <text> nodes), and plotly
 *   JSON (titles, axis titles, trace names, annotations);
 * - the saved widget state (metadata.widgets): what Output widgets show (read as outputs) and the
 *   controls' labels (description, a dropdown's options), reported as the cell "widgets".
 * A word there is English prose when it is made of Latin letters (hyphens allowed), has at least
 * three letters, and is none of: an identifier of the notebook's code cells (comments and string
 * literals are not identifiers) or an exercise id of its tags (check:<id>), a magic's name (%who), a name the gradlab package exports or an op of src/primitives/, or
 * an entry of {@link NAMES} (tools, libraries, methods and notation known by their English names).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The parts of an nbformat notebook the scan reads. */
export interface ScannedNotebook {
  metadata?: { widgets?: Record<string, { state?: Record<string, { model_name?: string; state?: Record<string, unknown> }> }> };
  cells: {
    id?: string;
    cell_type: string;
    metadata?: { tags?: string[] };
    source: string | string[];
    outputs?: {
      output_type: string;
      text?: string | string[];
      evalue?: string;
      data?: Record<string, unknown>;
    }[];
  }[];
}

/** The English words found in one cell's outputs. */
export interface EnglishInCell {
  /** The cell's id, or `#<index>` for a cell without one. */
  cell: string;
  words: string[];
}

/**
 * Names that stay in Latin letters in a Russian text: software and libraries, methods named after
 * people or known by an English acronym, and notation (compared case-insensitively).
 */
export const NAMES: readonly string[] = [
  // software and formats
  "gradlab",
  "Graphviz",
  "JAX",
  "PyTorch",
  "torch",
  "TensorFlow",
  "NumPy",
  "SciPy",
  "Jupyter",
  "JupyterLab",
  "IPython",
  "ipywidgets",
  "TypeScript",
  "JavaScript",
  "Node",
  "npm",
  "Plotly",
  "plotly",
  "KaTeX",
  "LaTeX",
  "HTML",
  "SVG",
  "JSON",
  "Markdown",
  "API",
  "CPU",
  "GPU",
  "RAM",
  "BLAS",
  "V8",
  // plotly trace types in a figure's text/plain
  "scatter",
  "contour",
  "heatmap",
  "bar",
  // methods and notation known by their English names
  "Newton-CG",
  "BFGS",
  "L-BFGS",
  "VJP",
  "JVP",
  "HVP",
  "ReLU",
  "NaN",
  "Infinity",
  "true",
  "false",
  "null",
  "undefined",
  "max",
  "min",
  "argmax",
  "argmin",
  "diag",
  "tr",
  "det",
  "const",
  // Greek letters spelled in Latin letters are notation (sigma(t), lambda/2 ||w||^2)
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "eta",
  "theta",
  "lambda",
  "sigma",
  "tau",
  "phi",
  "psi",
  "omega",
  // the tensor's repr (numpy's style: tensor([...], shape=[...])) and JavaScript type names (%whos)
  "shape",
  "function",
  "class",
  "number",
  "string",
  "boolean",
  "object",
  "Float64Array",
];

/** Op names (src/primitives/*.ts, without a leading `_`) and every name the package exports. */
export function libraryNames(repo: string, exported: Iterable<string>): Set<string> {
  const ops = readdirSync(join(repo, "src", "primitives"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.replace(/^_/, "").replace(/\.ts$/, ""));
  return new Set([...ops, ...exported]);
}

const text = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

/**
 * The identifiers of TypeScript code (and of magic lines): comments and the text of string and
 * template literals dropped, `${...}` inside templates kept.
 * @example identifiers('const loss = f(x); // the loss\nconsole.log("total loss")') // Set {const, loss, f, x, console, log}
 */
export function identifiers(code: string): Set<string> {
  const out = new Set<string>();
  let i = 0;
  let kept = "";
  const templates: number[] = [];
  while (i < code.length) {
    const c = code[i];
    const next = code[i + 1];
    if (c === "/" && next === "/") {
      while (i < code.length && code[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < code.length && code[i] !== c && code[i] !== "\n") i += code[i] === "\\" ? 2 : 1;
      i++;
      kept += " ";
    } else if (c === "`" || (c === "}" && templates.length > 0 && templates[templates.length - 1] === 0)) {
      if (c === "}") templates.pop();
      // template text up to its end or the next ${
      i++;
      while (i < code.length && code[i] !== "`" && !(code[i] === "$" && code[i + 1] === "{")) i += code[i] === "\\" ? 2 : 1;
      if (code[i] === "$") {
        templates.push(0);
        i += 2;
      } else i++;
      kept += " ";
    } else {
      if (templates.length > 0 && c === "{") templates[templates.length - 1]++;
      else if (templates.length > 0 && c === "}") templates[templates.length - 1]--;
      kept += c;
      i++;
    }
  }
  for (const m of kept.matchAll(/[A-Za-z_$][\w$]*/g)) out.add(m[0]);
  return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/** The text a reader sees in HTML: tags, style and script elements and comments dropped. */
export function htmlText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#?\w+);/g, (_whole, name: string) =>
      name in ENTITIES ? ENTITIES[name] : /^#\d+$/.test(name) ? String.fromCodePoint(Number(name.slice(1))) : " ",
    );
}

/** The <text> nodes of an SVG picture (Graphviz's labels), without the tags inside them. */
export function svgText(svg: string): string {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => htmlText(m[1])).join("\n");
}

/** LaTeX without its commands (\frac, \bar, \text{...} keeps its argument). */
export function latexText(tex: string): string {
  return tex.replace(/\\[A-Za-z]+/g, " ");
}

/** The texts of a plotly figure a reader sees: titles, axis titles, trace names, annotations. */
export function plotlyText(fig: unknown): string {
  const out: string[] = [];
  const title = (t: unknown) => {
    if (typeof t === "string") out.push(t);
    else if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") out.push((t as { text: string }).text);
  };
  const f = fig as { data?: { name?: unknown }[]; layout?: Record<string, unknown> } | null;
  for (const trace of f?.data ?? []) if (typeof trace?.name === "string") out.push(trace.name);
  const layout = f?.layout ?? {};
  title(layout.title);
  for (const [k, v] of Object.entries(layout)) {
    if (/^[xy]axis\d*$/.test(k)) title((v as { title?: unknown } | null)?.title);
    if (k === "annotations" && Array.isArray(v)) for (const a of v) title((a as { text?: unknown })?.text);
  }
  return out.join("\n");
}

/** Every text of one output a reader sees, as the file's doc comment lists. */
export function outputTexts(o: NonNullable<ScannedNotebook["cells"][number]["outputs"]>[number]): string[] {
  if (o.output_type === "stream") return [text(o.text)];
  if (o.output_type === "error") return [o.evalue ?? ""];
  const data = o.data ?? {};
  const out: string[] = [];
  const widget = "application/vnd.jupyter.widget-view+json" in data;
  for (const [mime, value] of Object.entries(data)) {
    const v = typeof value === "string" || Array.isArray(value) ? text(value as string | string[]) : "";
    if (mime === "text/plain" && !widget) out.push(v);
    else if (mime === "text/markdown") out.push(v);
    else if (mime === "text/latex") out.push(latexText(v));
    else if (mime === "text/html") out.push(htmlText(v));
    else if (mime === "image/svg+xml") out.push(svgText(v));
    else if (mime === "application/vnd.plotly.v1+json") out.push(plotlyText(value));
  }
  return out;
}

/**
 * The English words in each cell's outputs (cells without any are left out).
 * @example englishInOutputs(nb, new Set(["backprop"])) // [{ cell: "c12", words: ["contributions"] }]
 */
export function englishInOutputs(nb: ScannedNotebook, names: ReadonlySet<string>): EnglishInCell[] {
  const code = new Set<string>();
  for (const c of nb.cells) if (c.cell_type === "code") for (const id of identifiers(text(c.source))) code.add(id);
  // exercise ids (a tag check:<id>) are names
  for (const c of nb.cells) for (const tag of c.metadata?.tags ?? []) code.add(tag.slice(tag.indexOf(":") + 1));
  const allowed = new Set([...NAMES, ...names].map((n) => n.toLowerCase()));
  const found: EnglishInCell[] = [];
  nb.cells.forEach((c, k) => {
    const words = new Set<string>();
    for (const o of c.outputs ?? []) for (const t of outputTexts(o)) for (const w of englishWords(t, code, allowed)) words.add(w);
    if (words.size > 0) found.push({ cell: c.id ?? `#${k}`, words: [...words].sort() });
  });
  const widgets = new Set<string>();
  for (const t of widgetTexts(nb)) for (const w of englishWords(t, code, allowed)) widgets.add(w);
  if (widgets.size > 0) found.push({ cell: "widgets", words: [...widgets].sort() });
  return found;
}

/**
 * The English words of a text: Latin-letter words (hyphenated ones as one) of three letters or
 * more that are not in `code` or `allowed` (lower case); parts of identifiers such as x_0, u11, f2
 * and magic names (%who) are skipped.
 */
function englishWords(t: string, code: ReadonlySet<string>, allowed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const m of t.matchAll(/(?<![\w$%])[A-Za-z]+(?:-[A-Za-z]+)*(?![\w$])/g)) {
    const w = m[0];
    if (w.replace(/-/g, "").length < 3 || code.has(w) || allowed.has(w.toLowerCase())) continue;
    if (w.includes("-") && w.split("-").every((p) => p.length < 3 || code.has(p) || allowed.has(p.toLowerCase()))) continue;
    out.push(w);
  }
  return out;
}

/** What the saved widgets show: their Output widgets' outputs and their controls' labels. */
function widgetTexts(nb: ScannedNotebook): string[] {
  const state = nb.metadata?.widgets?.["application/vnd.jupyter.widget-state+json"]?.state ?? {};
  const out: string[] = [];
  for (const model of Object.values(state)) {
    const s = model.state ?? {};
    if (model.model_name === "OutputModel" && Array.isArray(s.outputs)) {
      for (const o of s.outputs as Parameters<typeof outputTexts>[0][]) out.push(...outputTexts(o));
    }
    if (typeof s.description === "string") out.push(s.description);
    if (Array.isArray(s._options_labels)) out.push(...s._options_labels.map(String));
  }
  return out;
}
