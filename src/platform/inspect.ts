/**
 * @file Values as text where Node's util.inspect is missing (the browser platform): util.inspect's
 * text (strings quoted, objects `depth` levels deep, Map, Set, typed arrays and class instances
 * named, more than 100 items cut) always on one line, where util.inspect breaks long or deeply
 * nested values over several.
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

/** `parts` in braces or brackets, "[]" / "{}" when empty, with "... n more items" past the limit. */
function list(open: string, close: string, parts: string[], total: number): string {
  if (total > parts.length) parts.push(`... ${total - parts.length} more item${total - parts.length === 1 ? "" : "s"}`);
  return parts.length === 0 ? `${open}${close}` : `${open} ${parts.join(", ")} ${close}`;
}

/**
 * A value as text, objects `depth` levels deep (nested ones beyond it as [Object] / [Array]).
 * @example inspectValue({ a: [1, 2], s: "x" }, 2) // "{ a: [ 1, 2 ], s: 'x' }"
 */
export function inspectValue(value: unknown, depth: number, seen = new Set<object>()): string {
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
  if (obj instanceof Error) return obj.stack ?? String(obj);
  if (obj instanceof Date) return obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (seen.has(obj)) return "[Circular *1]";
  const ctor = (Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null)?.constructor?.name;
  const inner = (v: unknown) => inspectValue(v, depth - 1, seen);
  seen.add(obj);
  try {
    if (obj instanceof Map) {
      if (depth < 0 && obj.size > 0) return "[Map]";
      const items = [...obj].slice(0, MAX_ITEMS).map(([k, v]) => `${inner(k)} => ${inner(v)}`);
      return `Map(${obj.size}) ` + list("{", "}", items, obj.size);
    }
    if (obj instanceof Set) {
      if (depth < 0 && obj.size > 0) return "[Set]";
      return `Set(${obj.size}) ` + list("{", "}", [...obj].slice(0, MAX_ITEMS).map(inner), obj.size);
    }
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
      const items = obj as unknown as ArrayLike<unknown>;
      const typed = !Array.isArray(obj) && ctor ? `${ctor}(${items.length}) ` : "";
      if (depth < 0 && items.length > 0) return typed ? `[${ctor}]` : "[Array]";
      const parts = Array.from({ length: Math.min(items.length, MAX_ITEMS) }, (_, i) => inner(items[i]));
      return typed + list("[", "]", parts, items.length);
    }
    const named = ctor && ctor !== "Object" ? `${ctor} ` : ctor === undefined ? "[Object: null prototype] " : "";
    const entries = Object.entries(obj);
    if (depth < 0 && entries.length > 0) return named ? `[${ctor ?? "Object"}]` : "[Object]";
    const parts = entries.map(([k, v]) => `${key(k)}: ${inner(v)}`);
    return named + list("{", "}", parts, parts.length);
  } finally {
    seen.delete(obj);
  }
}
