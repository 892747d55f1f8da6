/** @file The English-prose scan (english-prose.ts) on hand-made outputs: what it finds, what it lets pass. */
import { describe, expect, it } from "vitest";
import { englishInOutputs, identifiers, type ScannedNotebook } from "./english-prose.js";

const code = (id: string, source: string, outputs: NonNullable<ScannedNotebook["cells"][number]["outputs"]>, tags: string[] = []) => ({
  id,
  cell_type: "code",
  source,
  metadata: { tags },
  outputs,
});
const display = (data: Record<string, unknown>) => ({ output_type: "display_data", data });

describe("identifiers", () => {
  it("keeps names and template expressions, drops comments and the text of strings and templates", () => {
    const ids = identifiers('const loss = f(x); // the total loss\nconsole.log("total loss", `mean ${meanLoss} here`); /* block words */');
    expect([...ids].sort()).toEqual(["console", "const", "f", "log", "loss", "meanLoss", "x"]);
  });
});

describe("englishInOutputs", () => {
  it("finds English words in every kind of output, by cell", () => {
    const nb: ScannedNotebook = {
      cells: [
        code("stream", "1", [{ output_type: "stream", text: ["градиент: all checks passed\n"] }]),
        code("html", "1", [display({ "text/html": "<style>.pass{color:red}</style><p title='hidden'>Таблица</p><th>verdict</th>&hellip;" })]),
        code("svg", "1", [display({ "image/svg+xml": '<svg><title>node1</title><text font-family="Helvetica">input x</text></svg>' })]),
        code("plotly", "1", [
          display({ "application/vnd.plotly.v1+json": { data: [{ type: "scatter", name: "finite difference" }], layout: { yaxis: { title: { text: "loss - final" } } } } }),
        ]),
        code("error", "1", [{ output_type: "error", evalue: "ошибка: not answered yet" }]),
        code("latex", "1", [display({ "text/latex": "$\\frac{a}{b}$ where", "text/markdown": "**Markdown** text" })]),
      ],
    };
    expect(englishInOutputs(nb, new Set())).toEqual([
      { cell: "stream", words: ["all", "checks", "passed"] },
      { cell: "html", words: ["verdict"] },
      { cell: "svg", words: ["input"] },
      { cell: "plotly", words: ["difference", "final", "finite", "loss"] },
      { cell: "error", words: ["answered", "not", "yet"] },
      { cell: "latex", words: ["text", "where"] },
    ]);
  });

  it("reads the saved widgets: Output widgets' outputs and the controls' labels", () => {
    const state = {
      a: { model_name: "OutputModel", state: { outputs: [display({ "text/plain": "после 3 шагов: loss went down" })] } },
      b: { model_name: "IntSliderModel", state: { description: "steps" } },
      c: { model_name: "DropdownModel", state: { description: "метод", _options_labels: ["градиентный спуск", "Newton method"] } },
    };
    const nb: ScannedNotebook = { metadata: { widgets: { "application/vnd.jupyter.widget-state+json": { state } } }, cells: [] };
    expect(englishInOutputs(nb, new Set())).toEqual([{ cell: "widgets", words: ["Newton", "down", "loss", "method", "steps", "went"] }]);
  });

  it("lets pass code identifiers, exercise ids, magic names, library and listed names, short words and numbers", () => {
    const nb: ScannedNotebook = {
      cells: [
        code("a", "const logdetGrad = jacfwd(f); // no English here counts", [
          { output_type: "stream", text: "logdetGrad: 1e-8, x0 u11 ok PyTorch JAX Newton-CG %lsmagic %timeit matmul\n" },
        ]),
        code("b", "check()", [{ output_type: "error", evalue: "ex-second-differential: НЕВЕРНО" }], ["check:ex-second-differential"]),
        code("c", "w", [display({ "application/vnd.jupyter.widget-view+json": {}, "text/plain": "FloatSlider(description='w')" })]),
      ],
    };
    expect(englishInOutputs(nb, new Set(["jacfwd", "matmul"]))).toEqual([]);
  });
});
