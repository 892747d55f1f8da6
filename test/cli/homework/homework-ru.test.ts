/**
 * @file Homework in Russian: a Russian student copy is graded by `gradlab check` against
 * the Russian source, against the English source (the same cell ids), and against a folder holding
 * both (the Russian source is picked). One assignment only, to keep the CPU cost low.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assignNotebook, langOf, restoreFromSource, roleOf } from "../../../cli/homework/format.js";
import { notebookJson, type Cell, type Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, REPO } from "../helpers.js";

const A = "01-logistic-regression";
const HOMEWORK = join(REPO, "notebooks", "homework");
const SOURCE_EN = join(HOMEWORK, "source", `${A}.ipynb`);
const SOURCE_RU = join(HOMEWORK, "source", "ru", `${A}.ipynb`);
const read = (path: string): Notebook => JSON.parse(readFileSync(path, "utf8")) as Notebook;
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const exercisesOf = (nb: Notebook): string[] =>
  nb.cells
    .flatMap((c) => (c.metadata.tags ?? []).map(String))
    .filter((t) => t.startsWith("check:"))
    .map((t) => t.slice(6));

interface Row {
  file: string;
  assignment?: string;
  grades: Record<string, { result: string; message?: string; answered?: boolean; maxPoints?: number }>;
  score?: number;
  maxScore?: number;
  tampering?: { modified: string[]; deleted: string[]; added: string[] };
}

/** The released Russian copy with each answer cell filled in as a student would: the source's solution, markers removed. */
function solvedCopy(): Notebook {
  const copy = read(join(HOMEWORK, "ru", `${A}.ipynb`));
  const source = read(SOURCE_RU);
  for (const c of copy.cells) {
    if ((c.metadata.gradlab as { role?: string } | undefined)?.role !== "answer") continue;
    const solution = source.cells.find((s) => s.id === c.id)!;
    c.source = text(solution)
      .split("\n")
      .filter((l) => !/^\s*\/\/ (BEGIN|END) SOLUTION/.test(l))
      .join("\n");
  }
  return copy;
}

const dir = mkdtempSync(join(tmpdir(), "gradlab-homework-ru-"));
const grade = async (source: string, subs: string, out: string) => {
  const r = await gradlab(["check", "--source", source, subs, "--out", join(dir, out), "--concurrency", "2", "--timeout", "60"]);
  const json = JSON.parse(readFileSync(join(dir, out, "check.json"), "utf8")) as { students: Row[] };
  return { r, rows: new Map(json.students.map((s) => [s.file, s])) };
};

