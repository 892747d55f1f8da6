/**
 * @file Homework end to end: source -> `gradlab assign` -> `gradlab validate` -> `gradlab check --source` on every
 * assignment, with tampered, autodiff, hard-coded, looping and corrupt submissions graded in one class run.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assignNotebook, checkCode, checkLines, checkOffset, restoreFromSource, stubSolutions } from "../../../cli/homework/format.js";
import { notebookJson, type Cell, type Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, REPO } from "../helpers.js";

const SOURCE = join(REPO, "notebooks", "homework", "source");
const ASSIGNMENTS = readdirSync(SOURCE)
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => f.replace(/\.ipynb$/, ""))
  .sort();
const read = (path: string): Notebook => JSON.parse(readFileSync(path, "utf8")) as Notebook;
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const tags = (c: Cell): string[] => (c.metadata.tags ?? []).map(String);
const exercisesOf = (nb: Notebook): string[] => [
  ...new Set(
    nb.cells
      .flatMap(tags)
      .filter((t) => t.startsWith("check:"))
      .map((t) => t.slice(6)),
  ),
];

interface Row {
  file: string;
  assignment?: string;
  grades: Record<
    string,
    {
      result: string;
      message?: string;
      entries?: { right: number; total: number };
      expected?: Record<string, number>;
      answer?: string;
      answered?: boolean;
      points?: number;
      maxPoints?: number;
    }
  >;
  fatal?: string;
  score?: number;
  maxScore?: number;
  tampering?: { modified: string[]; deleted: string[]; added: string[] };
  notes?: string[];
}

describe("the source format, unit by unit", () => {
  it("stubs a solution region at its indentation and rejects unclosed or stray markers", () => {
    expect(stubSolutions("function g() {\n  // BEGIN SOLUTION\n  return 2;\n  // END SOLUTION\n}", "c")).toBe(
      'function g() {\n  throw new Error("not answered yet");\n}',
    );
    expect(() => stubSolutions("// BEGIN SOLUTION\nreturn 1;", "nb: cell 3")).toThrow(
      "nb: cell 3: a // BEGIN SOLUTION region is not closed",
    );
    expect(() => stubSolutions("x;\n// END SOLUTION", "nb: cell 4")).toThrow("nb: cell 4, line 2: END SOLUTION without a BEGIN SOLUTION");
  });

  it("assign and validate say what is wrong with their arguments", async () => {
    const noOut = await gradlab(["assign", SOURCE]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("assign: expected --out DIR (where the student copies go)");
    const over = await gradlab(["assign", SOURCE, "--out", SOURCE]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/assign: --out .* would overwrite the source/);
    const none = await gradlab(["validate"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("validate: expected your homework notebook, got none");
  });

  it("refuses a source cell without an id, naming the cell", () => {
    const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", source: "# hi", metadata: {} }] };
    expect(() => assignNotebook(nb, "hw9")).toThrow('hw9: cell 1 has no "id"');
  });

  it("wraps a check in a block after the setup code, imports first", () => {
    const setup: Cell = {
      cell_type: "code",
      id: "s",
      metadata: { tags: ["setup"] },
      source: 'import { homework } from "gradlab";\nconst hw = homework.checker({});',
    };
    expect(checkCode("hw.gradient();", [setup])).toBe(
      'import { homework } from "gradlab";\n{\nconst hw = homework.checker({});\nhw.gradient();\n}',
    );
  });

  it("maps error lines of a wrapped check back to the check cell", () => {
    const setup: Cell = {
      cell_type: "code",
      id: "s",
      metadata: { tags: ["setup"] },
      source: 'import { homework } from "gradlab";\nconst a = 1;\nconst hw = homework.checker({});',
    };
    const wrapped = checkCode("hw.gradient();", [setup]);
    const offset = checkOffset(wrapped, "hw.gradient();");
    expect(wrapped.split("\n")[offset]).toBe("hw.gradient();");
    expect(checkLines(`TSError: line ${offset + 1}:4 - Cannot find name 'x'.`, offset)).toBe("TSError: line 1:4 - Cannot find name 'x'.");
    expect(checkLines(`    at cell line ${offset + 1}: hw.gradient();\n    at cell line 3: const a`, offset)).toBe(
      "    at cell line 1: hw.gradient();\n    at setup line 3: const a",
    );
  });

  it("reports modified, deleted and added cells and keeps the student's answers", () => {
    const source = read(join(SOURCE, "01-logistic-regression.ipynb"));
    const copy = assignNotebook(source, "01-logistic-regression");
    const sub = structuredClone(copy);
    const check = sub.cells.find((c) => c.id === "logreg-ex2-check")!;
    check.source = "1;";
    sub.cells = sub.cells.filter((c) => c.id !== "logreg-ex1-check");
    sub.cells.splice(5, 0, {
      cell_type: "code",
      id: "mine",
      metadata: { tags: ["check:logreg-gradient"] },
      source: "const hw = 1;",
      outputs: [],
      execution_count: null,
    });
    sub.cells.find((c) => c.id === "logreg-ex2-answer")!.source = "function gradient(x: Tensor): Tensor { return x; }";
    const { nb, tampering } = restoreFromSource(source, sub, "01-logistic-regression");
    expect(tampering).toEqual({ modified: ["logreg-ex2-check"], deleted: ["logreg-ex1-check"], added: ["mine"] });
    expect(text(nb.cells.find((c) => c.id === "logreg-ex2-check")!)).toBe(text(source.cells.find((c) => c.id === "logreg-ex2-check")!));
    expect(text(nb.cells.find((c) => c.id === "logreg-ex2-answer")!)).toBe("function gradient(x: Tensor): Tensor { return x; }");
    // the added cell is kept, without its forged check tag; hidden checks are back; source-only cells are not
    expect(tags(nb.cells.find((c) => c.id === "mine")!)).toEqual([]);
    expect(nb.cells.some((c) => c.id === "logreg-ex2-hidden")).toBe(true);
    expect(nb.cells.some((c) => c.id === "logreg-caught")).toBe(false);
  });

  it("runs a cell the student added after a check only after that check's hidden check", () => {
    const source = read(join(SOURCE, "01-logistic-regression.ipynb"));
    const sub = addCell(assignNotebook(source, "01-logistic-regression"), "logreg-ex2-check", "1 + 1;", "after-check");
    const ids = restoreFromSource(source, sub, "01-logistic-regression").nb.cells.map((c) => c.id);
    expect(ids.slice(ids.indexOf("logreg-ex2-check"), ids.indexOf("logreg-ex2-check") + 4)).toEqual([
      "logreg-ex2-check",
      "logreg-ex2-hidden",
      "after-check",
      "logreg-ex3",
    ]);
  });
});

/** A copy of `nb` with the cell `id` changed by `edit` (its source replaced when `edit` is a string). */
function withCell(nb: Notebook, id: string, edit: string | ((c: Cell) => void)): Notebook {
  const out = structuredClone(nb);
  const cell = out.cells.find((c) => c.id === id);
  if (!cell) throw new Error(`no cell ${id}`);
  if (typeof edit === "string") cell.source = edit;
  else edit(cell);
  return out;
}
function addCell(nb: Notebook, afterId: string, source: string, id = `student-${Math.random().toString(36).slice(2, 8)}`): Notebook {
  const out = structuredClone(nb);
  const at = out.cells.findIndex((c) => c.id === afterId);
  out.cells.splice(at + 1, 0, { cell_type: "code", id, metadata: {}, source, outputs: [], execution_count: null });
  return out;
}
/** The source's solution for one answer cell (regions unwrapped), to build partly right submissions. */
function solved(source: Notebook, id: string): string {
  return text(source.cells.find((c) => c.id === id)!).replace(/^[ \t]*\/\/ (BEGIN|END) SOLUTION.*\n/gm, "");
}

