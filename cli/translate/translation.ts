/**
 * @file Translation files and how a translated notebook is made from its English source.
 *
 * One code source: the English notebook is the source; `translations/<lang>/<name>.md` beside it
 * holds, per cell id, the translated markdown and the replacements inside code cells; the
 * translated notebook `<lang>/<name>.ipynb` is generated from the two (`gradlab translate`). A
 * translation file reads
 *
 * ```text
 * <!-- gradlab translation: ru -->
 *
 * <!-- cell 01-intro markdown en:5d41402a -->
 * # 1. Логистическая регрессия
 * ...
 *
 * <!-- cell 01-code code -->
 * en: // the derived gradient
 * ru: // градиент, выведенный руками
 * ```
 *
 * A markdown section replaces the whole cell; `en:` carries a hash of the English it translates,
 * so a changed English cell makes generation fail until its translation is updated. A code
 * section lists single-line replacements (every occurrence of the `en:` text becomes the `ru:`
 * text); afterwards the cell's code with comments and literal text taken out
 * ({@link codeSkeleton}) must equal the English one, so only comments and strings can change.
 */
import { createHash } from "node:crypto";
import { cellSource as sourceText, type Cell, type Notebook } from "../notebook/notebook.js";
import { codeSkeleton } from "./skeleton.js";

/** One translated cell. */
export type CellTranslation =
  | { kind: "markdown"; id: string; hash: string; text: string; line: number }
  | { kind: "code"; id: string; replacements: { en: string; to: string; line: number }[]; line: number };

/** A parsed translation file. */
export interface Translation {
  lang: string;
  cells: Map<string, CellTranslation>;
}

const HEADER = /^<!-- gradlab translation: ([a-z]{2}) -->$/;
const MARKER = /^<!-- cell (\S+) (markdown|code)(?: en:([0-9a-f]{8}))? -->$/;

/** Text as nbformat's list of lines (each but the last ending in "\n"). */
export function sourceLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((l, k) => (k < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== "");
}

/**
 * The first 8 hex digits of the SHA-256 of an English cell: what a markdown translation is of.
 *
 * @example
 * cellHash("# Title"); // "2d5a6b8e"
 */
export function cellHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/**
 * Parse a translation file; `file` names it in errors.
 *
 * @example
 * parseTranslation("<!-- gradlab translation: ru -->\n<!-- cell a markdown en:00000000 -->\nТекст", "x.md").cells.get("a");
 */
export function parseTranslation(text: string, file: string): Translation {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const head = HEADER.exec(lines[0] ?? "");
  if (!head)
    throw new Error(`translate: ${file}:1: expected the first line "<!-- gradlab translation: <lang> -->", got "${lines[0] ?? ""}"`);
  const cells = new Map<string, CellTranslation>();
  let current: CellTranslation | undefined;
  let body: string[] = [];
  let pendingEn: { text: string; line: number } | undefined;
  const close = () => {
    if (current?.kind === "markdown") {
      while (body.length && body[body.length - 1].trim() === "") body.pop();
      while (body.length && body[0].trim() === "") body.shift();
      if (body.length === 0) throw new Error(`translate: ${file}:${current.line}: cell ${current.id} has no text`);
      current.text = body.join("\n");
    }
    if (pendingEn) throw new Error(`translate: ${file}:${pendingEn.line}: "en:" line without the "${head[1]}:" line after it`);
    if (current?.kind === "code" && current.replacements.length === 0)
      throw new Error(`translate: ${file}:${current.line}: code cell ${current.id} lists no replacements`);
    body = [];
  };
  lines.slice(1).forEach((line, k) => {
    const no = k + 2;
    const m = MARKER.exec(line);
    if (m) {
      close();
      const [, id, kind, hash] = m;
      if (cells.has(id)) throw new Error(`translate: ${file}:${no}: cell ${id} is translated twice`);
      if (kind === "markdown" && !hash)
        throw new Error(
          `translate: ${file}:${no}: markdown cell ${id} needs "en:<hash>" (the English it translates; gradlab translate --skeleton prints it)`,
        );
      current = kind === "markdown" ? { kind, id, hash: hash!, text: "", line: no } : { kind: "code", id, replacements: [], line: no };
      cells.set(id, current);
      return;
    }
    if (!current) {
      if (line.trim() !== "") throw new Error(`translate: ${file}:${no}: text before the first "<!-- cell ID markdown|code -->" marker`);
      return;
    }
    if (current.kind === "markdown") {
      body.push(line);
      return;
    }
    if (line.trim() === "") return;
    if (line.startsWith("en: ")) {
      if (pendingEn) throw new Error(`translate: ${file}:${no}: two "en:" lines in a row`);
      pendingEn = { text: line.slice(4), line: no };
    } else if (line.startsWith(`${head[1]}: `) && pendingEn) {
      current.replacements.push({ en: pendingEn.text, to: line.slice(head[1].length + 2), line: pendingEn.line });
      pendingEn = undefined;
    } else {
      throw new Error(
        `translate: ${file}:${no}: expected "en: <English text>" then "${head[1]}: <translation>" in code cell ${current.id}, got "${line}"`,
      );
    }
  });
  close();
  return { lang: head[1], cells };
}

