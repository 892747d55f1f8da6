/** @file Escaping user-controlled text for HTML, SVG/XML, Graphviz HTML-like labels and JS-in-HTML. */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML/SVG element content and attribute values (also valid inside Graphviz
 * HTML-like labels, which follow XML rules).
 *
 * @example
 * escapeHtml("<script>alert(1)</script>"); // "&lt;script&gt;alert(1)&lt;/script&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * Serialise a value as JSON that is safe to embed inside an HTML `<script>` element: `<`, `>`,
 * `&` and the JS-breaking line separators are written as unicode escapes, so a string such as
 * `"</script><script>alert(1)"` cannot close the script element.
 *
 * @example
 * jsonForScript({ name: "</script>" }); // '{"name":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A short deterministic hash (FNV-1a, 32 bit, base 36) of a string: used to derive element ids
 * from content, so two different figures on one page never share ids and output stays pinned.
 *
 * @example
 * contentId("digraph{}"); // always the same 6-7 character string
 */
export function contentId(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
