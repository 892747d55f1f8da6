/** @file Plotly bundles (both MIME types, loader once per session) and the seminar's figures. */
import { describe, expect, it } from "vitest";
import { add, mul, sigmoid, square, sum, type Tensor } from "gradlab";
import { JUPYTER_DISPLAY } from "../../../src/display/mime.js";
import { figureHtml, PLOTLY_MIME, PlotlyFigure, plotlyLoader, servedLoaderHtml } from "../../../src/display/plotly.js";
import { plotContour, plotFunction, plotLines } from "../../../src/display/plots.js";

describe("plotly bundles", () => {
  it("pins the figure HTML", () => {
    expect(figureHtml({ data: [{ type: "scatter", y: [1, 2] }] })).toMatchInlineSnapshot(`
      "<div class="gradlab-plotly" id="gradlab-plot-4cahw5" style="width:100%;height:420px"></div>
      <script>(function () {
        var fig = {"data":[{"type":"scatter","y":[1,2]}],"layout":{},"config":{}};
        var el = document.getElementById("gradlab-plot-4cahw5");
        function draw() { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); }
        if (window.Plotly) return draw();
        var tries = 0, timer = setInterval(function () {
          if (window.Plotly) { clearInterval(timer); draw(); }
          else if (++tries > 200) { clearInterval(timer); el.textContent = "plotly.js is not loaded in this page: display gradlab's plotlyLoader() once."; }
        }, 50);
      })();</script>"
    `);
  });

  it("escapes user text inside the script", () => {
    const html = figureHtml({ data: [{ name: "</script><script>alert(1)</script>", y: [1] }] });
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain("\\u003c/script\\u003e");
  });

  it("carries plotly.js only in the first figure of a session", () => {
    const a = new PlotlyFigure({ data: [{ y: [1] }] })[JUPYTER_DISPLAY]();
    const b = new PlotlyFigure({ data: [{ y: [2] }] })[JUPYTER_DISPLAY]();
    expect(Object.keys(a).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"]);
    expect(a["text/html"]).toMatch(/^<script>if \(!window\.Plotly\) \{\n/);
    expect((a["text/html"] as string).length).toBeGreaterThan(1e6);
    expect(b["text/html"]).not.toContain("if (!window.Plotly)");
    expect((b["text/html"] as string).length).toBeLessThan(2000);
    expect(b[PLOTLY_MIME]).toEqual({ data: [{ y: [2] }], layout: {}, config: {} });
    expect(plotlyLoader()[JUPYTER_DISPLAY]()["text/html"]).not.toMatch(/<\/script(?!>$)/);
  });

  it("loads plotly.js from the server in every figure where the server serves it (GRADLAB_PLOTLY_SRC)", () => {
    const before = process.env.GRADLAB_PLOTLY_SRC;
    process.env.GRADLAB_PLOTLY_SRC = "nbextensions/gradlab/plotly.min.js";
    try {
      const figures = [1, 2].map((y) => new PlotlyFigure({ data: [{ y: [y] }] })[JUPYTER_DISPLAY]());
      for (const [i, f] of figures.entries()) {
        const html = f["text/html"] as string;
        expect(html.startsWith(servedLoaderHtml("nbextensions/gradlab/plotly.min.js") + "\n")).toBe(true);
        expect(html).toContain('+ "nbextensions/gradlab/plotly.min.js";');
        expect(html).not.toContain("if (!window.Plotly) {");
        expect(html.length).toBeLessThan(3000);
        expect(f[PLOTLY_MIME]).toEqual({ data: [{ y: [i + 1] }], layout: {}, config: {} });
      }
    } finally {
      if (before === undefined) delete process.env.GRADLAB_PLOTLY_SRC;
      else process.env.GRADLAB_PLOTLY_SRC = before;
    }
    expect(servedLoaderHtml('x"</script>.js')).not.toMatch(/<\/script(?!>$)/);
  });
});

describe("seminar figures", () => {
  it("plots a function with its autodiff derivative", () => {
    const fig = plotFunction(
      function s(x: Tensor) {
        return sigmoid(x);
      },
      { range: [-4, 4], points: 9 },
    );
    const [f, df] = fig.spec.data as { x: number[]; y: number[]; name: string }[];
    expect(f.name).toBe("s(x)");
    const sig = (t: number) => 1 / (1 + Math.exp(-t));
    expect(f.y).toBeAllclose(f.x.map(sig));
    expect(df.y).toBeAllclose(f.x.map((t) => sig(t) * (1 - sig(t))));
    expect(fig.toString()).toBe('plotly figure "s and its derivative": scatter "s(x)", scatter "s\'(x) (autodiff)"');
    expect(() => plotFunction((x: Tensor) => mul(x, [1, 2]))).toThrow("plotFunction: expected f to return a scalar, got shape [2]");
    expect(() => plotFunction((x: Tensor) => x, { range: [1, 0] })).toThrow("plotFunction: expected a range [a, b] with a < b, got [1, 0]");
  });

  it("draws contours and a gradient field pointing along the gradient", () => {
    const q = (x: Tensor, y: Tensor) => add(square(x), mul(3, square(y)));
    const fig = plotContour(q, { x: [-1, 1], y: [-1, 1], points: 5, arrows: 3 });
    const [contour, field] = fig.spec.data as { z?: number[][]; x: (number | null)[]; y: (number | null)[] }[];
    expect(contour.z![0][0]).toBeAllclose(4); // (-1)^2 + 3 (-1)^2
    expect(contour.z![2][2]).toBeAllclose(0);
    // Arrow at (1, 1): gradient (2, 6), so the shaft points along (1, 3).
    const k = 8 * 9; // ninth arrow (x=1, y=1), 9 entries per arrow
    const [x0, x1, y0, y1] = [field.x[k]!, field.x[k + 1]!, field.y[k]!, field.y[k + 1]!];
    expect([x0, y0]).toEqual([1, 1]);
    expect((y1 - y0) / (x1 - x0)).toBeAllclose(3);
    const vfig = plotContour((v: Tensor) => sum(square(v)), { points: 4, arrows: 2 });
    expect(vfig.spec.data).toHaveLength(2);
  });

  it("charts measured series and validates them", () => {
    const fig = plotLines([{ name: "jacfwd", x: [1, 10], y: [2, 20] }], { logx: true, ylabel: "ms" });
    expect(fig.spec.layout).toEqual({ xaxis: { type: "log" }, yaxis: { title: { text: "ms" } } });
    expect(() => plotLines([{ name: "a", x: [1], y: [] }])).toThrow(
      "plotLines: expected series 0 to have arrays x and y of equal length, got 1 and 0",
    );
    expect(() => plotLines([])).toThrow(/non-empty array/);
  });
});
