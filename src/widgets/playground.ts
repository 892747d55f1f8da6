/**
 * @file `playground(f, ...)`: the gradient-descent / Newton playground — contour lines
 * of a function of two variables (plotly) with the path of gradient descent or Newton's method
 * from a start point, step size, step count and method chosen with widgets. Built on `interact`;
 * the path comes from `descentPath` (gradlab's own grad and hessian).
 */
import { plotContour } from "../display/plots.js";
import { PlotlyFigure } from "../display/plotly.js";
import { descentPath, type DescentMethod, type Fn2 } from "../optim/descent.js";
import { dropdown, intSlider, slider } from "./controls.js";
import { Interactive } from "./interact.js";
import { GradlabError } from "../tensor/errors.js";
import { tr, trn } from "../i18n/index.js";

/** Options of {@link playground}. */
export interface PlaygroundOptions {
  /** Start point (defaults: a quarter of the way in from the ranges' lower ends). */
  x0?: number;
  y0?: number;
  /** Step size, and the lr slider's [min, max] (default 0.1 on [0, 1]). */
  lr?: number;
  lrRange?: [number, number];
  /** Steps taken, and the steps slider's max (default 20 of at most 100). */
  steps?: number;
  maxSteps?: number;
  /** "gd" (default) or "newton". */
  method?: DescentMethod;
  /** The plotted ranges, which are also the start sliders' ranges (default [-2, 2] each). */
  x?: [number, number];
  y?: [number, number];
  /** Contour grid points per axis (default 60). */
  points?: number;
  title?: string;
}

/** The method dropdown's options, labels in the current language. */
const methods = (): [string, DescentMethod][] => [
  [tr("gradient descent"), "gd"],
  [tr("Newton"), "newton"],
];

/**
 * Contour lines of f with the path of gradient descent or Newton's method; sliders x0, y0, lr,
 * steps and a method dropdown re-draw the path in place. The contour is computed once.
 *
 * @example
 * playground((x, y) => add(square(x), mul(10, square(y))), { x0: -1.5, y0: 1, lr: 0.05, steps: 30 });
 * playground(rosenbrock, { x: [-2, 2], y: [-1, 3], method: "newton", lr: 1 });
 */
export function playground(f: Fn2, opts: PlaygroundOptions = {}): Interactive {
  const who = "playground";
  if (typeof f !== "function")
    throw new GradlabError(
      `${who}: expected a function of two variables (f(x, y) or f(v) with v of shape [2]), got ${f === null ? "null" : typeof f}`,
    );
  const rx = opts.x ?? [-2, 2];
  const ry = opts.y ?? [-2, 2];
  const [lrMin, lrMax] = opts.lrRange ?? [0, Math.max(1, opts.lr ?? 0)];
  if (!(lrMin < lrMax)) throw new GradlabError(`${who}: expected lrRange [min, max] with min < max, got [${lrMin}, ${lrMax}]`);
  const maxSteps = opts.maxSteps ?? Math.max(100, opts.steps ?? 0);
  const method = opts.method ?? "gd";
  if (method !== "gd" && method !== "newton")
    throw new GradlabError(`${who}: expected method "gd" or "newton", got ${JSON.stringify(method)}`);
  const contour = plotContour(f, { x: rx, y: ry, points: opts.points ?? 60, arrows: 0 }).spec;
  const name = f.name || "f";
  const controls = {
    x0: slider({
      min: rx[0],
      max: rx[1],
      step: (rx[1] - rx[0]) / 100,
      value: opts.x0 ?? rx[0] + (rx[1] - rx[0]) / 4,
      description: "x0",
      readoutFormat: ".3g",
    }),
    y0: slider({
      min: ry[0],
      max: ry[1],
      step: (ry[1] - ry[0]) / 100,
      value: opts.y0 ?? ry[0] + (ry[1] - ry[0]) / 4,
      description: "y0",
      readoutFormat: ".3g",
    }),
    lr: slider({ min: lrMin, max: lrMax, step: (lrMax - lrMin) / 200, value: opts.lr ?? 0.1, description: "lr", readoutFormat: ".3g" }),
    steps: intSlider({ min: 0, max: maxSteps, value: opts.steps ?? 20, description: tr("steps") }),
    method: dropdown({ options: methods(), value: method, description: tr("method") }),
  };
  const draw = (x0: number, y0: number, lr: number, steps: number, method: DescentMethod) => {
    const path = descentPath(f, [x0, y0], { lr, steps, method });
    const [xEnd, yEnd] = path.points.at(-1)!;
    const label = method === "gd" ? tr("gradient descent") : tr("Newton");
    const end = trn("after {n} step: f({x}, {y}) = {value}", "after {n} steps: f({x}, {y}) = {value}", path.points.length - 1, {
      x: xEnd.toPrecision(4),
      y: yEnd.toPrecision(4),
      value: path.values.at(-1)!.toPrecision(6),
    });
    return new PlotlyFigure({
      data: [
        contour.data[0]!,
        {
          type: "scatter",
          mode: "lines+markers",
          name: label,
          x: path.points.map((p) => p[0]),
          y: path.points.map((p) => p[1]),
          line: { color: "#b91c1c" },
          marker: { size: 5 },
        },
        { type: "scatter", mode: "markers", name: tr("start"), x: [x0], y: [y0], marker: { color: "#111827", size: 10, symbol: "x" } },
      ],
      layout: {
        title: {
          text:
            opts.title ??
            `${name}: ${label}, lr = ${Number(lr.toPrecision(4))}; ${end}${path.stopped ? tr(" (stopped at {where})", { where: path.stopped }) : ""}`,
        },
        xaxis: { title: { text: "x" }, range: rx },
        yaxis: { title: { text: "y" }, range: ry, scaleanchor: "x" },
        // Inside the plot's top-left corner, clear of the contour's colour bar.
        legend: { x: 0.01, y: 0.99, bgcolor: "rgba(255, 255, 255, 0.8)" },
      },
    });
  };
  return new Interactive(draw as (...args: never[]) => unknown, controls);
}
