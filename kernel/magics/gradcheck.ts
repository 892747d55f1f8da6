/** @file `%gradcheck f x [--analytic g] [--hessian h] [--eps E] [--symmetric true|false]`: autodiff vs finite differences vs your formula. */
import { gradcheck } from "../../src/index.js";
import { raisedByUserCode } from "../../src/check/gradcheck.js";
import { asUsage, flagsAnywhere, splitFirst } from "./call-args.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr, trn } from "../../src/i18n/index.js";

/**
 * Shows the per-entry report; a failing check also fails the cell (homework cells fail loudly).
 * An error raised by f or a formula is the user's own error and shows as it is (its name and
 * message); only a misuse of the magic or of gradcheck is a usage error.
 * @example %gradcheck f x --analytic g
 */
const gradcheckMagic: Magic = {
  name: "gradcheck",
  kind: "line",
  usage: "%gradcheck f x [--analytic g] [--hessian h] [--eps E] [--symmetric true|false]",
  help:
    "Check the gradient of the scalar function f at x: autodiff vs central finite differences vs " +
    "your formula g(x) (and Hessian formula h(x)), entry by entry with absolute and relative " +
    "errors. The report is displayed; when any entry fails, the cell fails too. At a symmetric " +
    "matrix x the differences perturb X[i, j] and X[j, i] together (--symmetric false: one entry " +
    "at a time; --symmetric true: always). Same as " +
    "gradcheck(f, x, { analytic: g, hessian: h, symmetric }).assert().",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, {
      analytic: "string",
      hessian: "string",
      eps: "number",
      symmetric: ["true", "false"],
    });
    const [fText, xText] = splitFirst(rest);
    if (!fText || !xText) throw new MagicUsageError(tr("expected a function and a point, e.g. %gradcheck f x"));
    const fnFlag = async (flag: string, text: string | undefined) => {
      if (text === undefined) return undefined;
      const v = await ctx.evaluate(text);
      if (typeof v !== "function")
        throw new MagicUsageError(tr("--{flag} {text} is not a function (got {type})", { flag, text, type: typeof v }));
      return v as never;
    };
    const f = await ctx.evaluate(fText);
    if (typeof f !== "function")
      throw new MagicUsageError(tr("{text} is not a function (got {type})", { text: fText, type: f === null ? "null" : typeof f }));
    const x = await ctx.evaluate(xText);
    const analytic = await fnFlag("analytic", flags.analytic as string | undefined);
    const hessian = await fnFlag("hessian", flags.hessian as string | undefined);
    const report = await asUsage("gradcheck", () => {
      try {
        return gradcheck(f as never, x as never, {
          name: fText,
          ...(analytic ? { analytic } : {}),
          ...(hessian ? { hessian } : {}),
          ...(flags.eps !== undefined ? { eps: flags.eps as number } : {}),
          ...(flags.symmetric !== undefined ? { symmetric: flags.symmetric === "true" } : {}),
        });
      } catch (e) {
        // The user's function raised (e.g. inv of a singular matrix): not a usage error.
        if (raisedByUserCode(e)) return { userError: e };
        throw e;
      }
    });
    if ("userError" in report) throw report.userError;
    ctx.display(report);
    if (!report.ok) {
      const n = report.failures().length;
      throw new Error(
        tr("gradcheck {name}: FAILED ({failing}, see the table)", {
          name: fText,
          failing: trn("{n} failing comparison", "{n} failing comparisons", n),
        }),
      );
    }
  },
};

export default gradcheckMagic;
