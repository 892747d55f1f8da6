/** @file `%backprop f(x, w, b)`: reverse mode step by step, with the annotated graph (issue 4). */
import { backprop } from "../../src/index.js";
import { asUsage, flagsAnywhere } from "./call-args.js";
import { evaluateCall } from "./graph.js";
import { MagicUsageError, type Magic } from "./registry.js";

/**
 * Shows the graph with adjoints, the table for i = m..1 and the input gradients.
 * @example %backprop f(x, w, b)
 */
const backpropMagic: Magic = {
  name: "backprop",
  kind: "line",
  usage: "%backprop f(x, w, b) [--rankdir LR|TB]",
  help:
    "Run reverse mode on the call f(x, w, b) (f must return a scalar) and show the seminar's " +
    "algorithm: the graph annotated with adjoints ū_i, the table for i = m..1 with each child's " +
    "contribution ū_j·∂u_j/∂u_i and their sum ū_i, and the gradients with respect to the inputs. " +
    "Same as the library call backprop(f, x, w, b).",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, { rankdir: ["LR", "TB"] });
    if (!rest) throw new MagicUsageError("missing the call to differentiate");
    const { f, args } = await evaluateCall(rest, ctx);
    const opts = flags.rankdir ? { rankdir: flags.rankdir as "LR" | "TB" } : {};
    const view = await asUsage("backprop", () => {
      const v = backprop(f as never, ...(args as never[]), opts);
      v.html();
      return v;
    });
    ctx.display(view);
  },
};

export default backpropMagic;