describe("the released Russian copy, unit by unit", () => {
  it("says it is Russian, and an untouched copy rebuilt against either source reports no tampering", () => {
    const copy = read(join(HOMEWORK, "ru", `${A}.ipynb`));
    expect(langOf(copy)).toBe("ru");
    expect(langOf(read(join(HOMEWORK, `${A}.ipynb`)))).toBe("en");
    for (const source of [SOURCE_RU, SOURCE_EN]) {
      expect(restoreFromSource(read(source), copy, A).tampering).toEqual({ modified: [], deleted: [], added: [] });
    }
  });

  it("graded against the English source, an edited Russian instructor cell is still reported, and English cells are restored", () => {
    const copy = read(join(HOMEWORK, "ru", `${A}.ipynb`));
    const setup = copy.cells.find((c) => c.id === "logreg-setup")!;
    setup.source = `${text(setup)}\nМоя правка.`;
    const problem = copy.cells.find((c) => c.id === "logreg-problem")!;
    problem.source = text(problem).replace("n = 4;", "n = 2;");
    const { nb, tampering } = restoreFromSource(read(SOURCE_EN), copy, A);
    expect(tampering.modified).toEqual(["logreg-setup", "logreg-problem"]);
    expect(text(nb.cells.find((c) => c.id === "logreg-setup")!)).toMatch(/^## Setup/);
    expect(text(nb.cells.find((c) => c.id === "logreg-problem")!)).toContain("n = 4;");
  });

  it("assign keeps the language of the source in the copy's metadata", () => {
    expect(assignNotebook(read(SOURCE_RU), A).metadata.gradlab).toEqual({ assignment: A, lang: "ru" });
    expect(assignNotebook(read(SOURCE_EN), A).metadata.gradlab).toEqual({ assignment: A });
    expect(
      read(SOURCE_RU)
        .cells.filter((c) => roleOf(c) === "answer")
        .map((c) => c.id),
    ).toEqual(
      read(SOURCE_EN)
        .cells.filter((c) => roleOf(c) === "answer")
        .map((c) => c.id),
    );
  });
});

describe("gradlab check on Russian submissions", () => {
  const exercises = exercisesOf(read(SOURCE_RU));
  let ru: Awaited<ReturnType<typeof grade>>;
  let en: Awaited<ReturnType<typeof grade>>;
  let both: Awaited<ReturnType<typeof grade>>;
  let validateRu: Awaited<ReturnType<typeof gradlab>>;

  beforeAll(async () => {
    mkdirSync(join(dir, "subs"));
    mkdirSync(join(dir, "solved"));
    writeFileSync(join(dir, "subs", "solved.ipynb"), notebookJson(solvedCopy()));
    writeFileSync(join(dir, "subs", "blank.ipynb"), readFileSync(join(HOMEWORK, "ru", `${A}.ipynb`), "utf8"));
    // A wrong gradient (all zeros) and a written derivation: the verdict, the hint and the report in Russian.
    const wrong = solvedCopy();
    wrong.cells.find((c) => c.id === "logreg-ex2-answer")!.source = "function gradient(x: Tensor): Tensor {\n  return mul(0, x);\n}";
    wrong.cells.find((c) => c.id === "logreg-derivation")!.source = "Пусть $s = \\sum_k e^{\\langle a_k, x\\rangle}$; тогда $df = ds / s$.";
    writeFileSync(join(dir, "subs", "wrong.ipynb"), notebookJson(wrong));
    writeFileSync(join(dir, "solved", "solved.ipynb"), notebookJson(solvedCopy()));
    validateRu = await gradlab(["validate", join(dir, "subs", "blank.ipynb")]);
    ru = await grade(SOURCE_RU, join(dir, "subs"), "grades-ru");
    en = await grade(SOURCE_EN, join(dir, "solved"), "grades-en");
    both = await grade(join(HOMEWORK, "source"), join(dir, "solved"), "grades-both");
  }, 600_000);

  it("validate speaks the copy's language: verdicts, the derivation's state and the count in Russian", () => {
    expect(validateRu.code).toBe(1);
    expect(validateRu.stdout).toMatch(/logreg-gradient\s+НЕ ПРОЙДЕНО\s+Error: logreg-gradient: ответа ещё нет/);
    expect(validateRu.stdout).toMatch(/logreg-derivation\s+ответа ещё нет: запишите вывод в его ячейку/);
    expect(validateRu.stdout).toContain(`пройдено упражнений: 0 из ${exercises.length}`);
  });

  it("against the Russian source: the filled-in copy passes every exercise (hidden checks included) with full points", () => {
    expect(ru.r.code, ru.r.stderr).toBe(0);
    expect(exercises.length).toBeGreaterThanOrEqual(3);
    const row = ru.rows.get("solved.ipynb")!;
    expect(row.assignment).toBe(A);
    for (const id of exercises) expect([id, row.grades[id]?.result]).toEqual([id, "pass"]);
    // Full points but for the written derivation (still the placeholder: not answered, in Russian).
    expect(row.grades["logreg-derivation"]).toMatchObject({
      result: "manual",
      answered: false,
      message: "ответа нет (текст-заготовка не изменён)",
    });
    expect(row.score).toBe(row.maxScore! - row.grades["logreg-derivation"]!.maxPoints!);
    expect(row.tampering).toEqual({ modified: [], deleted: [], added: [] });
  });

  it("against the Russian source: the untouched copy fails every exercise, each saying (in Russian) not answered yet", () => {
    const row = ru.rows.get("blank.ipynb")!;
    for (const id of exercises) {
      expect(row.grades[id]?.result).toBe("fail");
      expect(row.grades[id]?.message).toContain(`${id}: ответа ещё нет`);
    }
    expect(row.score).toBe(0);
  });

  it("against the Russian source: a wrong answer's verdict and hint, and the feedback page, are in Russian", () => {
    const row = ru.rows.get("wrong.ipynb")!;
    const message = row.grades["logreg-gradient"]!.message!;
    expect(message).toMatch(/^Error: logreg-gradient: НЕВЕРНО \(не совпадают 4 из 4\)\. Подсказка: /);
    // No English prose: only the error's name, the exercise id and numbers are Latin.
    expect(message.replace(/^Error: logreg-gradient: /, "")).not.toMatch(/[A-Za-z]{3,}/);
    expect(row.grades["logreg-derivation"]).toMatchObject({ result: "manual", answered: true, message: "проверяется вручную" });
    const page = readFileSync(join(dir, "grades-ru", "feedback", "wrong.html"), "utf8");
    expect(page).toContain("Баллы:");
    expect(page).toContain("Письменные ответы");
    expect(page).toContain("тогда $df = ds / s$");
  });

  it("against the English source (same cell ids): the filled-in Russian copy passes, no tampering reported", () => {
    expect(en.r.code, en.r.stderr).toBe(0);
    const row = en.rows.get("solved.ipynb")!;
    for (const id of exercises) expect([id, row.grades[id]?.result]).toEqual([id, "pass"]);
    expect(row.score).toBe(row.maxScore! - row.grades["logreg-derivation"]!.maxPoints!);
    expect(row.tampering).toEqual({ modified: [], deleted: [], added: [] });
    expect(text(read(join(dir, "grades-en", "solved.ipynb")).cells[0]!)).toMatch(/^# Homework 1/);
  });

  it("against the folder of sources in both languages: graded with the Russian source", () => {
    expect(both.r.code, both.r.stderr).toBe(0);
    const row = both.rows.get("solved.ipynb")!;
    expect(row.assignment).toBe(A);
    expect(row.score).toBe(row.maxScore! - row.grades["logreg-derivation"]!.maxPoints!);
    expect(row.tampering).toEqual({ modified: [], deleted: [], added: [] });
    expect(text(read(join(dir, "grades-both", "solved.ipynb")).cells[0]!)).toMatch(/^# Домашнее задание 1/);
  });
});
