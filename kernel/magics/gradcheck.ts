/** @file `%gradcheck f x [--analytic g] [--hessian h]`: autodiff vs finite differences vs your formula (issue 4). */
import { gradcheck } from "../../src/index.js";
import { asUsage, flagsAnywhere, splitFirst } from "./call-args.js";
import { MagicUsageError, type Magic } from "./registry.js";

/**
 * Shows the per-entry report; a failing check also fails the cell (homework cells fail loudly).
 * @example %gradcheck f x --analytic g
 */
const gradcheckMagic: Magic = {
  name: "gradcheck",
  kind: "line",
  usage: "%gradcheck f x [--analytic g] [--hessian h] [--eps E]",
  help:
    "Check the gradient of the scalar function f at x: autodiff vs central finite differences vs " +
    "your formula g(x) (and Hessian formula h(x)), entry by entry with absolute and relative " +
    "errors. The report is displayed; when any entry fails, the cell fails too. Same as " +
    "gradcheck(f, x, { analytic: g, hessian: h }).assert().",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, { analytic: "string", hessian: "string", eps: "number" });
    const [fText, xText] = splitFirst(rest);
    if (!fText || !xText) throw new MagicUsageError("expected a function and a point, e.g. %gradcheck f x");
    const fnFlag = async (flag: string, text: string | undefined) => {
      if (text === undefined) return undefined;
      const v = await ctx.evaluate(text);
      if (typeof v !== "function") throw new MagicUsageError(`--${flag} ${text} is not a function (got ${typeof v})`);
      return v as never;
    };
    const f = await ctx.evaluate(fText);
    if (typeof f !== "function") throw new MagicUsageError(`${fText} is not a function (got ${f === null ? "null" : typeof f})`);
    const x = await ctx.evaluate(xText);
    const analytic = await fnFlag("analytic", flags.analytic as string | undefined);
    const hessian = await fnFlag("hessian", flags.hessian as string | undefined);
    const report = await asUsage("gradcheck", () =>
      gradcheck(f as never, x as never, {
        name: fText,
        ...(analytic ? { analytic } : {}),
        ...(hessian ? { hessian } : {}),
        ...(flags.eps !== undefined ? { eps: flags.eps as number } : {}),
      }),
    );
    ctx.display(report);
    if (!report.ok) throw new Error(`gradcheck ${fText}: FAILED (${report.failures().length} failing comparisons, see the table)`);
  },
};

export default gradcheckMagic;
