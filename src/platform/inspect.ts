/**
 * @file Values as text where Node's util.inspect is missing (the browser platform): util.inspect's
 * text with its defaults (strings quoted, objects `depth` levels deep, Map, Set, typed arrays and
 * class instances named, `[Symbol.for("nodejs.util.inspect.custom")]()` used, more than 100 items
 * cut; lines broken past 128 characters or 3 nested levels, array items past 6 in columns), so
 * the browser kernel prints a cell's value as the Node kernel does.
 */

/** Items of an array, Map or Set shown before "... n more items" (util.inspect's maxArrayLength). */
const MAX_ITEMS = 100;

/** A string as util.inspect quotes it: single quotes, else double, else backticks. */
function quote(s: string): string {
  const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes("`") ? "`" : "'";
  const escaped = s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\t", "\\t");
  return q + (q === "'" ? escaped.replaceAll("'", "\\'") : escaped) + q;
}

/** An object key as util.inspect writes it: bare when an identifier, else quoted. */
function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

/** util.inspect's defaults: lines up to 128 characters, the 3 innermost levels combined on one line. */
const BREAK_LENGTH = 128;
const COMPACT = 3;
const CUSTOM = Symbol.for("nodejs.util.inspect.custom");

/** What util.inspect keeps while it prints one value. */
interface Ctx {
  depth: number;
  seen: Set<object>;
  indentationLvl: number;
  /** The level of the object formatted last (util.inspect's currentDepth). */
  currentDepth: number;
}

/** Whether `output` fits on one line after `start` characters (util.inspect's isBelowBreakLength). */
function isBelowBreakLength(output: string[], start: number): boolean {
  let total = output.length + start;
  if (total + output.length > BREAK_LENGTH) return false;
  for (const part of output) {
    total += part.length;
    if (total > BREAK_LENGTH) return false;
  }
  return true;
}

/** More than 6 items of an array in columns, as util.inspect's groupArrayElements does. */
function groupArrayElements(ctx: Ctx, output: string[], value: ArrayLike<unknown> | undefined, more: boolean): string[] {
  let totalLength = 0;
  let maxLength = 0;
  const outputLength = more ? output.length - 1 : output.length;
  const separatorSpace = 2;
  const dataLen: number[] = [];
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen.push(len);
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < BREAK_LENGTH && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((BREAK_LENGTH - ctx.indentationLvl) / actualMax),
      COMPACT * 4,
      15,
    );
    if (columns <= 1) return output;
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
          padStart = false;
          break;
        }
      }
    }
    const grouped: string[] = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLineLength[j - i]) : cell.padEnd(maxLineLength[j - i]);
      }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace) : output[j];
      grouped.push(str);
    }
    if (more) grouped.push(output[outputLength]);
    return grouped;
  }
  return output;
}

/**
 * `output` in `open` ... `close`, on one line when it fits and holds at most 3 levels, else one
 * entry (or one row of array items) a line (util.inspect's reduceToSingleString).
 */
