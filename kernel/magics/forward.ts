/** @file `%forward f(x, w) --wrt w`: forward mode step by step and its memory next to reverse mode. */
import { forwardTable, paramNames } from "../../src/index.js";
import { asUsage, flagsAnywhere } from "./call-args.js";
import { evaluateCall } from "./graph.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/**
 * Shows du_i/dx for i = 1..m, the numbers each step carries, and what reverse mode stores.
 * @example %forward f(x, w, b) --wrt w
 */
const forwardMagic: Magic = {
  name: "forward",
  kind: "line",
  usage: "%forward f(x, w, b) [--wrt NAME|INDEX] [--rankdir LR|TB]",
  help:
    "Run forward mode on the call f(x, w, b) with respect to one input (a parameter name of f, an " +
    "argument as written in the call, or a position; default the first) and show, for i = 1..m, " +
    "du_i/dx with each parent's term, how many numbers each step carries and keeps alive, next to " +
    "what reverse mode stores (seminar item 10). Same as forwardTable(f, x, w, b, { wrt }).",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, { wrt: "string", rankdir: ["LR", "TB"] });
    if (!rest) throw new MagicUsageError(tr("missing the call to differentiate"));
    const { f, args, argTexts } = await evaluateCall(rest, ctx);
    let wrt: string | number = 0;
    if (flags.wrt !== undefined) {
      const w = String(flags.wrt);
      const params = paramNames(f as never, args.length);
      if (params.includes(w)) wrt = w;
      else if (argTexts.includes(w)) wrt = argTexts.indexOf(w);
      else if (/^\d+$/.test(w) && Number(w) < args.length) wrt = Number(w);
      else {
        throw new MagicUsageError(
          tr("--wrt {name} is neither a parameter ({names}) nor an argument of the call", { name: w, names: params.join(", ") }),
        );
      }
    }
    const opts = { wrt, ...(flags.rankdir ? { rankdir: flags.rankdir as "LR" | "TB" } : {}) };
    const view = await asUsage("forward", () => {
      const v = forwardTable(f as never, ...(args as never[]), opts);
      v.html(); // render now, so Graphviz errors are reported here; the display shows this rendering
      return v;
    });
    ctx.display(view);
  },
};

export default forwardMagic;
