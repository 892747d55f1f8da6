/**
 * @file The homework source format: what each cell of an assignment's source notebook
 * is, the student copy `gradlab assign` makes of it, and the graded notebook `gradlab check
 * --source` rebuilds from a submission (instructor cells restored by id, answers kept).
 *
 * A source notebook (`notebooks/homework/source/*.ipynb`) has
 * - answer cells: code cells holding `// BEGIN SOLUTION` ... `// END SOLUTION` regions;
 * - check cells tagged `check:<exercise-id>` (optionally `points:<n>`, default 1), and hidden
 *   checks tagged `hidden-check:<exercise-id>` (only in the source: they run when grading);
 * - setup cells tagged `setup` (the problem, the checker with its hints): when grading, their
 *   code runs again in a block in front of every check, so that a student's cell cannot
 *   redefine what the check uses (see {@link checkCode});
 * - grader cells tagged `grader` (code: the hints for typical mistakes, `hw.mistakes({...})`),
 *   left out of the student copy; when grading they run after the setup cells, and their code
 *   joins the setup's in the block in front of every check;
 * - manually graded answers: markdown cells tagged `manual:<exercise-id>` (with `points:<n>`)
 *   holding the model derivation, which the copy replaces by a placeholder for the student's
 *   own; grading lists them as "to be graded by hand" with the student's text;
 * - cells tagged `source-only` (the instructor's own tests of the checks), left out of the
 *   student copy and of grading (a heading that introduces only such cells must be too);
 * - every other cell (statements, figures) is an instructor cell.
 * Every cell has a stable nbformat `id`; the copy keeps it, which is how grading finds cells.
 */
import { createHash } from "node:crypto";
import { language, notebookLanguage, setLanguage, tr } from "../../src/i18n/index.js";
import { stubLine } from "../../src/homework/sentinel.js";
import { cellSource, type Cell, type Notebook } from "../notebook/notebook.js";

export const CHECK_TAG = "check:";
export const HIDDEN_CHECK_TAG = "hidden-check:";
export const POINTS_TAG = "points:";
export const SETUP_TAG = "setup";
export const SOURCE_ONLY_TAG = "source-only";
export const GRADER_TAG = "grader";
export const MANUAL_TAG = "manual:";
const BEGIN = /^([ \t]*)\/\/ BEGIN SOLUTION\b.*$/;
const END = /^[ \t]*\/\/ END SOLUTION\b.*$/;
/** What a solution region becomes in the student copy (compiles, and fails clearly when run). */
export const STUB = stubLine("en");

/** The role of a cell in an assignment. */
export type Role = "answer" | "check" | "hidden-check" | "setup" | "grader" | "manual" | "source-only" | "instructor";

/** The cell's tags as strings. */
export function tagsOf(cell: Cell): string[] {
  return Array.isArray(cell.metadata.tags) ? cell.metadata.tags.map(String) : [];
}

/**
 * A cell's role, from its tags and its solution regions.
 *
 * @example
 * roleOf({ cell_type: "code", source: "// BEGIN SOLUTION\nreturn 1;\n// END SOLUTION", metadata: {} }); // "answer"
 */
export function roleOf(cell: Cell): Role {
  const tags = tagsOf(cell);
  if (tags.includes(SOURCE_ONLY_TAG)) return "source-only";
  if (tags.includes(GRADER_TAG)) return "grader";
  if (tags.some((t) => t.startsWith(MANUAL_TAG))) return "manual";
  if (tags.some((t) => t.startsWith(HIDDEN_CHECK_TAG))) return "hidden-check";
  if (tags.some((t) => t.startsWith(CHECK_TAG))) return "check";
  if (
    cell.cell_type === "code" &&
    cellSource(cell)
      .split("\n")
      .some((l) => BEGIN.test(l))
  )
    return "answer";
  if (tags.includes(SETUP_TAG)) return "setup";
  return "instructor";
}

/** The exercise a check or hidden check grades. */
export function exerciseOf(cell: Cell): string | undefined {
  const tag = tagsOf(cell).find((t) => t.startsWith(CHECK_TAG) || t.startsWith(HIDDEN_CHECK_TAG));
  return tag?.slice(tag.indexOf(":") + 1);
}

/** The exercise a manually graded answer cell (`manual:<id>`) answers. */
export function manualOf(cell: Cell): string | undefined {
  const tag = tagsOf(cell).find((t) => t.startsWith(MANUAL_TAG));
  return tag?.slice(MANUAL_TAG.length);
}

