/** @file `%backprop f(x, w, b)`: reverse mode step by step, with the annotated graph. */
import { backprop } from "../../src/index.js";
import { asUsage, flagsAnywhere } from "./call-args.js";
import { evaluateCall } from "./graph.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/**
 * Shows the graph with adjoints, the table for i = m..1 and the input gradients.
 * @example %backprop f(x, w, b)
 */
const backpropMagic: Magic = {
  name: "backprop",
  kind: "line",
  usage: "%backprop f(x, w, b) [--cotangent y] [--rankdir LR|TB]",
  help:
    "Run reverse mode on the call f(x, w, b) (f must return a scalar) and show the seminar's " +
    "algorithm: the graph annotated with adjoints ū_i, the table for i = m..1 with each child's " +
    "contribution ū_j·∂u_j/∂u_i and their sum ū_i, and the gradients with respect to the inputs. " +
    "For a non-scalar f, --cotangent y (an expression) seeds ū_m = y: the inputs then get yᵀJ. " +
    "Same as the library call backprop(f, x, w, b).",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, { rankdir: ["LR", "TB"], cotangent: "string" });
    if (!rest) throw new MagicUsageError(tr("missing the call to differentiate"));
    const { f, args } = await evaluateCall(rest, ctx);
    const opts = {
      ...(flags.rankdir ? { rankdir: flags.rankdir as "LR" | "TB" } : {}),
      ...(flags.cotangent !== undefined ? { cotangent: (await ctx.evaluate(String(flags.cotangent))) as never } : {}),
    };
    const view = await asUsage("backprop", () => {
      const v = backprop(f as never, ...(args as never[]), opts);
      v.html(); // render now, so Graphviz errors are reported here; the display shows this rendering
      return v;
    });
    ctx.display(view);
  },
};

export default backpropMagic;
