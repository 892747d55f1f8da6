/** @file A markdown-it plugin for Jupyter's math delimiters ($...$, $$...$$), rendered server-side by KaTeX. */
import katex from "katex";
import type { MarkdownIt, StateBlock, StateInline } from "markdown-it";

/**
 * Renders TeX to HTML with KaTeX; a TeX error shows as KaTeX's red error text, never a crash.
 *
 * @example
 * renderTex("x^2", false); // '<span class="katex">...'
 */
export function renderTex(tex: string, display: boolean): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
}

/** `$$ ... $$` starting a line: a display-math block (may span blank-free lines and contain `=` lines). */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (n: number) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  const first = lineText(startLine);
  if (!first.startsWith("$$") || state.sCount[startLine] - state.blkIndent >= 4) return false;
  let body = first.slice(2);
  let line = startLine;
  let closed = body.trimEnd().endsWith("$$") && body.trim().length >= 2;
  if (closed) body = body.trimEnd().slice(0, -2);
  while (!closed && ++line < endLine) {
    const text = lineText(line);
    if (text.trimEnd().endsWith("$$")) {
      body += `\n${text.trimEnd().slice(0, -2)}`;
      closed = true;
    } else {
      body += `\n${text}`;
    }
  }
  if (!closed) return false;
  if (silent) return true;
  const token = state.push("math_block", "math", 0);
  token.content = body.trim();
  token.map = [startLine, line + 1];
  state.line = line + 1;
  return true;
}

/** `$...$` (inline) or `$$...$$` inside a paragraph; `\$` stays a dollar (markdown-it's escape rule sees it first). */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src[start] !== "$") return false;
  const display = src[start + 1] === "$";
  const open = display ? 2 : 1;
  if (!display && /\s/.test(src[start + 1] ?? " ")) return false;
  let end = start + open;
  while (true) {
    end = src.indexOf(display ? "$$" : "$", end);
    if (end < 0) return false;
    if (src[end - 1] !== "\\") break;
    end++;
  }
  const content = src.slice(start + open, end);
  if (content.trim() === "" || (!display && /\s$/.test(content))) return false;
  if (!silent) {
    const token = state.push(display ? "math_display" : "math_inline", "math", 0);
    token.content = content;
  }
  state.pos = end + open;
  return true;
}

/**
 * Adds math parsing and KaTeX rendering to a markdown-it instance.
 *
 * @example
 * const md = new MarkdownIt().use(mathPlugin);
 * md.render("Euler: $e^{i\\pi} = -1$");
 */
export function mathPlugin(md: MarkdownIt): void {
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph"] });
  md.inline.ruler.after("escape", "math_inline", mathInline);
  md.renderer.rules.math_block = (tokens, i) => `<div class="math display">${renderTex(tokens[i].content, true)}</div>\n`;
  md.renderer.rules.math_display = (tokens, i) => `<span class="math display">${renderTex(tokens[i].content, true)}</span>`;
  md.renderer.rules.math_inline = (tokens, i) => `<span class="math">${renderTex(tokens[i].content, false)}</span>`;
}