/** A check cell's points (`points:<n>`, default 1). */
export function pointsOf(cell: Cell): number {
  const tag = tagsOf(cell).find((t) => t.startsWith(POINTS_TAG));
  const n = tag === undefined ? 1 : Number(tag.slice(POINTS_TAG.length));
  return Number.isFinite(n) && n >= 0 ? n : 1;
}

/**
 * The checksum of an instructor cell as released (its type and text), written into the copy.
 *
 * @example
 * checksum({ cell_type: "markdown", source: "# Homework", metadata: {} }); // "sha256:..."
 */
export function checksum(cell: Cell): string {
  return `sha256:${createHash("sha256")
    .update(`${cell.cell_type}\n${cellSource(cell)}`)
    .digest("hex")}`;
}

/**
 * The code with each `// BEGIN SOLUTION` ... `// END SOLUTION` region replaced by {@link STUB}
 * at the region's indentation. Throws on an unclosed or nested region.
 *
 * @example
 * stubSolutions("function g() {\n  // BEGIN SOLUTION\n  return 2;\n  // END SOLUTION\n}", "c");
 * // 'function g() {\n  throw new Error("not answered yet");\n}'
 */
export function stubSolutions(code: string, where: string): string {
  const out: string[] = [];
  let open: string | undefined;
  for (const [i, line] of code.split("\n").entries()) {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open !== undefined)
        throw new Error(`${where}, line ${i + 1}: BEGIN SOLUTION inside another solution region; close the first with // END SOLUTION`);
      open = begin[1]!;
      out.push(`${open}${STUB}`);
    } else if (END.test(line)) {
      if (open === undefined) throw new Error(`${where}, line ${i + 1}: END SOLUTION without a BEGIN SOLUTION before it`);
      open = undefined;
    } else if (open === undefined) {
      out.push(line);
    }
  }
  if (open !== undefined) throw new Error(`${where}: a // BEGIN SOLUTION region is not closed; add // END SOLUTION after the solution`);
  return out.join("\n");
}

/** nbformat's list-of-lines form of a cell source. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((l) => l !== "");
}

/** Whether a markdown cell holds a heading line (`# ...` to `###### ...`). */
function isHeading(cell: Cell): boolean {
  return cell.cell_type === "markdown" && /^#{1,6}\s/m.test(cellSource(cell));
}

/** Roles of the cells `gradlab assign` leaves out of the student copy. */
const NOT_RELEASED: readonly Role[] = ["hidden-check", "source-only", "grader"];

/**
 * Checks what assign and grading rely on: ids present and unique, well-formed regions,
 * single-line imports in setup and grader cells, checks and grader cells in code cells, manual
 * answers in markdown cells, and no heading left without content in the student copy (a heading
 * whose cells are all source-only or grader cells must be source-only too).
 *
 * @example
 * validateSource(readNotebook("notebooks/homework/source/03-graph.ipynb"), "03-graph");
 */
export function validateSource(nb: Notebook, name: string): void {
  const seen = new Set<string>();
  for (const [i, cell] of nb.cells.entries()) {
    const where = `${name}: cell ${i + 1}`;
    if (!cell.id) throw new Error(`${where} has no "id": give every cell of a source a stable nbformat id (nbformat 4.5)`);
    if (seen.has(cell.id)) throw new Error(`${where}: id "${cell.id}" is used twice; cell ids must be unique`);
    seen.add(cell.id);
    const role = roleOf(cell);
    if (role === "answer") stubSolutions(cellSource(cell), where);
    if ((role === "check" || role === "hidden-check") && cell.cell_type !== "code")
      throw new Error(`${where}: a check must be a code cell, got ${cell.cell_type}`);
    if (role === "setup" || role === "grader") splitImports(cellSource(cell), where);
    if (role === "grader" && cell.cell_type !== "code")
      throw new Error(`${where}: a grader cell must be a code cell, got ${cell.cell_type}`);
    if (role === "manual" && cell.cell_type !== "markdown")
      throw new Error(`${where}: a manually graded answer (tag manual:<exercise-id>) must be a markdown cell, got ${cell.cell_type}`);
    if (role === "manual" && !manualOf(cell)) throw new Error(`${where}: the tag manual: needs an exercise id (manual:<exercise-id>)`);
    if (isHeading(cell) && !NOT_RELEASED.includes(role)) {
      const under: Cell[] = [];
      for (const next of nb.cells.slice(i + 1)) {
        if (isHeading(next)) break;
        under.push(next);
      }
      if (under.length > 0 && under.every((c) => NOT_RELEASED.includes(roleOf(c)))) {
        const title = /^#{1,6}\s+(.*)$/m.exec(cellSource(cell))![1]!.trim();
        throw new Error(
          `${where}: the heading "${title}" introduces only cells the student copy leaves out (source-only, grader or hidden checks); tag it source-only too, or the copy keeps it as an orphan heading`,
        );
      }
    }
  }
}

