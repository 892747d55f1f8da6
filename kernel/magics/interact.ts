/** @file `%interact backprop f(x, w, b)` and `%interact gradcheck f x`: the autodiff magics' views with sliders for their inputs. */
import { asTensor, backprop, forwardTable, gradcheck, graph, live, paramNames, Tensor } from "../../src/index.js";
import { asUsage, flagsAnywhere, splitFirst } from "./call-args.js";
import { evaluateCall } from "./graph.js";
import { MagicUsageError, type Magic, type MagicContext } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

const VIEWS = { backprop, forward: forwardTable, graph } as const;

/** A vector point of `%interact gradcheck` with at most this many entries gets a slider per entry without --entries. */
const GRADCHECK_AUTO_ENTRIES = 8;

/** `--entries w[0],w[2]` as `{ w: [0, 2] }`. */
function parseEntries(text: string): Record<string, number[]> {
  const entries: Record<string, number[]> = {};
  for (const part of text.split(",").filter(Boolean)) {
    const e = /^([A-Za-z_$][\w$]*)\[(\d+)\]$/.exec(part.trim());
    if (!e) throw new MagicUsageError(tr('--entries: expected entries like w[0],w[2], got "{text}"', { text: part }));
    (entries[e[1]!] ??= []).push(Number(e[2]));
  }
  return entries;
}

/** `%interact gradcheck f x [--analytic g] [--hessian h] [--eps E] [--entries x[0],x[2]]`: the gradcheck report with a slider per entry of the point. */
async function interactGradcheck(text: string, ctx: MagicContext): Promise<unknown> {
  const { flags, rest } = flagsAnywhere(text, { analytic: "string", hessian: "string", eps: "number", entries: "string" });
  const [fText, xText] = splitFirst(rest);
  if (!fText || !xText) throw new MagicUsageError(tr("expected a function and a point, e.g. %interact gradcheck f x"));
  const f = await ctx.evaluate(fText);
  if (typeof f !== "function")
    throw new MagicUsageError(tr("{text} is not a function (got {type})", { text: fText, type: f === null ? "null" : typeof f }));
  const given = await ctx.evaluate(xText);
  // A point written as an array literal ([1, 2]) is a tensor, as gradcheck takes it.
  const x = Array.isArray(given) ? await asUsage("gradcheck", () => asTensor(given as never)) : given;
  const options: Record<string, unknown> = { name: fText };
  for (const flag of ["analytic", "hessian"] as const) {
    const t = flags[flag] as string | undefined;
    if (t === undefined) continue;
    const g = await ctx.evaluate(t);
    if (typeof g !== "function")
      throw new MagicUsageError(tr("--{flag} {text} is not a function (got {type})", { flag, text: t, type: typeof g }));
    options[flag] = g;
  }
  if (flags.eps !== undefined) options.eps = flags.eps;
  let entries = parseEntries(String(flags.entries ?? ""));
  const [name] = paramNames(f, 1);
  if (Object.keys(entries).length === 0 && x instanceof Tensor && x.size > 1) {
    // A small vector point gets a slider per entry; a big one needs the entries named.
    if (x.size > GRADCHECK_AUTO_ENTRIES)
      throw new MagicUsageError(
        tr("{x} has {n} entries: name the ones to put on sliders, e.g. --entries {example}", {
          x: xText,
          n: x.size,
          example: `${name}[0],${name}[1]`,
        }),
      );
    entries = { [name!]: Array.from({ length: x.size }, (_, k) => k) };
  }
  return asUsage("live", () => live(gradcheck as never, f as never, [x], { options, ...(Object.keys(entries).length ? { entries } : {}) }));
}

/**
 * Shows the view with one slider per scalar input; moving a slider re-draws it in place.
 * @example %interact backprop f(x, w, b)
 * @example %interact gradcheck f x --analytic g
 */
const interactMagic: Magic = {
  name: "interact",
  kind: "line",
  usage:
    "%interact backprop|forward|graph f(x, w, b) [--entries w[0],w[2]] [--rankdir LR|TB] [--wrt NAME], or %interact gradcheck f x [--analytic g] [--hessian h] [--eps E] [--entries x[0],x[2]]",
  help:
    "Show %backprop, %forward or %graph of the call f(x, w, b) with a slider for each scalar input " +
    "(a number or a one-entry tensor) and for the vector entries named by --entries (f's parameter " +
    "names, as the sliders are labelled), ranging around " +
    "its value (other entries stay fixed). Moving a slider " +
    "runs the view again and replaces it in place (needs a front end with Jupyter widgets: JupyterLab, " +
    "Notebook 7, VS Code). Same as live(backprop, f, [x, w, b], { entries: { w: [0, 2] } }). " +
    "%interact gradcheck f x shows the %gradcheck report of f at x with a slider per entry of x " +
    `(all of them when x has at most ${GRADCHECK_AUTO_ENTRIES}, else those named by --entries); a failing check shows FAIL ` +
    "in the table without failing the cell. Same as live(gradcheck, f, [x], { entries: { x: [0, 1] }, options: { analytic: g } }).",
  async run(call, ctx) {
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(call.args);
    if (!m) throw new MagicUsageError(tr("expected a view and a call, e.g. %interact backprop f(x, w, b)"));
    if (m[1] === "gradcheck") {
      ctx.display(await interactGradcheck(m[2]!, ctx));
      return;
    }
    const view = VIEWS[m[1] as keyof typeof VIEWS];
    if (!view)
      throw new MagicUsageError(
        tr('unknown view "{view}": expected one of {views}', { view: m[1], views: [...Object.keys(VIEWS), "gradcheck"].join(", ") }),
      );
    const { flags, rest } = flagsAnywhere(m[2]!, { rankdir: ["LR", "TB"], wrt: "string", entries: "string" });
    if (!rest) throw new MagicUsageError(tr("missing the call, e.g. f(x, w, b)"));
    const { f, args } = await evaluateCall(rest, ctx);
    const options = { ...(flags.rankdir ? { rankdir: flags.rankdir } : {}), ...(flags.wrt !== undefined ? { wrt: flags.wrt } : {}) };
    const entries = parseEntries(String(flags.entries ?? ""));
    const widget = await asUsage("live", () =>
      live(view as never, f as never, args, {
        ...(Object.keys(options).length ? { options } : {}),
        ...(Object.keys(entries).length ? { entries } : {}),
      }),
    );
    ctx.display(widget);
  },
};

export default interactMagic;
