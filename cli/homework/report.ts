/**
 * @file The grades as `gradlab check` reports them: CSV (machine-readable, English words), a text
 * table, feedback pages and the class summary (in the submissions' language: a feedback page in
 * its submission's, the table and summary in the one all submissions share, else English).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { inLanguage, type Tampering } from "./format.js";
import { escapeHtml } from "../../src/display/escape.js";
import { tr, trn } from "../../src/i18n/index.js";
import { renderNotebookHtml, renderPageHtml } from "../html/page.js";
import { notebookJson, type Notebook, type NotebookFile } from "../notebook/notebook.js";
import type { Grade, StudentGrades } from "./grade.js";

/** Colours of the results the shared page style does not know. */
const STYLE =
  "<style>.partial{background:#ffd}.manual{background:#def}pre.manual-answer{white-space:pre-wrap;background:#f6f6fa;padding:.5rem}</style>";

/** A grade in a few machine-readable English words: "pass", "partial 6/8", "manual", ... */
function gradeWord(g: Grade | undefined): string {
  if (!g) return "";
  if (g.result === "partial" && g.entries) return `partial ${g.entries.right}/${g.entries.total}`;
  return g.result;
}

/** A grade as a person reads it, in the current language. */
function gradeText(g: Grade | undefined): string {
  if (!g) return "";
  switch (g.result) {
    case "pass":
      return tr("pass");
    case "fail":
      return tr("fail");
    case "missing":
      return tr("missing");
    case "manual":
      return g.answered === false ? tr("not answered") : tr("by hand");
    case "partial":
      return tr("partial {right}/{total}", { right: g.entries?.right ?? 0, total: g.entries?.total ?? 0 });
  }
}

/** One file's row of results: "error" everywhere when it could not be graded, blank outside its assignment. */
function gradeCells(exercises: string[], s: StudentGrades, word: (g: Grade | undefined) => string, error: string): string[] {
  return exercises.map((e) => (s.fatal ? error : word(s.grades[e])));
}

/** How many automatically graded exercises passed, and of how many (manual answers are not counted). */
function passCount(exercises: string[], s: StudentGrades): { passed: number; of: number } {
  const auto = exercises.filter((e) => s.grades[e] && s.grades[e]!.result !== "manual");
  return { passed: auto.filter((e) => s.grades[e]!.result === "pass").length, of: auto.length };
}

