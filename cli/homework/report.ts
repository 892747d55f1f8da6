/** @file The grades as `gradlab check` reports them: CSV, a text table, feedback pages and the class summary. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Tampering } from "./format.js";
import { escapeHtml } from "../../src/display/escape.js";
import { renderNotebookHtml, renderPageHtml } from "../html/page.js";
import { notebookJson, type Notebook, type NotebookFile } from "../notebook/notebook.js";
import type { StudentGrades } from "./grade.js";

/** One file's row of results: "error" everywhere when it could not be graded, blank outside its assignment. */
function gradeCells(exercises: string[], s: StudentGrades): string[] {
  return exercises.map((e) => (s.fatal ? "error" : (s.grades[e]?.result ?? "")));
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The grade table as CSV: one row per file, one column per exercise, then the pass count.
 *
 * @example
 * gradesCsv(["grad"], [{ file: "a.ipynb", grades: { grad: { result: "pass" } } }]);
 * // "file,grad,passed\na.ipynb,pass,1\n" (plus score, max_score, tampering, notes when graded with --source)
 */
export function gradesCsv(exercises: string[], students: StudentGrades[]): string {
  const scored = students.some((s) => s.maxScore !== undefined);
  const rows = [["file", ...exercises, "passed", ...(scored ? ["score", "max_score", "tampering", "notes"] : [])]];
  for (const s of students) {
    const cells = gradeCells(exercises, s);
    const extra = scored
      ? [
          String(s.score ?? 0),
          String(s.maxScore ?? ""),
          tamperingText(s.tampering),
          [s.fatal, ...(s.notes ?? [])].filter(Boolean).join("; "),
        ]
      : [];
    rows.push([s.file, ...cells, String(cells.filter((c) => c === "pass").length), ...extra]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/**
 * The grade table for the terminal, followed by each failure's message.
 *
 * @example
 * gradesTable(["grad"], students); // "file     grad  passed\n..."
 */
export function gradesTable(exercises: string[], students: StudentGrades[]): string {
  const head = ["file", ...exercises, "passed"];
  const body = students.map((s) => {
    const cells = gradeCells(exercises, s);
    return [s.file, ...cells, `${cells.filter((c) => c === "pass").length}/${cells.filter((c) => c !== "").length}`];
  });
  const all = [head, ...body];
  const width = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const fmt = (r: string[]) =>
    r
      .map((v, c) => v.padEnd(width[c]))
      .join("  ")
      .trimEnd();
  const notes = students.flatMap((s) =>
    s.fatal
      ? [`${s.file}: could not be graded: ${s.fatal}`]
      : [
          ...(s.tampering && tamperingText(s.tampering) ? [`${s.file}: ${tamperingText(s.tampering)}`] : []),
          ...(s.notes ?? []).map((n) => `${s.file}: ${n}`),
          ...Object.entries(s.grades)
            .filter(([, g]) => g.message)
            .map(([e, g]) => `${s.file} ${e}: ${g.message}`),
        ],
  );
  return [fmt(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt), ...(notes.length ? ["", ...notes] : [])].join("\n");
}

/**
 * The tampering report in one line ("" when nothing changed).
 *
 * @example
 * tamperingText({ modified: ["c1"], deleted: [], added: ["cell 9"] }); // "modified c1 (restored); added cell 9"
 */
export function tamperingText(t: Tampering | undefined): string {
  if (!t) return "";
  return [
    t.modified.length ? `modified ${t.modified.join(", ")} (restored)` : "",
    t.deleted.length ? `deleted ${t.deleted.join(", ")} (put back)` : "",
    t.added.length ? `added ${t.added.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}
function gradeHeader(s: StudentGrades): string {
  if (s.fatal) return `<p class="error"><strong>Could not be graded:</strong> ${escapeHtml(s.fatal)}</p>`;
  const rows = Object.entries(s.grades).map(
    ([id, g]) => `<tr class="${g.result}"><td>${escapeHtml(id)}</td><td>${g.result}</td><td>${escapeHtml(g.message ?? "")}</td></tr>`,
  );
  const score = s.maxScore !== undefined ? `<p><strong>Score: ${s.score} / ${s.maxScore}</strong></p>` : "";
  const tamper = tamperingText(s.tampering);
  const notes = [...(tamper ? [`Instructor cells: ${tamper}.`] : []), ...(s.notes ?? [])].map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  return `${score}<table class="grades"><thead><tr><th>exercise</th><th>result</th><th>message (hint)</th></tr></thead><tbody>${rows.join("")}</tbody></table>${notes ? `<ul>${notes}</ul>` : ""}`;
}
export function writeFeedback(file: NotebookFile, nb: Notebook | undefined, s: StudentGrades, outDir: string): void {
  const page = join(outDir, "feedback", file.rel.replace(/\.ipynb$/, "") + ".html");
  mkdirSync(dirname(page), { recursive: true });
  const assets = relative(dirname(page), join(outDir, "_static")) || ".";
  const title = `Feedback: ${file.rel}`;
  if (nb && !s.fatal) {
    const target = join(outDir, file.rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, notebookJson(nb));
    writeFileSync(page, renderNotebookHtml(nb, { title, assets, header: gradeHeader(s) }));
  } else {
    writeFileSync(page, renderPageHtml(title, gradeHeader(s)));
  }
}
/**
 * The class summary page: pass rate per exercise, then score and grades per student, each
 * linking to its feedback page.
 *
 * @example
 * summaryHtml(["grad"], students); // "<!DOCTYPE html>..."
 */
export function summaryHtml(exercises: string[], students: StudentGrades[]): string {
  const rate = exercises.map((e) => {
    const graded = students.filter((s) => !s.fatal && s.grades[e]);
    const passed = graded.filter((s) => s.grades[e]!.result === "pass").length;
    return `<tr><td>${escapeHtml(e)}</td><td>${passed} / ${graded.length}</td><td>${graded.length ? Math.round((100 * passed) / graded.length) : 0}%</td></tr>`;
  });
  const head = `<tr><th>submission</th><th>score</th>${exercises.map((e) => `<th>${escapeHtml(e)}</th>`).join("")}<th>tampering / notes</th></tr>`;
  const rows = students.map((s) => {
    const href = `feedback/${s.file.replace(/\.ipynb$/, "")}.html`.split("/").map(encodeURIComponent).join("/");
    const cells = gradeCells(exercises, s)
      .map((c) => `<td class="${c}">${c}</td>`)
      .join("");
    const score = s.fatal
      ? "error"
      : s.maxScore !== undefined
        ? `${s.score} / ${s.maxScore}`
        : `${Object.values(s.grades).filter((g) => g.result === "pass").length}`;
    const notes = [s.fatal, tamperingText(s.tampering), ...(s.notes ?? [])]
      .filter(Boolean)
      .map((n) => escapeHtml(String(n)))
      .join("<br>");
    return `<tr><td><a href="${href}">${escapeHtml(s.file)}</a></td><td>${score}</td>${cells}<td>${notes}</td></tr>`;
  });
  const body = `<h2>Pass rate per exercise</h2><table class="grades"><thead><tr><th>exercise</th><th>passed</th><th>rate</th></tr></thead><tbody>${rate.join("")}</tbody></table>
<h2>Students</h2><table class="grades"><thead>${head}</thead><tbody>${rows.join("\n")}</tbody></table>`;
  return renderPageHtml(`Grades (${students.length} submissions)`, body);
}