/**
 * Runs `fn` with the library's language set to `lang` (for texts written into a notebook of that
 * language), then puts the previous language back.
 *
 * @example
 * inLanguage("ru", () => language()); // "ru"
 */
export function inLanguage<T>(lang: string, fn: () => T): T {
  const before = language();
  setLanguage(notebookLanguage({ language: lang }) ?? "en");
  try {
    return fn();
  } finally {
    setLanguage(before);
  }
}

/**
 * The text a manually graded answer cell holds in the student copy, in the notebook's language.
 *
 * @example
 * manualPlaceholder("en"); // "*Write your derivation here* (replace this text: ...)."
 */
export function manualPlaceholder(lang: string): string {
  return inLanguage(lang, () =>
    tr("*Write your derivation here* (replace this text: it is graded by hand; LaTeX between $...$ works as in the statements)."),
  );
}

/** Whether a manual answer is still the placeholder (in any language) or empty. */
export function isPlaceholder(text: string): boolean {
  const t = text.trim();
  return t === "" || ["en", "ru"].some((l) => manualPlaceholder(l) === t);
}

/**
 * The student copy of a source notebook: solutions stubbed, hidden checks and source-only cells
 * removed, outputs cleared, ids kept; instructor cells (setup and checks too) marked read-only
 * with their checksum in `metadata.gradlab`.
 *
 * @example
 * const copy = assignNotebook(readNotebook("notebooks/homework/source/01-logistic-regression.ipynb"), "01-logistic-regression");
 */
export function assignNotebook(source: Notebook, assignment: string): Notebook {
  validateSource(source, assignment);
  const cells: Cell[] = [];
  for (const [i, cell] of source.cells.entries()) {
    const role = roleOf(cell);
    if (NOT_RELEASED.includes(role)) continue;
    const metadata: Cell["metadata"] = structuredClone(cell.metadata);
    delete metadata.gradlab;
    const copy: Cell = { cell_type: cell.cell_type, id: cell.id, metadata, source: [] };
    if (role === "answer") {
      copy.source = lines(stubSolutions(cellSource(cell), `${assignment}: cell ${i + 1}`));
      metadata.gradlab = { role: "answer" };
    } else if (role === "manual") {
      copy.source = lines(manualPlaceholder(langOf(source)));
      metadata.gradlab = { role: "manual" };
    } else {
      copy.source = lines(cellSource(cell));
      metadata.editable = false;
      metadata.deletable = false;
      metadata.gradlab = { role: role === "check" ? "check" : "instructor", checksum: checksum(cell) };
    }
    if (cell.cell_type === "code") {
      copy.execution_count = null;
      copy.outputs = [];
    }
    if (cell.attachments && role !== "manual") copy.attachments = structuredClone(cell.attachments);
    cells.push(copy);
  }
  const metadata = structuredClone(source.metadata);
  const lang = langOf(source);
  metadata.gradlab = lang === "en" ? { assignment } : { assignment, lang };
  return { nbformat: 4, nbformat_minor: Math.max(5, source.nbformat_minor), metadata, cells };
}

/**
 * The language of a notebook: `metadata.gradlab.lang` (set by `gradlab translate`, kept by
 * `gradlab assign`), else `metadata.language`, English when neither names one.
 *
 * @example
 * langOf(readNotebook("notebooks/homework/ru/02-logdet.ipynb")); // "ru"
 */
export function langOf(nb: Notebook): string {
  const lang = (nb.metadata.gradlab as { lang?: unknown } | undefined)?.lang;
  return typeof lang === "string" && lang !== "" ? lang : (notebookLanguage(nb.metadata) ?? "en");
}

/** Whether a released instructor cell still has the text `gradlab assign` wrote (its checksum). */
function asReleased(cell: Cell): boolean {
  const sum = (cell.metadata.gradlab as { checksum?: unknown } | undefined)?.checksum;
  return typeof sum === "string" && sum === checksum(cell);
}

const IMPORT = /^\s*import\s[^;]*\sfrom\s+["'][^"']+["'];?\s*$|^\s*import\s+["'][^"']+["'];?\s*$/;

/** A setup cell's single-line imports and the rest of its code (imports cannot go in a block). */
export function splitImports(code: string, where: string): { imports: string[]; body: string } {
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of code.split("\n")) {
    if (/^\s*import\b/.test(line) && !/^\s*import\s*\(/.test(line)) {
      if (!IMPORT.test(line))
        throw new Error(`${where}: setup cells need each import on one line (import { a, b } from "gradlab";), got: ${line.trim()}`);
      imports.push(line.trim());
    } else {
      body.push(line);
    }
  }
  return { imports, body: body.join("\n") };
}

