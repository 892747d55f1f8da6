/** @file latex(): strings pass through, graphs are written out as formulas. */
import { describe, expect, it } from "vitest";
import { add, div, dot, mul, sigmoid, square, sub, sum, type Tensor } from "gradlab";
import { latex } from "../../../src/graph/latex.js";
import { JUPYTER_DISPLAY } from "../../../src/display/mime.js";
import { traceGraph } from "../../../src/graph/api.js";

describe("latex", () => {
  it("wraps a LaTeX string as display math", () => {
    expect(latex("\\nabla f = X^{-1}")[JUPYTER_DISPLAY]()).toEqual({
      "text/latex": "$$\\nabla f = X^{-1}$$",
      "text/plain": "\\nabla f = X^{-1}",
    });
    expect(() => latex("$$x$$")).toThrow("latex: expected the formula without $$ delimiters");
    expect(() => latex(3 as never)).toThrow("latex: expected a LaTeX string or a recorded graph, got number");
  });

  it("writes the seminar function from its graph", () => {
    const lambda = 0.1;
    const f = (x: Tensor, w: Tensor, b: Tensor) => add(div(square(sub(sigmoid(add(dot(w, x), b)), 1)), 2), mul(lambda / 2, sum(square(w))));
    const g = traceGraph(f, [1, 2], [3, 4], 0.5);
    expect(latex(g).tex).toMatchInlineSnapshot(
      `"\\frac{\\left(\\sigma\\left(w^\\top x + b\\right) - 1\\right)^{2}}{2} + 0.05 \\cdot \\left(\\sum w^{2}\\right)"`,
    );
  });
});
