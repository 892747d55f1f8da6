/** @file `%who` and `%whos`: the notebook's variables (with shapes for tensors). */
import { inspect } from "node:util";
import { formatNumber, previewValue } from "../../src/graph/preview.js";
import { getPrintOptions } from "../../src/tensor/print-options.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr, trn } from "../../src/i18n/index.js";

/** The type column: constructor or `typeof` name. */
function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "function") return /^class\b/.test(Function.prototype.toString.call(v)) ? "class" : "function";
  if (typeof v !== "object") return typeof v;
  return (v as object).constructor?.name ?? "Object";
}

/**
 * The data/info column: shape and entries for tensors and numbers in the `%precision` digits,
 * lengths for arrays, a short preview otherwise.
 */
function info(v: unknown): string {
  const t = v as { shape?: unknown; data?: unknown } | null;
  const shape = t?.shape;
  if (Array.isArray(shape) && shape.every((d) => typeof d === "number")) {
    const data = t?.data;
    const preview = data instanceof Float64Array ? `: ${previewValue({ shape, data }, { threshold: 4, edgeItems: 1 })}` : "";
    return tr("shape [{shape}]{preview}", { shape: shape.join(", "), preview });
  }
  const precision = getPrintOptions().precision;
  if (typeof v === "number" && precision !== null) return formatNumber(v, precision);
  if (Array.isArray(v)) return tr("length {n}", { n: v.length });
  if (ArrayBuffer.isView(v) && "length" in v) return tr("length {n}", { n: (v as unknown as { length: number }).length });
  if (typeof v === "function") return `${v.name || tr("(anonymous)")}(${trn("{n} arg", "{n} args", v.length)})`;
  const text = inspect(v, { depth: 0, breakLength: Infinity }).replace(/\s+/g, " ");
  return elide(text, 60);
}

/** At most `max` characters, the end elided. */
function elide(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 3) + "..." : text;
}

/**
 * The `%whos` table.
 *
 * @example
 * whosTable({ x: 5 }) // "Variable   Type     Data/Info\n-----------------------------\nx          number   5\n"
 */
export function whosTable(scope: Record<string, unknown>): string {
  const rows = Object.keys(scope)
    .sort()
    .map((k) => [k, typeName(scope[k]), info(scope[k])]);
  const head = [tr("Variable"), tr("Type"), tr("Data/Info")];
  const width0 = Math.max(head[0].length, ...rows.map((r) => r[0].length)) + 3;
  const width1 = Math.max(head[1].length, ...rows.map((r) => r[1].length)) + 3;
  const line = (r: string[]) => r[0].padEnd(width0) + r[1].padEnd(width1) + r[2];
  const header = line(head);
  return [header, "-".repeat(header.length), ...rows.map(line)].join("\n") + "\n";
}

const empty = (): string => tr("Interactive namespace is empty.") + "\n";

const whoMagic: Magic = {
  name: "who",
  kind: "line",
  usage: "%who",
  help: "List the names the notebook has defined (variables, functions, classes, imports).",
  run(call, ctx) {
    if (call.args) throw new MagicUsageError(tr('takes no arguments, got "{args}"', { args: call.args }));
    const names = Object.keys(ctx.scope()).sort();
    ctx.stdout(names.length ? names.join("\t") + "\n" : empty());
  },
};

const whosMagic: Magic = {
  name: "whos",
  kind: "line",
  usage: "%whos",
  help: "Table of the notebook's names with their type and a short description (shape for tensors, length for arrays).",
  run(call, ctx) {
    if (call.args) throw new MagicUsageError(tr('takes no arguments, got "{args}"', { args: call.args }));
    const scope = ctx.scope();
    ctx.stdout(Object.keys(scope).length ? whosTable(scope) : empty());
  },
};

export default [whoMagic, whosMagic];
