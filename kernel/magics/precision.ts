/** @file `%precision [N]`: the digits of every printed number for the rest of the session (IPython's magic). */
import { getPrintOptions, setPrintOptions } from "../../src/index.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/**
 * The digits `%precision` was given: an integer 1-17, or null for `%precision` alone.
 *
 * @example
 * parsePrecision("12"); // 12
 * parsePrecision("");   // null
 */
export function parsePrecision(args: string): number | null {
  const text = args.trim();
  if (text === "") return null;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 17) {
    throw new MagicUsageError(
      tr('expected a number of digits from 1 to 17, got "{text}"', { text }) +
        (text.startsWith("%") ? tr(" (IPython's format strings such as %.3f are not supported)") : ""),
    );
  }
  return Number(text);
}

/**
 * Sets the library's `setPrintOptions({ precision })` in the kernel, which every display reads.
 * @example %precision 12
 */
const precisionMagic: Magic = {
  name: "precision",
  kind: "line",
  usage: "%precision [N]",
  help:
    "Print numbers with N digits (1-17) for the rest of the session: tensors with at most N " +
    "decimals, as numpy's set_printoptions(precision=N) and IPython's %precision N; the %backprop " +
    "and %forward step tables, gradcheck tables and %whos with N significant digits. %precision alone goes back " +
    "to each display's default (tensors 8 decimals, step tables 4 digits, gradcheck 8). " +
    "Graph pictures keep 4 digits to stay small. The same as the library call " +
    "setPrintOptions({ precision: N }) (null resets).",
  run(call, ctx) {
    const precision = parsePrecision(call.args);
    setPrintOptions({ precision });
    const now = getPrintOptions().precision;
    ctx.stdout(
      (now === null ? tr("precision: the defaults") : tr("precision: tensors {n} decimals, tables {n} significant digits", { n: now })) +
        "\n",
    );
  },
};

export default precisionMagic;
