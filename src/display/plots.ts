/**
 * @file The seminar's figures: a function of one variable with its derivative, contour lines of a
 * function of two variables with its gradient field, and line charts of measured series.
 * Derivatives come from gradlab's own `grad`.
 */
import { grad } from "../transforms/grad.js";
import { asTensor, tensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { type FigureSpec, PlotlyFigure } from "./plotly.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Options of {@link plotFunction}. */
export interface FunctionPlotOptions {
  /** Interval [a, b] of x (default [-3, 3]). */
  range?: [number, number];
  /** Number of sample points (default 201). */
  points?: number;
  /** Also draw f'(x) from autodiff (default true). */
  derivative?: boolean;
  title?: string;
}

function scalar(who: string, v: TensorLike): number {
  const t = asTensor(v);
  if (t.size !== 1)
    throw new GradlabError(`${who}: ${tr("expected f to return a scalar, got shape [{shape}]", { shape: t.shape.join(", ") })}`);
  return t._data[0];
}

function grid(who: string, [a, b]: [number, number], n: number): number[] {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
    throw new GradlabError(`${who}: ${tr("expected a range [a, b] with a < b, got [{a}, {b}]", { a, b })}`);
  if (!(Number.isInteger(n) && n >= 2)) throw new GradlabError(`${who}: ${tr("expected at least 2 points, got {n}", { n })}`);
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

function fnCheck(who: string, f: unknown): void {
  if (typeof f !== "function")
    throw new GradlabError(`${who}: ${tr("expected a function, got {type}", { type: f === null ? "null" : typeof f })}`);
}

/**
 * f and (by autodiff) f' on an interval, as one plotly figure.
 *
 * @example
 * plotFunction((x) => sigmoid(x), { range: [-6, 6] });
 */
export function plotFunction(f: (x: Tensor) => TensorLike, opts: FunctionPlotOptions = {}): PlotlyFigure {
  const who = "plotFunction";
  fnCheck(who, f);
  const xs = grid(who, opts.range ?? [-3, 3], opts.points ?? 201);
  const name = f.name || "f";
  const ys = xs.map((x) => scalar(who, f(tensor(x))));
  const data: Record<string, unknown>[] = [{ type: "scatter", mode: "lines", name: `${name}(x)`, x: xs, y: ys }];
  if (opts.derivative !== false) {
    const df = grad(f as (x: Tensor) => Tensor);
    data.push({
      type: "scatter",
      mode: "lines",
      name: tr("{name}'(x) (autodiff)", { name }),
      x: xs,
      y: xs.map((x) => df(tensor(x)).item()),
      line: { dash: "dash" },
    });
  }
  return new PlotlyFigure({
    data,
    layout: { title: { text: opts.title ?? tr("{name} and its derivative", { name }) }, xaxis: { title: { text: "x" } } },
  });
}

/** Options of {@link plotContour}. */
export interface ContourPlotOptions {
  /** Range of the first variable (default [-2, 2]). */
  x?: [number, number];
  /** Range of the second variable (default [-2, 2]). */
  y?: [number, number];
  /** Grid points per axis for the contour (default 60). */
  points?: number;
  /** Arrows per axis of the gradient field (default 12; 0 for none). */
  arrows?: number;
  title?: string;
}

/**
 * Contour lines of f(x, y) (or f(v) with v of shape [2]) and its gradient field as arrows.
 *
 * @example
 * plotContour((x, y) => add(square(x), mul(3, square(y))), { x: [-2, 2], y: [-1, 1] });
 */
export function plotContour(
  f: ((x: Tensor, y: Tensor) => TensorLike) | ((v: Tensor) => TensorLike),
  opts: ContourPlotOptions = {},
): PlotlyFigure {
  const who = "plotContour";
  fnCheck(who, f);
  const rx = opts.x ?? [-2, 2];
  const ry = opts.y ?? [-2, 2];
  const n = opts.points ?? 60;
  const xs = grid(who, rx, n);
  const ys = grid(who, ry, n);
  const two = f.length >= 2;
  const value = (x: number, y: number) =>
    scalar(who, two ? (f as (x: Tensor, y: Tensor) => TensorLike)(tensor(x), tensor(y)) : (f as (v: Tensor) => TensorLike)(tensor([x, y])));
  const z = ys.map((y) => xs.map((x) => value(x, y)));
  const name = f.name || "f";
  const data: Record<string, unknown>[] = [
    { type: "contour", name, x: xs, y: ys, z, colorscale: "Viridis", contours: { coloring: "lines" } },
  ];
  const k = opts.arrows ?? 12;
  if (k > 0) {
    const g2 = two ? grad(f as (x: Tensor, y: Tensor) => Tensor, { argnums: [0, 1] }) : undefined;
    const g1 = two ? undefined : grad(f as (v: Tensor) => Tensor);
    const gradAt = (x: number, y: number): [number, number] => {
      if (g2) {
        const [gx, gy] = g2(tensor(x), tensor(y));
        return [gx.item(), gy.item()];
      }
      const d = g1!(tensor([x, y])).data;
      return [d[0], d[1]];
    };
    const ax = grid(who, rx, Math.max(2, k));
    const ay = grid(who, ry, Math.max(2, k));
    const field = ay.flatMap((y) => ax.map((x) => ({ x, y, g: gradAt(x, y) })));
    const cell = Math.min((rx[1] - rx[0]) / k, (ry[1] - ry[0]) / k);
    const longest = Math.max(...field.map((p) => Math.hypot(...p.g))) || 1;
    const lx: (number | null)[] = [];
    const ly: (number | null)[] = [];
    for (const { x, y, g } of field) {
      const [dx, dy] = [(g[0] / longest) * 0.9 * cell, (g[1] / longest) * 0.9 * cell];
      const [hx, hy] = [x + dx, y + dy];
      // Shaft, then two head strokes at +-25 degrees, each run ended by null.
      lx.push(x, hx, null);
      ly.push(y, hy, null);
      for (const s of [1, -1]) {
        const c = Math.cos(s * 0.44);
        const sn = Math.sin(s * 0.44);
        lx.push(hx, hx - 0.3 * (c * dx - sn * dy), null);
        ly.push(hy, hy - 0.3 * (sn * dx + c * dy), null);
      }
    }
    data.push({
      type: "scatter",
      mode: "lines",
      name: tr("∇{name} (autodiff)", { name }),
      x: lx,
      y: ly,
      line: { color: "#b91c1c", width: 1 },
      hoverinfo: "skip",
    });
  }
  return new PlotlyFigure({
    data,
    layout: {
      title: { text: opts.title ?? tr("{name}: contour lines and gradient field", { name }) },
      xaxis: { title: { text: "x" } },
      yaxis: { title: { text: "y" }, scaleanchor: "x" },
    },
  });
}

/**
 * One measured series for {@link plotLines}.
 *
 * @example
 * const s: Series = { name: "jacrev", x: [10, 100], y: [0.2, 0.3] };
 */
export interface Series {
  name: string;
  x: number[];
  y: number[];
}

/** Options of {@link plotLines}. */
export interface LinePlotOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  logx?: boolean;
  logy?: boolean;
}

/**
 * Line chart of measured series (for example forward vs reverse cost against n).
 *
 * @example
 * plotLines([{ name: "jacfwd", x: [10, 100], y: [0.1, 1.2] }, { name: "jacrev", x: [10, 100], y: [0.2, 0.2] }], { logx: true });
 */
export function plotLines(series: Series[], opts: LinePlotOptions = {}): PlotlyFigure {
  const who = "plotLines";
  if (!Array.isArray(series) || series.length === 0) throw new GradlabError(`${who}: expected a non-empty array of series {name, x, y}`);
  series.forEach((s, k) => {
    if (!s || !Array.isArray(s.x) || !Array.isArray(s.y) || s.x.length !== s.y.length) {
      throw new GradlabError(
        `${who}: expected series ${k} to have arrays x and y of equal length, got ${s && Array.isArray(s.x) ? s.x.length : "no x"} and ${s && Array.isArray(s.y) ? s.y.length : "no y"}`,
      );
    }
  });
  const axis = (text: string | undefined, log: boolean | undefined) => ({
    ...(text ? { title: { text } } : {}),
    ...(log ? { type: "log" } : {}),
  });
  const spec: FigureSpec = {
    data: series.map((s) => ({ type: "scatter", mode: "lines+markers", name: String(s.name), x: s.x, y: s.y })),
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      xaxis: axis(opts.xlabel, opts.logx),
      yaxis: axis(opts.ylabel, opts.logy),
    },
  };
  return new PlotlyFigure(spec);
}

/**
 * Any plotly figure from raw traces and layout.
 *
 * @example
 * plot([{ type: "bar", x: ["a", "b"], y: [1, 2] }], { title: { text: "bars" } });
 */
export function plot(data: Record<string, unknown>[], layout: Record<string, unknown> = {}): PlotlyFigure {
  return new PlotlyFigure({ data, layout });
}
