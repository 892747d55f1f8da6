/**
 * @file `gradlab validate FILE.ipynb`: for students, before they submit. Runs their copy as the
 * grader will (every cell, past failures; checks with the setup re-run in front of them) and
 * tells, exercise by exercise, what passes, plus any instructor cell they edited (grading
 * restores those from the original).
 */
import { basename, dirname } from "node:path";
import { parseArgs } from "../args.js";
import { sessionFactory } from "../client/sessions.js";
import { executeNotebook } from "../run/execute.js";
import { fixCheckLines, gradeRuns } from "./grade.js";
import { checksum, exerciseOf, inLanguage, restoreFromSource, roleOf } from "./format.js";
import { notebookLanguage, tr, trn } from "../../src/i18n/index.js";
import { findNotebooks, kernelName, readNotebook } from "../notebook/notebook.js";

const USAGE = `usage: gradlab validate FILE.ipynb... [--timeout S]

Runs your homework notebook through the gradlab kernel as the grader will and prints, exercise
by exercise, whether its checks pass (hidden checks run only when the instructor grades), and
whether each written derivation (graded by hand) is written. Exit status 0 when every exercise
passes and every derivation is written, 1 otherwise.`;

/** Instructor cells whose text no longer matches the checksum `gradlab assign` wrote. */
export function editedInstructorCells(nb: ReturnType<typeof readNotebook>): string[] {
  return nb.cells
    .filter((c) => {
      const meta = c.metadata.gradlab as { checksum?: string } | undefined;
      return meta?.checksum !== undefined && meta.checksum !== checksum(c);
    })
    .map((c, i) => c.id ?? `cell ${i + 1}`);
}

/**
 * `gradlab validate FILE.ipynb...`; resolves to 0 when every exercise passes, 1 when some does
 * not (or a file cannot be run), 2 on bad usage.
 *
 * @example
 * await main(["01-logistic-regression.ipynb"]);
 */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs("validate", argv, { timeout: "number", help: "boolean" });
    if (args.flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (args.paths.length === 0) throw new Error("validate: expected your homework notebook, got none");
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const sessions = await sessionFactory({}, "validate");
  let allPass = true;
  for (const file of findNotebooks(args.paths)) {
    try {
      const nb = readNotebook(file.path);
      const edited = editedInstructorCells(nb);
      const { nb: graded, code, manual, lang } = restoreFromSource(nb, nb, basename(file.path));
      const ids = [...new Set(graded.cells.filter((c) => roleOf(c) === "check").map((c) => exerciseOf(c)!))];
      if (ids.length === 0)
        throw new Error(`validate: ${file.rel} has no check cells (tag check:<exercise-id>); is it a homework notebook?`);
      const session = await sessions.start(kernelName(graded), dirname(file.path), {
        path: file.path,
        language: notebookLanguage({ language: lang }),
      });
      let grades: ReturnType<typeof gradeRuns>;
      try {
        const run = await executeNotebook(graded, session, {
          timeoutMs: Number(args.flags.timeout ?? 60) * 1000,
          notebookTimeoutMs: 600_000,
          stopOnError: false,
          code,
        });
        fixCheckLines(graded, run.runs, code);
        grades = gradeRuns(run.runs, ids);
      } finally {
        await session.close();
      }
      const lines = inLanguage(lang, () => {
        const out = [`${file.rel}:`];
        const width = Math.max(...[...ids, ...manual.map((m) => m.exercise)].map((i) => i.length));
        for (const id of ids) {
          const g = grades[id]!;
          if (g.result !== "pass") allPass = false;
          out.push(`  ${id.padEnd(width)}  ${g.result === "pass" ? tr("pass") : `${tr("FAIL")}  ${g.message ?? ""}`}`);
        }
        for (const m of manual) {
          if (!m.answered) allPass = false;
          out.push(
            `  ${m.exercise.padEnd(width)}  ${m.answered ? trn("written (graded by hand, {n} point)", "written (graded by hand, {n} points)", m.points) : tr("not answered yet: write your derivation in its cell")}`,
          );
        }
        const passed = ids.filter((id) => grades[id]!.result === "pass").length;
        out.push(
          `  ${tr("{k} of {n} exercises pass", { k: passed, n: ids.length })}${passed === ids.length ? ` ${tr("(hidden checks run when graded)")}` : ""}`,
        );
        if (edited.length > 0)
          out.push(
            `  ${tr("note: you edited the instructor's cell(s) {cells}; grading restores them from the original.", { cells: edited.join(", ") })}`,
          );
        return out;
      });
      console.log(lines.join("\n"));
    } catch (e) {
      allPass = false;
      console.error(`${file.rel}: could not be run: ${(e as Error).message}`);
    }
  }
  sessions.dispose();
  return allPass ? 0 : 1;
}
