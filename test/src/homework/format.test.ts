/**
 * @file The homework source format's new cells, on small fakes: grader cells (left out of the copy,
 * re-run before every check), manually graded answers (a placeholder in the copy, the student's
 * text when graded), the orphan-heading rule, partial credit from the table payload, and the
 * language the check code sets.
 */
import { describe, expect, it } from "vitest";
import {
  assignNotebook,
  checkCode,
  isPlaceholder,
  manualPlaceholder,
  restoreFromSource,
  roleOf,
  validateSource,
} from "../../../cli/homework/format.js";
import { gradeRuns, partialCredit } from "../../../cli/homework/grade.js";
import type { CellRun } from "../../../cli/run/execute.js";
import type { Cell, Notebook } from "../../../cli/notebook/notebook.js";
import { ENTRIES_MIME } from "../../../src/homework/sentinel.js";

const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const md = (id: string, source: string, tags: string[] = []): Cell => ({ cell_type: "markdown", id, metadata: { tags }, source });
const code = (id: string, source: string, tags: string[] = []): Cell => ({
  cell_type: "code",
  id,
  metadata: { tags },
  source,
  outputs: [],
  execution_count: null,
});

function source(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      md("title", "# Homework 9"),
      code("problem", 'import { homework } from "gradlab";\nconst hw = homework.checker({ display });', ["setup"]),
      code("grader", 'import { tensor } from "gradlab";\nhw.mistakes({ g: [{ answer: tensor([0]), hint: "zero" }] });', ["grader"]),
      md("ex1", "## Exercise 9.1"),
      code("answer", "function g() {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}"),
      code("check", 'hw.value("g", () => g(), 1);', ["check:g"]),
      md("ex2", "## Exercise 9.2: the derivation"),
      md("derivation", "The model derivation: $g' = 0$.", ["manual:g-derivation", "points:3"]),
      md("caught-md", "## Typical mistakes are caught (instructor only)", ["source-only"]),
      code("caught", "mustFail();", ["source-only"]),
    ],
  };
}

describe("grader cells", () => {
  it("are left out of the student copy, with the source-only cells and their heading", () => {
    const copy = assignNotebook(source(), "hw9");
    expect(copy.cells.map((c) => c.id)).toEqual(["title", "problem", "ex1", "answer", "check", "ex2", "derivation"]);
    expect(roleOf(source().cells[2]!)).toBe("grader");
  });

  it("run when graded, after the setup, and join the setup in the block in front of each check", () => {
    const src = source();
    const { nb, code: sent, tampering } = restoreFromSource(src, assignNotebook(src, "hw9"), "hw9");
    expect(nb.cells.map((c) => c.id)).toEqual(["title", "problem", "grader", "ex1", "answer", "check", "ex2", "derivation"]);
    expect(tampering).toEqual({ modified: [], deleted: [], added: [] });
    expect(sent.get(5)).toBe(
      'import { homework } from "gradlab";\nimport { tensor } from "gradlab";\nimport { setLanguage as gradlabCheckLanguage$ } from "gradlab";\n{\n' +
        'gradlabCheckLanguage$("en");\nconst hw = homework.checker({ display });\nhw.mistakes({ g: [{ answer: tensor([0]), hint: "zero" }] });\nhw.value("g", () => g(), 1);\n}',
    );
  });

  it("must be code cells", () => {
    const src = source();
    src.cells[2] = md("grader", "hints", ["grader"]);
    expect(() => validateSource(src, "hw9")).toThrow("hw9: cell 3: a grader cell must be a code cell, got markdown");
  });
});

describe("a heading over cells the copy leaves out", () => {
  it("must be source-only too: an orphan heading in the copy is an error naming it", () => {
    const src = source();
    src.cells[8] = md("caught-md", "## Typical mistakes are caught (instructor only)\n\nThese cells are tagged source-only.");
    expect(() => assignNotebook(src, "hw9")).toThrow(
      'hw9: cell 9: the heading "Typical mistakes are caught (instructor only)" introduces only cells the student copy leaves out',
    );
  });
  it("a heading with any released cell under it is fine", () => {
    const src = source();
    src.cells.splice(9, 0, md("kept", "Some text the student reads."));
    src.cells[8] = md("caught-md", "## More");
    expect(() => validateSource(src, "hw9")).not.toThrow();
  });
});