/** The name under which {@link checkCode} imports `setLanguage` (no cell declares it). */
const SET_LANGUAGE = "gradlabCheckLanguage$";

/**
 * The code grading sends for a check cell: the setup (and grader) cells' imports, then one block
 * holding their code and the check. Inside the block the setup's names (problem data, the checker
 * and its hints) are bound afresh, shadowing whatever a student's cell declared with the same
 * names; only the student's answers (names no setup cell declares) come from the notebook. With
 * `lang`, the block first sets the library's language to the notebook's, so the checker's
 * messages are in it whatever the kernel started in.
 *
 * @example
 * checkCode('hw.gradient("g", f, x0, gradient);', [setupCell]);
 * // 'import { homework } from "gradlab";\n{\n<setup code>\nhw.gradient("g", f, x0, gradient);\n}'
 */
export function checkCode(check: string, setup: Cell[], lang?: string): string {
  const parts = setup.map((c, i) => splitImports(cellSource(c), `setup cell ${i + 1}`));
  const imports = [...new Set(parts.flatMap((p) => p.imports))];
  const setLang = lang === undefined ? [] : [`import { setLanguage as ${SET_LANGUAGE} } from "gradlab";`];
  const language = lang === undefined ? [] : [`${SET_LANGUAGE}(${JSON.stringify(lang)});`];
  return [...imports, ...setLang, "{", ...language, ...parts.map((p) => p.body), check, "}"].join("\n");
}

/**
 * Error text of a check sent as {@link checkCode}, with the kernel's line numbers ("line 22:5",
 * "cell line 22") made the check cell's own again; lines inside the prepended setup read
 * "setup line k".
 *
 * @example
 * checkLines("at cell line 21: hw.gradient(...)", 20); // "at cell line 1: hw.gradient(...)"
 */
export function checkLines(text: string, offset: number): string {
  const shift = (n: string, prefix: string, setupPrefix: string) =>
    Number(n) > offset ? `${prefix}${Number(n) - offset}` : `${setupPrefix}${n}`;
  return text
    .replace(/\bcell line (\d+)/g, (_, n: string) => shift(n, "cell line ", "setup line "))
    .replace(/\bline (\d+):(\d+)/g, (_, n: string, c: string) => `${shift(n, "line ", "setup line ")}:${c}`);
}

/** How many lines {@link checkCode} puts before the check's first line. */
export function checkOffset(wrapped: string, check: string): number {
  return wrapped.slice(0, wrapped.lastIndexOf(`\n${check}\n}`) + 1).split("\n").length - 1;
}

/** What grading found changed in a submission, by cell id (or position for cells without one). */
export interface Tampering {
  /** Instructor cells whose text differs from the source's (restored before running). */
  modified: string[];
  /** Instructor or answer cells missing from the submission (put back; a missing answer is the stub). */
  deleted: string[];
  /** Cells not in the source (kept and run where they were; their check tags are dropped). */
  added: string[];
}

/** How well a submission matches a source: the share of the copy's cell ids it has. */
export function matchScore(source: Notebook, submission: Notebook): number {
  const ids = new Set(submission.cells.map((c) => c.id).filter(Boolean));
  const released = source.cells.filter((c) => !NOT_RELEASED.includes(roleOf(c)) && c.id);
  return released.length === 0 ? 0 : released.filter((c) => ids.has(c.id)).length / released.length;
}

/** A manually graded answer as submitted. */
export interface ManualAnswer {
  exercise: string;
  /** The answer cell's id. */
  id: string;
  points: number;
  /** The student's text ("" when the cell is missing). */
  text: string;
  /** False when the text is still the placeholder (or empty, or the cell was deleted). */
  answered: boolean;
}

/** The notebook grading runs: the source's cells in order with the student's answers, plus cells they added. */
export interface GradedNotebook {
  nb: Notebook;
  tampering: Tampering;
  /** Code to send per cell (by index in `nb.cells`) when it differs from the cell's text (checks). */
  code: Map<number, string>;
  /** The manually graded answers (markdown cells tagged `manual:<id>`), in order. */
  manual: ManualAnswer[];
  /** The language the submission is in (its checks' messages are written in it). */
  lang: string;
}

