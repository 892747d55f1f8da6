/** @file `%interact backprop f(x, w, b)`: a view of the autodiff magics with sliders for the scalar inputs (issue 12). */
import { backprop, forwardTable, graph, live } from "../../src/index.js";
import { asUsage, flagsAnywhere } from "./call-args.js";
import { evaluateCall } from "./graph.js";
import { MagicUsageError, type Magic } from "./registry.js";

const VIEWS = { backprop, forward: forwardTable, graph } as const;

/**
 * Shows the view with one slider per scalar input; moving a slider re-draws it in place.
 * @example %interact backprop f(x, w, b)
 */
const interactMagic: Magic = {
  name: "interact",
  kind: "line",
  usage: "%interact backprop|forward|graph f(x, w, b) [--entries w[0],w[2]] [--rankdir LR|TB] [--wrt NAME]",
  help:
    "Show %backprop, %forward or %graph of the call f(x, w, b) with a slider for each scalar input " +
    "(a number or a one-entry tensor) and for the vector entries named by --entries (f's parameter " +
    "names, as the sliders are labelled), ranging around " +
    "its value (other entries stay fixed). Moving a slider " +
    "runs the view again and replaces it in place (needs a front end with Jupyter widgets: JupyterLab, " +
    "Notebook 7, VS Code). Same as live(backprop, f, [x, w, b], { entries: { w: [0, 2] } }).",
  async run(call, ctx) {
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(call.args);
    if (!m) throw new MagicUsageError("expected a view and a call, e.g. %interact backprop f(x, w, b)");
    const view = VIEWS[m[1] as keyof typeof VIEWS];
    if (!view) throw new MagicUsageError(`unknown view "${m[1]}": expected one of ${Object.keys(VIEWS).join(", ")}`);
    const { flags, rest } = flagsAnywhere(m[2]!, { rankdir: ["LR", "TB"], wrt: "string", entries: "string" });
    if (!rest) throw new MagicUsageError("missing the call, e.g. f(x, w, b)");
    const { f, args } = await evaluateCall(rest, ctx);
    const options = { ...(flags.rankdir ? { rankdir: flags.rankdir } : {}), ...(flags.wrt !== undefined ? { wrt: flags.wrt } : {}) };
    const entries: Record<string, number[]> = {};
    for (const part of String(flags.entries ?? "").split(",").filter(Boolean)) {
      const e = /^([A-Za-z_$][\w$]*)\[(\d+)\]$/.exec(part.trim());
      if (!e) throw new MagicUsageError(`--entries: expected entries like w[0],w[2], got "${part}"`);
      (entries[e[1]!] ??= []).push(Number(e[2]));
    }
    const widget = await asUsage("live", () => live(view as never, f as never, args, { ...(Object.keys(options).length ? { options } : {}), ...(Object.keys(entries).length ? { entries } : {}) }));
    ctx.display(widget);
  },
};

export default interactMagic;