describe("gradlab assign -> validate -> check --source, one class", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-hw10-"));
  const copies = join(dir, "copies");
  const subs = join(dir, "submissions");
  const out = join(dir, "grades");
  let assign: Awaited<ReturnType<typeof gradlab>>;
  let validateBlank: Awaited<ReturnType<typeof gradlab>>;
  let validateSolved: Awaited<ReturnType<typeof gradlab>>;
  let check: Awaited<ReturnType<typeof gradlab>>;
  let rows: Map<string, Row>;
  let json: { exercises: string[]; points: Record<string, number>; students: Row[] };

  beforeAll(async () => {
    assign = await gradlab(["assign", SOURCE, "--out", copies]);
    mkdirSync(subs, { recursive: true });
    const put = (name: string, nb: Notebook | string) => writeFileSync(join(subs, name), typeof nb === "string" ? nb : notebookJson(nb));
    for (const a of ASSIGNMENTS) {
      put(`solution-${a}.ipynb`, read(join(SOURCE, `${a}.ipynb`)));
      put(`blank-${a}.ipynb`, read(join(copies, `${a}.ipynb`)));
    }
    const source = read(join(SOURCE, "01-logistic-regression.ipynb"));
    const blank = read(join(copies, "01-logistic-regression.ipynb"));
    // Right answers everywhere except where each tamper aims.
    let right = blank;
    for (const id of ["logreg-ex1-answer", "logreg-ex2-answer", "logreg-ex3-answer", "logreg-ex4-answer"])
      right = withCell(right, id, solved(source, id));
    const zeroGradient = withCell(right, "logreg-ex2-answer", "function gradient(x: Tensor): Tensor {\n  return mul(0, x);\n}");
    // Edited check cell: "1;" instead of the check.
    put("edited-check.ipynb", withCell(zeroGradient, "logreg-ex2-check", "1;"));
    // Deleted check cell.
    put("deleted-check.ipynb", { ...zeroGradient, cells: zeroGradient.cells.filter((c) => c.id !== "logreg-ex2-check") });
    // Redefined helpers: a fake checker, and a flat f so a zero gradient would be "right" against it.
    put(
      "redefined-helpers.ipynb",
      addCell(
        zeroGradient,
        "logreg-ex2-answer",
        'const hw = { gradient() {}, hessian() {}, value() {}, choice() {} };\nconst f = (x: Tensor): Tensor => sum(mul(0, x));\nimport { sum } from "gradlab";',
      ),
    );
    // Edited setup cell: the same fake checker written into the instructor's cell.
    put(
      "edited-setup.ipynb",
      withCell(zeroGradient, "logreg-problem", "const hw = { gradient() {}, hessian() {}, value() {}, choice() {} };"),
    );
    // Monkey-patching the library's checks module: an ES module namespace, so the assignment does nothing.
    put("patched-module.ipynb", addCell(zeroGradient, "logreg-ex2-answer", "(homework as any).checker = () => ({ gradient() {} });"));
    // An autodiff answer to a by-hand exercise.
    put(
      "autodiff.ipynb",
      withCell(
        right,
        "logreg-ex2-answer",
        'import { grad } from "gradlab";\nfunction gradient(x: Tensor): Tensor {\n  return grad(f)(x);\n}',
      ),
    );
    // A hard-coded answer: right at x0 only, so the visible check passes and the hidden one does not.
    put(
      "hard-coded.ipynb",
      withCell(
        right,
        "logreg-ex2-answer",
        "const g0 = matmul(transpose(A), div(exp(matmul(A, x0)), sum(exp(matmul(A, x0)))));\nfunction gradient(x: Tensor): Tensor {\n  return g0;\n}",
      ),
    );
    // Central differences of the provided f: not a derivation.
    put(
      "central-differences.ipynb",
      withCell(
        right,
        "logreg-ex2-answer",
        "function gradient(x: Tensor): Tensor {\n  const h = 1e-5;\n  const e = (i: number) => tensor(Array.from({ length: n }, (_, j) => (j === i ? h : 0)));\n" +
          "  return tensor(Array.from({ length: n }, (_, i) => (f(add(x, e(i))).item() - f(sub(x, e(i))).item()) / (2 * h)));\n}\n" +
          'import { tensor, add } from "gradlab";',
      ),
    );
    // A runtime error in the answer: reported as such, not as "not answered yet".
    put(
      "runtime-error.ipynb",
      withCell(right, "logreg-ex2-answer", "function gradient(x: Tensor): Tensor {\n  return (x as any).nope();\n}"),
    );
    // Homework 3 with two wrong adjoints of eight (u8 without e^(b/2), hence u3): 6 of 8 entries, 1.5 of 2 points.
    const graph = read(join(SOURCE, "03-graph.ipynb"));
    let twoWrong = read(join(copies, "03-graph.ipynb"));
    for (const c of graph.cells.filter((c) => /-answer$/.test(c.id ?? ""))) twoWrong = withCell(twoWrong, c.id!, solved(graph, c.id!));
    twoWrong = withCell(twoWrong, "graph-ex2-answer", (c) => {
      c.source = text(c).replace("const u8 = u9 * Math.exp(v8);", "const u8 = u9 + 0 * v8;");
    });
    put("graph-two-wrong.ipynb", twoWrong);
    // Robustness: an infinite loop, a syntax error, no kernelspec, not JSON, another assignment's copy.
    put("infinite-loop.ipynb", withCell(right, "logreg-ex3-answer", "while (true) {}"));
    put("process-exit.ipynb", addCell(right, "logreg-ex2-check", "process.exit(1);", "student-exit"));
    put("syntax-error.ipynb", withCell(right, "logreg-ex4-answer", "function hessianFormula(x: Tensor): Tensor {\n  return mul(2, (x;\n}"));
    const noKernel = structuredClone(right);
    delete noKernel.metadata.kernelspec;
    put("no-kernelspec.ipynb", noKernel);
    put("not-json.ipynb", "this is not a notebook {");
    const other = read(join(copies, "02-logdet.ipynb"));
    mkdirSync(join(dir, "wrong"), { recursive: true });
    writeFileSync(join(dir, "wrong", "01-logistic-regression.ipynb"), notebookJson(other));

    validateBlank = await gradlab(["validate", join(copies, "01-logistic-regression.ipynb")]);
    writeFileSync(
      join(dir, "right.ipynb"),
      notebookJson(withCell(right, "logreg-derivation", "With s = sum_k exp<a_k, x>: df = ds / s = <p, A dx>.")),
    );
    validateSolved = await gradlab(["validate", join(dir, "right.ipynb")]);
    check = await gradlab([
      "check",
      "--source",
      SOURCE,
      subs,
      "--out",
      out,
      "--concurrency",
      "2",
      "--timeout",
      "20",
      "--notebook-timeout",
      "600",
    ]);
    json = JSON.parse(readFileSync(join(out, "check.json"), "utf8"));
    rows = new Map(json.students.map((s) => [s.file, s]));
  }, 900_000);

  it("assign writes one copy per source, identical to the committed templates", () => {
    expect(assign.code, assign.stderr).toBe(0);
    for (const a of ASSIGNMENTS) {
      expect(readFileSync(join(copies, `${a}.ipynb`), "utf8")).toBe(
        readFileSync(join(REPO, "notebooks", "homework", `${a}.ipynb`), "utf8"),
      );
    }
  });

  it("validate: the untouched copy passes nothing, a solved one passes everything", () => {
    expect(validateBlank.code).toBe(1);
    expect(validateBlank.stdout).toMatch(/logreg-gradient\s+FAIL\s+Error: logreg-gradient: not answered yet/);
    expect(validateBlank.stdout).toContain("0 of 4 exercises pass");
    expect(validateBlank.stdout).toMatch(/logreg-derivation\s+not answered yet: write your derivation in its cell/);
    expect(validateSolved.code, validateSolved.stdout + validateSolved.stderr).toBe(0);
    expect(validateSolved.stdout).toContain("4 of 4 exercises pass");
    expect(validateSolved.stdout).toMatch(/logreg-derivation\s+written \(graded by hand, 2 points\)/);
  });

  it.each(ASSIGNMENTS)("%s: the source passes every check, hidden ones included, with full points", (a) => {
    const row = rows.get(`solution-${a}.ipynb`)!;
    const ids = exercisesOf(read(join(SOURCE, `${a}.ipynb`)));
    expect(row.assignment).toBe(a);
    for (const id of ids) expect([id, row.grades[id]?.result, row.grades[id]?.points]).toEqual([id, "pass", row.grades[id]?.maxPoints]);
    // The written derivation is listed for grading by hand: 0 automatic points of its maximum.
    const manual = Object.entries(row.grades).filter(([, g]) => g.result === "manual");
    expect(manual).toHaveLength(1);
    expect(manual[0]![1]).toMatchObject({ message: "to be graded by hand", answered: true, points: 0 });
    expect(row.score).toBe(row.maxScore! - manual[0]![1].maxPoints!);
    expect(row.tampering).toEqual({ modified: [], deleted: [], added: [] });
  });

  it.each(ASSIGNMENTS)("%s: the untouched student copy passes none, each saying not answered yet", (a) => {
    const row = rows.get(`blank-${a}.ipynb`)!;
    for (const id of exercisesOf(read(join(SOURCE, `${a}.ipynb`)))) {
      expect(row.grades[id]?.result).toBe("fail");
      expect(row.grades[id]?.message).toContain(`${id}: not answered yet`);
    }
    const manual = Object.values(row.grades).filter((g) => g.result === "manual");
    expect(manual.map((g) => [g.answered, g.message])).toEqual([[false, "not answered (the placeholder is unchanged)"]]);
    expect(row.score).toBe(0);
  });

  it.each(["edited-check", "deleted-check", "redefined-helpers", "edited-setup", "patched-module"])(
    "%s: the tampered exercise fails, the honest ones pass",
    (name) => {
      const row = rows.get(`${name}.ipynb`)!;
      expect(row.grades["logreg-gradient"]?.result).toBe("fail");
      expect(row.grades["logreg-gradient"]?.message).toMatch(
        /logreg-gradient: WRONG \(4 of 4 entries disagree\)\. Hint: your answer is all zeros/,
      );
      for (const id of ["logreg-differential", "logreg-second-differential", "logreg-hessian"])
        expect([id, row.grades[id]?.result]).toEqual([id, "pass"]);
    },
  );

  it("reports what each tampered copy changed", () => {
    expect(rows.get("edited-check.ipynb")!.tampering).toEqual({ modified: ["logreg-ex2-check"], deleted: [], added: [] });
    expect(rows.get("deleted-check.ipynb")!.tampering).toEqual({ modified: [], deleted: ["logreg-ex2-check"], added: [] });
    expect(rows.get("redefined-helpers.ipynb")!.tampering?.added).toHaveLength(1);
    expect(rows.get("edited-setup.ipynb")!.tampering?.modified).toEqual(["logreg-problem"]);
    expect(readFileSync(join(out, "check.csv"), "utf8")).toMatch(/\nedited-check\.ipynb,.*,3,4,7,modified logreg-ex2-check \(restored\),/);
  });

  it("an answer that calls autodiff fails its by-hand exercise, saying so", () => {
    const g = rows.get("autodiff.ipynb")!.grades["logreg-gradient"];
    expect(g?.result).toBe("fail");
    expect(g?.message).toContain("logreg-gradient: your answer calls grad (autodiff)");
  });

  it("an answer from central differences of the provided f fails, saying f is not a derivation", () => {
    const g = rows.get("central-differences.ipynb")!.grades["logreg-gradient"];
    expect(g?.result).toBe("fail");
    expect(g?.message).toContain("logreg-gradient: your answer calls f, the function you are asked to differentiate");
  });

  it("a runtime error in an answer is reported as raised by the answer, with its cell, not as not answered", () => {
    const g = rows.get("runtime-error.ipynb")!.grades["logreg-gradient"];
    expect(g?.result).toBe("fail");
    expect(g?.message).toMatch(/logreg-gradient: your answer raised TypeError: .*nope is not a function \(cell \[\d+\], line 2\)/);
    expect(g?.message).not.toContain("not answered");
  });

  it("a table exercise with 6 of 8 entries right earns 1.5 of its 2 points, and the others their full points", () => {
    const row = rows.get("graph-two-wrong.ipynb")!;
    expect(row.grades["graph-adjoints"]).toMatchObject({ result: "partial", entries: { right: 6, total: 8 }, points: 1.5, maxPoints: 2 });
    // check.json tells the instructor the expected values of the two wrong entries (the feedback page does not).
    expect(Object.keys(row.grades["graph-adjoints"]!.expected ?? {})).toEqual(["u3", "u8"]);
    expect(row.grades["graph-adjoints"]?.message).toMatch(/graph-adjoints: WRONG \(2 of 8 entries disagree\)\. Wrong: u3, u8\./);
    const auto = Object.values(row.grades).filter((g) => g.result !== "manual");
    expect(row.score).toBe(auto.reduce((a, g) => a + g.maxPoints!, 0) - 0.5);
    expect(readFileSync(join(out, "check.csv"), "utf8")).toMatch(/\ngraph-two-wrong\.ipynb,.*partial 6\/8/);
    const page = readFileSync(join(out, "feedback", "graph-two-wrong.html"), "utf8");
    expect(page).toContain("partial 6/8");
    expect(page).toContain("1.5 / 2");
    // The adjoint table on the page shows the student's entries only (u3 = df/db also appears in 3.3's gradient check).
    const tables = page
      .split("graph-adjoints: your entries (the expected values are not shown)")
      .slice(1)
      .map((t) => t.slice(0, t.indexOf("</table>")));
    expect(tables.length).toBeGreaterThan(0);
    for (const v of Object.values(row.grades["graph-adjoints"]!.expected ?? {}))
      for (const t of tables) expect(t).not.toContain(v.toPrecision(8));
  });

  it("a hard-coded answer passes the visible check but not the hidden one", () => {
    const g = rows.get("hard-coded.ipynb")!.grades["logreg-gradient"];
    expect(g?.result).toBe("fail");
    expect(g?.message).toMatch(/logreg-gradient: WRONG/);
  });

  it("an infinite loop is stopped by the cell timeout; the other exercises are graded", () => {
    const row = rows.get("infinite-loop.ipynb")!;
    expect(row.fatal).toBeUndefined();
    expect(row.notes?.join("\n")).toMatch(/cell logreg-ex3-answer failed: CellTimeoutError/);
    expect(row.grades["logreg-second-differential"]?.result).toBe("fail");
    expect(row.grades["logreg-gradient"]?.result).toBe("pass");
  });

  it("process.exit in a cell is reported in the row; the exercises before it are graded", () => {
    const row = rows.get("process-exit.ipynb")!;
    expect(row.fatal).toBeUndefined();
    expect(row.notes?.join("\n")).toMatch(/cell student-exit failed/);
    expect(row.tampering?.added).toEqual(["student-exit"]);
    for (const id of ["logreg-differential", "logreg-gradient"]) expect([id, row.grades[id]?.result]).toEqual([id, "pass"]);
  });

  it("a syntax error fails its cell and exercise with the compiler's message", () => {
    const row = rows.get("syntax-error.ipynb")!;
    expect(row.notes?.join("\n")).toMatch(/cell logreg-ex4-answer failed/);
    expect(row.grades["logreg-hessian"]?.message).toMatch(/^TSError: line 1:\d+ - Cannot find name 'hessianFormula'/);
    expect(row.grades["logreg-gradient"]?.result).toBe("pass");
  });

  it("no kernelspec: graded with the source's kernel, and said so", () => {
    const row = rows.get("no-kernelspec.ipynb")!;
    expect(row.notes).toContain("no kernelspec in the submission's metadata: graded with the source's kernel (gradlab)");
    expect(row.score).toBe(row.maxScore! - row.grades["logreg-derivation"]!.maxPoints!); // all but the derivation graded by hand
  });

  it("a file that is not JSON gets a row saying so", () => {
    expect(rows.get("not-json.ipynb")!.fatal).toMatch(/expected notebook JSON/);
    expect(readFileSync(join(out, "check.csv"), "utf8")).toMatch(/not-json\.ipynb,error,/);
  });

  it("writes a feedback page per submission and the class summary", () => {
    const page = readFileSync(join(out, "feedback", "edited-check.html"), "utf8");
    expect(page).toContain("Score: 4 / 7");
    expect(page).toContain("your answer is all zeros");
    expect(page).toContain("modified logreg-ex2-check (restored)");
    expect(page).toContain("Gradient: autodiff vs central finite differences vs your formula"); // the check's entry table
    expect(page).toContain("at cell line 1: hw.gradient("); // error lines are the check cell's own, not the wrapped code's
    // The written derivation, listed with its text for the instructor.
    const solution = readFileSync(join(out, "feedback", "solution-01-logistic-regression.html"), "utf8");
    expect(solution).toContain("Written answers");
    expect(solution).toMatch(/<pre class="manual-answer">\*A model derivation/);
    const summary = readFileSync(join(out, "index.html"), "utf8");
    expect(summary).toMatch(/<td>logreg-gradient<\/td><td>\d+ \/ \d+<\/td>/);
    expect(summary).toContain('href="feedback/not-json.html"');
    expect(check.code).toBe(1); // one submission could not be graded
  });

  it("another assignment's notebook gets a row saying so", async () => {
    const r = await gradlab([
      "check",
      "--source",
      join(SOURCE, "01-logistic-regression.ipynb"),
      join(dir, "wrong"),
      "--out",
      join(dir, "grades-wrong"),
    ]);
    const j = JSON.parse(readFileSync(join(dir, "grades-wrong", "check.json"), "utf8")) as { students: Row[] };
    expect(j.students[0]!.fatal).toBe(
      'not a copy of assignment 01-logistic-regression: none of its cell ids is in the source (its metadata names the assignment "02-logdet")',
    );
    expect(r.code).toBe(1);
  }, 120_000);
});