/** The language all the students' submissions share, else English. */
export function commonLanguage(students: StudentGrades[]): string {
  const langs = new Set(students.map((s) => s.lang ?? "en"));
  return langs.size === 1 ? [...langs][0]! : "en";
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The grade table as CSV: one row per file, one column per exercise ("pass", "fail",
 * "partial 6/8", "manual", "missing"), then the pass count.
 *
 * @example
 * gradesCsv(["grad"], [{ file: "a.ipynb", grades: { grad: { result: "pass" } } }]);
 * // "file,grad,passed\na.ipynb,pass,1\n" (plus score, max_score, tampering, notes when graded with --source)
 */
export function gradesCsv(exercises: string[], students: StudentGrades[]): string {
  const scored = students.some((s) => s.maxScore !== undefined);
  const rows = [["file", ...exercises, "passed", ...(scored ? ["score", "max_score", "tampering", "notes"] : [])]];
  for (const s of students) {
    const cells = gradeCells(exercises, s, gradeWord, "error");
    const extra = scored
      ? [
          String(s.score ?? 0),
          String(s.maxScore ?? ""),
          inLanguage("en", () => tamperingText(s.tampering)),
          [s.fatal, ...(s.notes ?? [])].filter(Boolean).join("; "),
        ]
      : [];
    rows.push([s.file, ...cells, String(s.fatal ? 0 : passCount(exercises, s).passed), ...extra]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/**
 * The grade table for the terminal (in the submissions' common language), followed by each
 * failure's message.
 *
 * @example
 * gradesTable(["grad"], students); // "file     grad  passed\n..."
 */
export function gradesTable(exercises: string[], students: StudentGrades[]): string {
  return inLanguage(commonLanguage(students), () => {
    const head = [tr("file"), ...exercises, tr("passed")];
    const body = students.map((s) => {
      const cells = gradeCells(exercises, s, gradeText, tr("error"));
      const { passed, of } = passCount(exercises, s);
      return [s.file, ...cells, s.fatal ? "" : `${passed}/${of}`];
    });
    const all = [head, ...body];
    const width = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
    const fmt = (r: string[]) =>
      r
        .map((v, c) => v.padEnd(width[c]!))
        .join("  ")
        .trimEnd();
    const notes = students.flatMap((s) =>
      s.fatal
        ? [`${s.file}: ${tr("could not be graded: {why}", { why: s.fatal })}`]
        : [
            ...(s.tampering && tamperingText(s.tampering) ? [`${s.file}: ${tamperingText(s.tampering)}`] : []),
            ...(s.notes ?? []).map((n) => `${s.file}: ${n}`),
            ...Object.entries(s.grades)
              .filter(([, g]) => g.message)
              .map(([e, g]) => `${s.file} ${e}: ${g.message}`),
          ],
    );
    return [fmt(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt), ...(notes.length ? ["", ...notes] : [])].join("\n");
  });
}

/**
 * The tampering report in one line ("" when nothing changed), in the current language.
 *
 * @example
 * tamperingText({ modified: ["c1"], deleted: [], added: ["cell 9"] }); // "modified c1 (restored); added cell 9"
 */
export function tamperingText(t: Tampering | undefined): string {
  if (!t) return "";
  return [
    t.modified.length ? tr("modified {cells} (restored)", { cells: t.modified.join(", ") }) : "",
    t.deleted.length ? tr("deleted {cells} (put back)", { cells: t.deleted.join(", ") }) : "",
    t.added.length ? tr("added {cells}", { cells: t.added.join(", ") }) : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** The feedback page's header: score, one row per exercise with its points, notes, and the written answers. */
function gradeHeader(s: StudentGrades): string {
  if (s.fatal) return `<p class="error"><strong>${escapeHtml(tr("Could not be graded:"))}</strong> ${escapeHtml(s.fatal)}</p>`;
  const scored = s.maxScore !== undefined;
  const rows = Object.entries(s.grades).map(([id, g]) => {
    const points = scored ? `<td>${g.maxPoints !== undefined ? `${g.points ?? 0} / ${g.maxPoints}` : ""}</td>` : "";
    return `<tr class="${g.result}"><td>${escapeHtml(id)}</td><td>${escapeHtml(gradeText(g))}</td>${points}<td>${escapeHtml(g.message ?? "")}</td></tr>`;
  });
  const score = scored
    ? `<p><strong>${escapeHtml(tr("Score: {score} / {max}", { score: s.score ?? 0, max: s.maxScore ?? 0 }))}</strong></p>`
    : "";
  const byHand = Object.values(s.grades).some((g) => g.result === "manual")
    ? `<p>${escapeHtml(tr("Written answers are graded by hand: their points are not in the score yet."))}</p>`
    : "";
  const tamper = tamperingText(s.tampering);
  const notes = [...(tamper ? [tr("Instructor cells: {what}.", { what: tamper })] : []), ...(s.notes ?? [])]
    .map((n) => `<li>${escapeHtml(n)}</li>`)
    .join("");
  const written = Object.entries(s.grades)
    .filter(([, g]) => g.result === "manual")
    .map(
      ([id, g]) =>
        `<h3>${escapeHtml(id)} (${escapeHtml(trn("{n} point, graded by hand", "{n} points, graded by hand", g.maxPoints ?? 0))})</h3>` +
        (g.answered
          ? `<pre class="manual-answer">${escapeHtml(g.answer ?? "")}</pre>`
          : `<p>${escapeHtml(tr("not answered (the placeholder is unchanged)"))}</p>`),
    )
    .join("");
  const head = `<tr><th>${escapeHtml(tr("exercise"))}</th><th>${escapeHtml(tr("result"))}</th>${scored ? `<th>${escapeHtml(tr("points"))}</th>` : ""}<th>${escapeHtml(tr("message (hint)"))}</th></tr>`;
  return `${STYLE}${score}${byHand}<table class="grades"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>${notes ? `<ul>${notes}</ul>` : ""}${written ? `<h2>${escapeHtml(tr("Written answers"))}</h2>${written}` : ""}`;
}

/**
 * Writes the executed notebook and its feedback page (in the submission's language) under `outDir`.
 *
 * @example
 * writeFeedback({ path: "/s/a.ipynb", rel: "a.ipynb" }, nb, grades, "out/check"); // out/check/feedback/a.html
 */
export function writeFeedback(file: NotebookFile, nb: Notebook | undefined, s: StudentGrades, outDir: string): void {
  inLanguage(s.lang ?? "en", () => {
    const page = join(outDir, "feedback", file.rel.replace(/\.ipynb$/, "") + ".html");
    mkdirSync(dirname(page), { recursive: true });
    const assets = relative(dirname(page), join(outDir, "_static")) || ".";
    const title = tr("Feedback: {file}", { file: file.rel });
    if (nb && !s.fatal) {
      const target = join(outDir, file.rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, notebookJson(nb));
      writeFileSync(page, renderNotebookHtml(nb, { title, assets, header: gradeHeader(s) }));
    } else {
      writeFileSync(page, renderPageHtml(title, gradeHeader(s)));
    }
  });
}

/**
 * The class summary page: pass rate per exercise, then score and grades per student, each
 * linking to its feedback page.
 *
 * @example
 * summaryHtml(["grad"], students); // "<!DOCTYPE html>..."
 */
export function summaryHtml(exercises: string[], students: StudentGrades[]): string {
  return inLanguage(commonLanguage(students), () => {
    const rate = exercises.map((e) => {
      const graded = students.filter((s) => !s.fatal && s.grades[e]);
      // A written derivation counts as "passed" here when it is written (its grade is the instructor's).
      const passed = graded.filter((s) => s.grades[e]!.result === "pass" || s.grades[e]!.answered === true).length;
      return `<tr><td>${escapeHtml(e)}</td><td>${passed} / ${graded.length}</td><td>${graded.length ? Math.round((100 * passed) / graded.length) : 0}%</td></tr>`;
    });
    const head = `<tr><th>${escapeHtml(tr("submission"))}</th><th>${escapeHtml(tr("score"))}</th>${exercises.map((e) => `<th>${escapeHtml(e)}</th>`).join("")}<th>${escapeHtml(tr("tampering / notes"))}</th></tr>`;
    const rows = students.map((s) => {
      const href = `feedback/${s.file.replace(/\.ipynb$/, "")}.html`.split("/").map(encodeURIComponent).join("/");
      const cells = exercises
        .map((e) =>
          s.fatal
            ? `<td class="error">${escapeHtml(tr("error"))}</td>`
            : `<td class="${s.grades[e]?.result ?? ""}">${escapeHtml(gradeText(s.grades[e]))}</td>`,
        )
        .join("");
      const score = s.fatal
        ? escapeHtml(tr("error"))
        : s.maxScore !== undefined
          ? `${s.score} / ${s.maxScore}`
          : `${Object.values(s.grades).filter((g) => g.result === "pass").length}`;
      const notes = [s.fatal, tamperingText(s.tampering), ...(s.notes ?? [])]
        .filter(Boolean)
        .map((n) => escapeHtml(String(n)))
        .join("<br>");
      return `<tr><td><a href="${href}">${escapeHtml(s.file)}</a></td><td>${score}</td>${cells}<td>${notes}</td></tr>`;
    });
    const body = `${STYLE}<h2>${escapeHtml(tr("Pass rate per exercise"))}</h2><table class="grades"><thead><tr><th>${escapeHtml(tr("exercise"))}</th><th>${escapeHtml(tr("passed"))}</th><th>${escapeHtml(tr("rate"))}</th></tr></thead><tbody>${rate.join("")}</tbody></table>
<h2>${escapeHtml(tr("Students"))}</h2><table class="grades"><thead>${head}</thead><tbody>${rows.join("\n")}</tbody></table>`;
    return renderPageHtml(trn("Grades ({n} submission)", "Grades ({n} submissions)", students.length), body);
  });
}
