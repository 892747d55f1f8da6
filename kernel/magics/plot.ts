/** @file `%plot [fn|contour|lines] EXPR [...]`: the seminar's plotly figures. */
import { plotContour, plotFunction, plotLines } from "../../src/index.js";
import { asUsage, flagsAnywhere } from "./call-args.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

function range(flag: string, v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(-?[\d.eE+-]+)(?::|,)(-?[\d.eE+-]+)$/.exec(String(v));
  if (!m) throw new MagicUsageError(tr('--{flag} expects a range a:b, got "{value}"', { flag, value: String(v) }));
  return [Number(m[1]), Number(m[2])];
}

/**
 * f with f' (fn), contour lines with the gradient field (contour), or measured series (lines).
 * @example %plot contour rosenbrock --x -2:2 --y -1:3
 */
const plotMagic: Magic = {
  name: "plot",
  kind: "line",
  usage: "%plot [fn|contour|lines] EXPR [--range a:b] [--x a:b] [--y a:b] [--title T] [--logx true] [--logy true]",
  help:
    "fn (default): plot the function EXPR of one variable and its autodiff derivative on --range. " +
    "contour: contour lines of EXPR, a function of two variables (f(x, y) or f(v) with v of shape [2]), " +
    "with its gradient field, on --x and --y. lines: line chart of EXPR, an array of series " +
    "{ name, x, y }. Same as plotFunction / plotContour / plotLines.",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, {
      range: "string",
      x: "string",
      y: "string",
      title: "string",
      points: "number",
      logx: ["true", "false"],
      logy: ["true", "false"],
    });
    const m = /^(fn|contour|lines)\b\s*(.*)$/s.exec(rest);
    const kind = m ? m[1] : "fn";
    const expr = m ? m[2].trim() : rest;
    if (!expr) throw new MagicUsageError(tr("missing the expression to plot"));
    const value = await ctx.evaluate(expr);
    const title = flags.title as string | undefined;
    const fig = await asUsage("plot", () => {
      if (kind === "lines") {
        return plotLines(value as never, { ...(title ? { title } : {}), logx: flags.logx === "true", logy: flags.logy === "true" });
      }
      if (typeof value !== "function")
        throw new MagicUsageError(tr("{text} is not a function (got {type})", { text: expr, type: typeof value }));
      if (kind === "contour") {
        return plotContour(value as never, {
          x: range("x", flags.x),
          y: range("y", flags.y),
          ...(title ? { title } : {}),
          ...(flags.points ? { points: flags.points as number } : {}),
        });
      }
      return plotFunction(value as never, {
        range: range("range", flags.range),
        ...(title ? { title } : {}),
        ...(flags.points ? { points: flags.points as number } : {}),
      });
    });
    ctx.display(fig);
  },
};

export default plotMagic;
