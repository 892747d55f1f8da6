/**
 * @file The code of a notebook cell with its prose taken out: what must be the same in every
 * language of a notebook. Comments are dropped, the text of string and template
 * literals becomes `…` (a template's `${expressions}` stay), whitespace is collapsed, and the
 * body of a prose cell magic (`%%markdown`, `%%html`, `%%latex`, `%%svg`) is text too.
 *
 * A tiny lexer, not a parser: a regular expression literal is read as code, the same way in both
 * languages, so it can never make two different codes look equal.
 */

/** Cell magics whose body is prose that a translation may change. */
const PROSE_MAGICS = /^\s*%%(markdown|html|latex|svg)\b[^\n]*\n?/;

/**
 * The code of `source` with comments removed, literal text replaced by `…` and whitespace runs
 * collapsed to one space.
 *
 * @example
 * codeSkeleton('console.log("all checks passed"); // done') // 'console.log("…");'
 * codeSkeleton("const s = `n = ${n}`;")                    // "const s = `…${n}…`;" (as for `${n}`)
 */
export function codeSkeleton(source: string): string {
  const magic = PROSE_MAGICS.exec(source);
  if (magic) return `${magic[0].trim()} …`;
  let out = "";
  // Open contexts: "`" template text, "{" code inside `${ }` or a plain brace.
  const stack: string[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (top === "`") {
      // Template text (even empty) is one "…", written when the template or a `${}` ends.
      if (c === "\\") i += 2;
      else if (c === "`") {
        stack.pop();
        out += "`";
        i++;
      } else if (c === "$" && source[i + 1] === "{") {
        stack.push("{");
        out += "${";
        i += 2;
      } else i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
      out += " ";
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      out += " ";
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      out += `${c}…${c}`;
      i = j + 1;
    } else if (c === "`") {
      stack.push("`");
      out += "`…";
      i++;
    } else {
      out += c;
      if (c === "{") stack.push("{");
      else if (c === "}" && top === "{") {
        stack.pop();
        if (stack[stack.length - 1] === "`") out += "…";
      }
      i++;
    }
  }
  return out.replace(/\s+/g, " ").trim();
}