/**
 * The translated notebook: markdown cells replaced, code cells with their replacements applied,
 * everything else (ids, metadata, code) as in the English source. Throws, naming the file and
 * cell, on a missing or stale translation, an id the source lacks, a replacement not found, or a
 * replacement that changes code.
 *
 * @example
 * const ru = translateNotebook(en, parseTranslation(text, "ru/01.md"), "ru/01.md");
 */
export function translateNotebook(source: Notebook, t: Translation, file: string): Notebook {
  const ids = new Set(source.cells.map((c) => c.id));
  for (const [id, ct] of t.cells) {
    if (!ids.has(id))
      throw new Error(
        `translate: ${file}:${ct.line}: the English notebook has no cell ${id} (removed or renamed? delete or rename this section)`,
      );
  }
  const cells = source.cells.map((cell, index): Cell => {
    const en = sourceText(cell);
    const where = `cell ${cell.id} (cell ${index + 1} of the English notebook)`;
    const ct = cell.id === undefined ? undefined : t.cells.get(cell.id);
    if (cell.cell_type === "markdown") {
      if (!ct)
        throw new Error(
          `translate: ${file}: no translation of markdown ${where}; add a section "<!-- cell ${cell.id} markdown en:${cellHash(en)} -->"`,
        );
      if (ct.kind !== "markdown") throw new Error(`translate: ${file}:${ct.line}: ${where} is markdown, not code`);
      if (ct.hash !== cellHash(en)) {
        throw new Error(
          `translate: ${file}:${ct.line}: the English of ${where} changed since it was translated (en:${ct.hash}, now en:${cellHash(en)}); update the translation, then its hash`,
        );
      }
      return { ...cell, source: sourceLines(ct.text) };
    }
    if (!ct) return cell;
    if (ct.kind !== "code" || cell.cell_type !== "code")
      throw new Error(`translate: ${file}:${ct.line}: ${where} is ${cell.cell_type}, not ${ct.kind}`);
    let code = en;
    for (const r of ct.replacements) {
      if (!code.includes(r.en)) throw new Error(`translate: ${file}:${r.line}: "${r.en}" is not in the code of ${where}`);
      code = code.split(r.en).join(r.to);
    }
    if (codeSkeleton(code) !== codeSkeleton(en)) {
      throw new Error(`translate: ${file}:${ct.line}: the replacements in ${where} change code, not only comments and strings`);
    }
    return { ...cell, source: sourceLines(code) };
  });
  // metadata.language is what the kernel reads to write its outputs in the notebook's language.
  const gradlab = (source.metadata as { gradlab?: Record<string, unknown> }).gradlab;
  return { ...source, cells, metadata: { ...source.metadata, language: t.lang, gradlab: { ...gradlab, lang: t.lang } } };
}

/**
 * A translation file to start from: every markdown cell with its hash and English text to
 * translate (code sections, for comments and printed strings, are added by hand).
 *
 * @example
 * skeletonFor(en, "ru").startsWith("<!-- gradlab translation: ru -->"); // true
 */
export function skeletonFor(source: Notebook, lang: string): string {
  const parts = [`<!-- gradlab translation: ${lang} -->`];
  for (const cell of source.cells) {
    const text = sourceText(cell);
    if (cell.cell_type === "markdown") parts.push(`<!-- cell ${cell.id} markdown en:${cellHash(text)} -->\n${text.trimEnd()}`);
  }
  return parts.join("\n\n") + "\n";
}
