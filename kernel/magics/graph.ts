/** @file `%graph f(x, w, b) [--rankdir LR|TB] [--max N]`: draw the computational graph of a call. */
import { backwardGraph, graph } from "../../src/index.js";
import { asUsage, flagsAnywhere, splitCall } from "./call-args.js";
import { MagicUsageError, type Magic, type MagicContext } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/**
 * Evaluate the callee and the arguments of `f(x, w, b)` in the notebook's scope.
 *
 * @example
 * const { f, args } = await evaluateCall("f(x, w, b)", ctx); // f and [x, w, b] as values
 */
export async function evaluateCall(expr: string, ctx: MagicContext): Promise<{ f: unknown; args: unknown[]; argTexts: string[] }> {
  const { callee, args } = splitCall(expr);
  const f = await ctx.evaluate(callee);
  if (typeof f !== "function") {
    throw new MagicUsageError(tr("{text} is not a function (got {type})", { text: callee, type: f === null ? "null" : typeof f }));
  }
  const values = args.length ? ((await ctx.evaluate(`[${args.join(", ")}]`)) as unknown[]) : [];
  return { f, args: values, argTexts: args };
}

/**
 * Draws the forward graph of a call, one box per vertex u_i with op, shape and value.
 * @example %graph f(x, w, b) --rankdir TB
 */
const graphMagic: Magic = {
  name: "graph",
  kind: "line",
  usage: "%graph f(x, w, b) [--backward NAME|INDEX] [--rankdir LR|TB] [--max N] [--layout auto|dot|layered]",
  help:
    "Record the call f(x, w, b) and draw its computational graph (Graphviz SVG): vertices u_1..u_m " +
    "numbered inputs first, output last, each with its op, shape and value. --rankdir sets the " +
    "direction, --max the number of vertices above which runs of vertices are drawn as blocks, " +
    "--layout dot (Graphviz) or layered (fast, for big graphs; auto picks by size). " +
    "--backward w draws the graph of the backward pass instead: the computation of df/dw built " +
    "from the primitives' VJP rules (seminar item 6). " +
    "Same as graph(f, x, w, b, { rankdir }) and graph(backwardGraph(f, x, w, b, { wrt })).",
  async run(call, ctx) {
    const { flags, rest } = flagsAnywhere(call.args, {
      rankdir: ["LR", "TB"],
      max: "number",
      layout: ["auto", "dot", "layered"],
      backward: "string",
    });
    if (!rest) throw new MagicUsageError(tr("missing the call to draw"));
    const { f, args } = await evaluateCall(rest, ctx);
    const opts = {
      ...(flags.rankdir ? { rankdir: flags.rankdir as "LR" | "TB" } : {}),
      ...(flags.max ? { maxVertices: flags.max as number } : {}),
      ...(flags.layout ? { layout: flags.layout as "auto" | "dot" | "layered" } : {}),
    };
    const view = await asUsage("graph", () => {
      const wrt =
        flags.backward === undefined ? undefined : /^\d+$/.test(String(flags.backward)) ? Number(flags.backward) : String(flags.backward);
      const v =
        wrt === undefined
          ? graph(f as never, ...(args as never[]), opts)
          : graph(backwardGraph(f as never, ...(args as never[]), { wrt }), opts);
      v.svg(); // render now, so Graphviz errors are reported here
      return v;
    });
    ctx.display(view);
  },
};

export default graphMagic;