describe("manually graded answers", () => {
  it("become an editable placeholder in the copy, in the notebook's language", () => {
    const copy = assignNotebook(source(), "hw9");
    const cell = copy.cells.find((c) => c.id === "derivation")!;
    expect(text(cell)).toBe(manualPlaceholder("en"));
    expect(text(cell)).toMatch(/^\*Write your derivation here\*/);
    expect(cell.metadata.editable).toBeUndefined();
    expect(cell.metadata.tags).toEqual(["manual:g-derivation", "points:3"]);
    const ru = source();
    ru.metadata.gradlab = { lang: "ru" };
    expect(text(assignNotebook(ru, "hw9").cells.find((c) => c.id === "derivation")!)).toMatch(/^\*Запишите здесь свой вывод\*/);
    expect(isPlaceholder(manualPlaceholder("ru"))).toBe(true);
  });

  it("are collected with the student's text when graded; the unedited placeholder is not answered", () => {
    const src = source();
    const copy = assignNotebook(src, "hw9");
    expect(restoreFromSource(src, copy, "hw9").manual).toEqual([
      { exercise: "g-derivation", id: "derivation", points: 3, text: manualPlaceholder("en"), answered: false },
    ]);
    copy.cells.find((c) => c.id === "derivation")!.source = "Since g is constant, g' = 0.";
    const graded = restoreFromSource(src, copy, "hw9");
    expect(graded.manual[0]).toMatchObject({ text: "Since g is constant, g' = 0.", answered: true });
    expect(text(graded.nb.cells.find((c) => c.id === "derivation")!)).toBe("Since g is constant, g' = 0.");
    const deleted = { ...copy, cells: copy.cells.filter((c) => c.id !== "derivation") };
    const gone = restoreFromSource(src, deleted, "hw9");
    expect(gone.manual[0]).toMatchObject({ answered: false, text: "" });
    expect(gone.tampering.deleted).toEqual(["derivation"]);
  });

  it("must be markdown", () => {
    const src = source();
    src.cells[7] = code("derivation", "1;", ["manual:g-derivation"]);
    expect(() => validateSource(src, "hw9")).toThrow(
      "a manually graded answer (tag manual:<exercise-id>) must be a markdown cell, got code",
    );
  });
});

describe("partial credit from the table payload", () => {
  const nbWith = (outputs: unknown[][]): Notebook => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: outputs.map((o, i) => ({ ...code(`c${i}`, ""), outputs: o as Cell["outputs"] })),
  });
  const payload = (exercise: string, right: number, total: number) => ({
    output_type: "display_data",
    data: { "text/plain": "table", [ENTRIES_MIME]: { exercise, right, total } },
    metadata: {},
  });
  const run = (cell: number, tag: string, ok: boolean): CellRun =>
    ({
      cell,
      tags: [tag],
      status: ok ? "ok" : "error",
      error: ok ? undefined : { ename: "Error", evalue: "t: WRONG", traceback: [] },
    }) as CellRun;

  it("takes the lowest share over the exercise's check cells", () => {
    const nb = nbWith([[payload("t", 8, 8)], [payload("t", 6, 8)]]);
    const runs = [run(1, "check:t", true), run(2, "hidden-check:t", false)];
    const grades = gradeRuns(runs, ["t"]);
    partialCredit(nb, runs, grades);
    expect(grades.t).toMatchObject({ result: "partial", entries: { right: 6, total: 8 } });
  });

  it("a payload the student's code displays cannot raise the share", () => {
    const nb = nbWith([[payload("t", 8, 8), payload("t", 3, 8)]]);
    const runs = [run(1, "check:t", false)];
    const grades = gradeRuns(runs, ["t"]);
    partialCredit(nb, runs, grades);
    expect(grades.t).toMatchObject({ result: "partial", entries: { right: 3, total: 8 } });
  });

  it("a failing check cell without a payload (an error, another check) leaves the grade a fail; 0 right is a fail", () => {
    const errorOnly = nbWith([[payload("t", 6, 8)], []]);
    const runs = [run(1, "check:t", false), run(2, "hidden-check:t", false)];
    const grades = gradeRuns(runs, ["t"]);
    partialCredit(errorOnly, runs, grades);
    expect(grades.t!.result).toBe("fail");
    const none = nbWith([[payload("t", 0, 8)]]);
    const g2 = gradeRuns([run(1, "check:t", false)], ["t"]);
    partialCredit(none, [run(1, "check:t", false)], g2);
    expect(g2.t!.result).toBe("fail");
  });
});

describe("the check code sets the submission's language", () => {
  it("a Russian submission graded against the English source gets its checks in Russian", () => {
    const src = source();
    const copy = assignNotebook(src, "hw9");
    copy.metadata.gradlab = { assignment: "hw9", lang: "ru" };
    const graded = restoreFromSource(src, copy, "hw9");
    expect(graded.lang).toBe("ru");
    expect(graded.code.get(5)).toContain('gradlabCheckLanguage$("ru");');
    expect((graded.nb.metadata as { language?: string }).language).toBe("ru");
    expect(checkCode("x;", [], "ru").split("\n")).toEqual([
      'import { setLanguage as gradlabCheckLanguage$ } from "gradlab";',
      "{",
      'gradlabCheckLanguage$("ru");',
      "x;",
      "}",
    ]);
  });
});
