/** @file `gradlab check` end to end on two fake students' homework (real ipykernel), plus the grading rule. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeRuns, markMissing, type StudentGrades } from "../../../cli/homework/grade.js";
import { gradesCsv, gradesTable } from "../../../cli/homework/report.js";
import { gradlab, scratchCopy } from "../helpers.js";

describe("gradlab check", () => {
  it("grades every exercise of every file, continuing past failures, and writes CSV and JSON", async () => {
    const dir = scratchCopy("homework");
    const out = join(dir, "grades");
    const r = await gradlab(["check", join(dir, "homework", "alice.ipynb"), join(dir, "homework", "bob.ipynb"), "--out", out]);
    expect(r.code).toBe(0);
    // alice: grad = 2x is right, hess = 3 is wrong; bob: grad raises, hess = 2 is right.
    expect(readFileSync(join(out, "check.csv"), "utf8")).toBe(
      "file,gradient,hessian,passed\nalice.ipynb,pass,fail,1\nbob.ipynb,fail,pass,1\n",
    );
    const json = JSON.parse(readFileSync(join(out, "check.json"), "utf8"));
    expect(json.exercises).toEqual(["gradient", "hessian"]);
    expect(json.students[0].grades.hessian).toEqual({ result: "fail", message: "AssertionError: hessian wrong: expected 2" });
    expect(json.students[1].grades.gradient).toEqual({ result: "fail", message: "NotImplementedError: TODO: your formula" });
    expect(r.stdout).toMatch(/alice\.ipynb\s+pass\s+fail\s+1\/2/);
    expect(r.stdout).toContain("bob.ipynb gradient: NotImplementedError: TODO: your formula");
    // The executed copies are kept for the instructor to read.
    const executed = JSON.parse(readFileSync(join(out, "bob.ipynb"), "utf8"));
    expect(executed.cells[3].execution_count).not.toBeNull();
  });

  it("needs at least one notebook", async () => {
    const r = await gradlab(["check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("check: expected homework notebooks or folders, got none");
  });
});

describe("gradeRuns", () => {
  it("fails an exercise when any of its cells failed, and one whose tagged cell never ran", () => {
    const grades = gradeRuns(
      [
        { cell: 2, tags: ["check:a"], status: "ok" },
        { cell: 3, tags: ["check:a"], status: "error", error: { ename: "Error", evalue: "second\npart", traceback: [] } },
        { cell: 4, tags: ["other", "check:b"], status: "ok" },
      ],
      ["a", "a", "b", "c"],
    );
    expect(grades).toEqual({
      a: { result: "fail", message: "Error: second part" },
      b: { result: "pass" },
      c: { result: "fail", message: "check cell did not run" },
    });
  });

  it("quotes CSV fields that need it and marks missing exercises", () => {
    const students: StudentGrades[] = [
      { file: 'we,ird "name".ipynb', grades: { x: { result: "pass" } } },
      { file: "b.ipynb", grades: {} },
    ];
    markMissing(students);
    expect(gradesCsv(["x"], students)).toBe('file,x,passed\n"we,ird ""name"".ipynb",pass,1\nb.ipynb,missing,0\n');
  });

  it("grading two assignments at once: missing only within a file's own assignment, the rest blank", () => {
    const ok = { result: "pass" } as const;
    const students: StudentGrades[] = [
      { file: "ann-logreg.ipynb", grades: { "logreg-grad": ok, "logreg-hess": ok } },
      { file: "ben-logreg.ipynb", grades: { "logreg-grad": ok } },
      { file: "cat-logdet.ipynb", grades: { "logdet-grad": ok } },
    ];
    markMissing(students);
    expect(students[1]!.grades["logreg-hess"]).toEqual({ result: "missing" });
    expect(students[1]!.grades["logdet-grad"]).toBeUndefined();
    expect(students[2]!.grades).toEqual({ "logdet-grad": ok });
    const ex = ["logreg-grad", "logreg-hess", "logdet-grad"];
    expect(gradesCsv(ex, students).split("\n")[2]).toBe("ben-logreg.ipynb,pass,missing,,1");
    expect(gradesTable(ex, students)).toMatch(/cat-logdet\.ipynb\s+pass\s+1\/1/);
  });
});