function reduce(
  ctx: Ctx,
  output: string[],
  open: string,
  close: string,
  level: number,
  array?: { value?: ArrayLike<unknown>; more: boolean },
): string {
  const entries = output.length;
  if (array && entries > 6) output = groupArrayElements(ctx, output, array.value, array.more);
  if (ctx.currentDepth - level < COMPACT && entries === output.length) {
    const start = output.length + ctx.indentationLvl + open.length + 10;
    if (isBelowBreakLength(output, start)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) return `${open} ${joined} ${close}`;
    }
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${open}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${close}`;
}

/** `value` as an entry of its container: indented two more. */
function entry(ctx: Ctx, value: unknown, level: number): string {
  ctx.indentationLvl += 2;
  try {
    return format(ctx, value, level);
  } finally {
    ctx.indentationLvl -= 2;
  }
}

/**
 * A value as text, as util.inspect writes it: objects `depth` levels deep (nested ones beyond it as
 * [Object] / [Array]), a class's `[Symbol.for("nodejs.util.inspect.custom")]()` text, and long or
 * deep values over several lines.
 * @example inspectValue({ a: [1, 2], s: "x" }, 2) // "{ a: [ 1, 2 ], s: 'x' }"
 */
export function inspectValue(value: unknown, depth: number): string {
  return format({ depth, seen: new Set(), indentationLvl: 0, currentDepth: 0 }, value, 0);
}

function format(ctx: Ctx, value: unknown, level: number): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "function":
      return value.name ? `[Function: ${value.name}]` : "[Function (anonymous)]";
    case "symbol":
      return value.toString();
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
  }
  if (value === null) return "null";
  const obj = value as object;
  const custom = (obj as { [CUSTOM]?: unknown })[CUSTOM];
  if (typeof custom === "function" && !(obj.constructor && obj.constructor.prototype === obj)) {
    const ret: unknown = custom.call(obj, ctx.depth - level, { depth: ctx.depth - level }, (v: unknown, o?: { depth?: number }) =>
      inspectValue(v, o?.depth ?? 2),
    );
    if (ret !== obj) return typeof ret === "string" ? ret.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`) : format(ctx, ret, level);
  }
  if (obj instanceof Error) return obj.stack ?? String(obj);
  if (obj instanceof Date) return obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (ctx.seen.has(obj)) return "[Circular *1]";
  const ctor = (Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null)?.constructor?.name;
  const deeper = level > ctx.depth;
  ctx.seen.add(obj);
  try {
    if (obj instanceof Map) {
      if (obj.size === 0) return `Map(0) {}`;
      if (deeper) return "[Map]";
      ctx.currentDepth = level;
      const items = [...obj].slice(0, MAX_ITEMS).map(([k, v]) => {
        ctx.indentationLvl += 2;
        try {
          return `${format(ctx, k, level + 1)} => ${format(ctx, v, level + 1)}`;
        } finally {
          ctx.indentationLvl -= 2;
        }
      });
      if (obj.size > MAX_ITEMS) items.push(more(obj.size - MAX_ITEMS));
      return reduce(ctx, items, `Map(${obj.size}) {`, "}", level);
    }
    if (obj instanceof Set) {
      if (obj.size === 0) return `Set(0) {}`;
      if (deeper) return "[Set]";
      ctx.currentDepth = level;
      const items = [...obj].slice(0, MAX_ITEMS).map((v) => entry(ctx, v, level + 1));
      if (obj.size > MAX_ITEMS) items.push(more(obj.size - MAX_ITEMS));
      return reduce(ctx, items, `Set(${obj.size}) {`, "}", level);
    }
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
      const items = obj as unknown as ArrayLike<unknown>;
      const typed = !Array.isArray(obj) && ctor ? `${ctor}(${items.length}) ` : "";
      if (items.length === 0) return `${typed}[]`;
      if (deeper) return typed ? `[${ctor}]` : "[Array]";
      ctx.currentDepth = level;
      const parts = Array.from({ length: Math.min(items.length, MAX_ITEMS) }, (_, i) => entry(ctx, items[i], level + 1));
      const cut = items.length > MAX_ITEMS;
      if (cut) parts.push(more(items.length - MAX_ITEMS));
      return reduce(ctx, parts, `${typed}[`, "]", level, { value: items, more: cut });
    }
    const named = ctor && ctor !== "Object" ? `${ctor} ` : ctor === undefined ? "[Object: null prototype] " : "";
    const entries = Object.entries(obj);
    if (entries.length === 0) return `${named}{}`;
    if (deeper) return named ? `[${ctor ?? "Object"}]` : "[Object]";
    ctx.currentDepth = level;
    const parts = entries.map(([k, v]) => `${key(k)}: ${entry(ctx, v, level + 1)}`);
    return reduce(ctx, parts, `${named}{`, "}", level);
  } finally {
    ctx.seen.delete(obj);
  }
}

/** util.inspect's note of the items left out. */
function more(n: number): string {
  return `... ${n} more item${n === 1 ? "" : "s"}`;
}