/**
 * Rebuilds a submission against its source: instructor, setup, check and hidden-check cells come
 * from the source by id (modified ones reported), answer cells from the submission (a deleted
 * one becomes the stub), cells the student added stay after the cell they followed (and after
 * that cell's hidden checks), without check tags. Check cells are sent as {@link checkCode}.
 * A submission in another language than the source (a Russian copy graded against the English
 * source: the same ids) has its instructor cells compared with the checksum its copy was released
 * with instead, so translated text is not reported as modified.
 *
 * @example
 * const { nb, tampering } = restoreFromSource(source, submission, "01-logistic-regression");
 */
export function restoreFromSource(source: Notebook, submission: Notebook, assignment: string): GradedNotebook {
  const tampering: Tampering = { modified: [], deleted: [], added: [] };
  const lang = langOf(submission);
  const sameLang = langOf(source) === lang;
  const manual: ManualAnswer[] = [];
  const byId = new Map<string, Cell>();
  for (const c of submission.cells) if (c.id && !byId.has(c.id)) byId.set(c.id, c);
  const sourceIds = new Set(source.cells.map((c) => c.id));
  // Cells the student added, grouped after the last source cell that precedes them.
  const addedAfter = new Map<string | undefined, Cell[]>();
  let last: string | undefined;
  for (const [i, c] of submission.cells.entries()) {
    if (c.id && sourceIds.has(c.id) && byId.get(c.id) === c) {
      last = c.id;
      continue;
    }
    const clean: Cell = {
      ...structuredClone(c),
      metadata: {
        ...structuredClone(c.metadata),
        tags: tagsOf(c).filter((t) => !t.startsWith(CHECK_TAG) && !t.startsWith(HIDDEN_CHECK_TAG)),
      },
    };
    tampering.added.push(c.id ?? `cell ${i + 1}`);
    addedAfter.set(last, [...(addedAfter.get(last) ?? []), clean]);
  }
  const cells: Cell[] = [];
  // Added cells go after the released cell they followed and after the hidden checks right behind it,
  // so a hidden check runs in the same state as its visible check.
  let pending: Cell[] = addedAfter.get(undefined) ?? [];
  const code = new Map<number, string>();
  const setup: Cell[] = [];
  for (const [i, cell] of source.cells.entries()) {
    const role = roleOf(cell);
    if (role === "source-only") continue;
    const theirs = cell.id ? byId.get(cell.id) : undefined;
    let mine: Cell;
    if (role === "manual") {
      const text = theirs && theirs.cell_type === "markdown" ? cellSource(theirs) : "";
      if (!theirs) tampering.deleted.push(cell.id!);
      manual.push({ exercise: manualOf(cell)!, id: cell.id!, points: pointsOf(cell), text, answered: !isPlaceholder(text) });
      mine = { ...structuredClone(cell), source: lines(theirs ? text : manualPlaceholder(lang)) };
      delete mine.attachments;
      if (theirs?.attachments) mine.attachments = structuredClone(theirs.attachments);
    } else if (role === "answer") {
      if (theirs) {
        mine = structuredClone(theirs);
        mine.metadata = {
          ...mine.metadata,
          tags: tagsOf(theirs).filter((t) => !t.startsWith(CHECK_TAG) && !t.startsWith(HIDDEN_CHECK_TAG)),
        };
        mine.cell_type = "code";
      } else {
        tampering.deleted.push(cell.id!);
        mine = { ...structuredClone(cell), source: lines(stubSolutions(cellSource(cell), `${assignment}: cell ${i + 1}`)) };
      }
    } else {
      mine = structuredClone(cell);
      if (role !== "hidden-check" && role !== "grader") {
        if (!theirs) tampering.deleted.push(cell.id!);
        else if (theirs.cell_type !== cell.cell_type || !(sameLang ? cellSource(theirs) === cellSource(cell) : asReleased(theirs)))
          tampering.modified.push(cell.id!);
      }
      // Grader cells (the hints) join the setup: the block in front of each check re-runs both.
      if (role === "setup" || role === "grader") setup.push(cell);
    }
    if (mine.cell_type === "code") {
      mine.outputs = [];
      mine.execution_count = null;
    }
    if (role !== "hidden-check" && role !== "grader") {
      cells.push(...pending);
      pending = addedAfter.get(cell.id) ?? [];
    }
    if (role === "check" || role === "hidden-check") code.set(cells.length, checkCode(cellSource(cell), setup, lang));
    cells.push(mine);
  }
  cells.push(...pending);
  const metadata: Notebook["metadata"] & { language?: string } = {
    ...structuredClone(source.metadata),
    gradlab: lang === "en" ? { assignment } : { assignment, lang },
  };
  if (lang !== "en") metadata.language = lang;
  else delete metadata.language;
  return { nb: { nbformat: 4, nbformat_minor: source.nbformat_minor, metadata, cells }, tampering, code, manual, lang };
}
