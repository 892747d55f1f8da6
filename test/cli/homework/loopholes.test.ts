/**
 * @file The ways to pass the homework without understanding it, each as a submission that the real grader
 * (`gradlab assign` -> `gradlab check --source`, real kernel) now fails: finite differences of the provided f,
 * `return reference(...)`, the graph API, a differential right on the basis directions only, a runtime error,
 * the Hessian formed in 5.2, a direct solve in 5.3; table exercises get partial credit; the source solutions
 * still pass every automatic check.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { notebookJson, type Cell, type Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, REPO } from "../helpers.js";

const SOURCE = join(REPO, "notebooks", "homework", "source");
const read = (path: string): Notebook => JSON.parse(readFileSync(path, "utf8")) as Notebook;
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);

interface Grade {
  result: string;
  message?: string;
  entries?: { right: number; total: number };
  points?: number;
  maxPoints?: number;
  answered?: boolean;
}
interface Row {
  file: string;
  grades: Record<string, Grade>;
  fatal?: string;
}

/** The source's solution of one answer cell (the SOLUTION markers removed). */
function solved(source: Notebook, id: string): string {
  return text(source.cells.find((c) => c.id === id)!).replace(/^[ \t]*\/\/ (BEGIN|END) SOLUTION.*\n/gm, "");
}

/** The student copy with every answer cell solved as the source does, then the cells in `answers` replaced. */
function submission(name: string, copy: Notebook, answers: Record<string, string>): Notebook {
  const source = read(join(SOURCE, `${name}.ipynb`));
  const out = structuredClone(copy);
  for (const cell of out.cells) {
    if (!cell.id?.includes("-answer")) continue;
    cell.source = answers[cell.id] ?? solved(source, cell.id);
  }
  for (const id of Object.keys(answers)) if (!out.cells.some((c) => c.id === id)) throw new Error(`${name}: no answer cell ${id}`);
  return out;
}

describe("homework loopholes, graded by gradlab check", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-loopholes-"));
  const copies = join(dir, "copies");
  const subs = join(dir, "submissions");
  let rows: Map<string, Row>;
  let check: Awaited<ReturnType<typeof gradlab>>;

  beforeAll(async () => {
    const assign = await gradlab(["assign", SOURCE, "--out", copies]);
    expect(assign.code, assign.stderr).toBe(0);
    mkdirSync(subs, { recursive: true });
    const put = (file: string, nb: Notebook) => writeFileSync(join(subs, file), notebookJson(nb));
    const copy = (name: string, lang = "en") => read(join(copies, lang === "ru" ? "ru" : "", `${name}.ipynb`));

    const hw1 = {
      // Right on the basis directions e_i (|e_i| = e_i), not linear in dx: a basis-direction check passed it.
      "logreg-ex1-answer": [
        'import { abs } from "gradlab";',
        "function differential(x: Tensor, dx: Tensor): number {",
        "  const e = exp(matmul(A, x));",
        "  return dot(matmul(transpose(A), div(e, sum(e))), abs(dx)).item();",
        "}",
      ].join("\n"),
      // Central differences of the provided f: passed every derive-by-hand exercise at 1e-6.
      "logreg-ex2-answer": [
        'import { add, tensor } from "gradlab";',
        "function gradient(x: Tensor): Tensor {",
        "  const h = 1e-6;",
        "  const e = (i: number) => tensor(Array.from({ length: n }, (_, j) => (i === j ? h : 0)));",
        "  return tensor(Array.from({ length: n }, (_, i) => (f(add(x, e(i))).item() - f(sub(x, e(i))).item()) / (2 * h)));",
        "}",
      ].join("\n"),
      // A runtime error (A is 3 x 4: the second product does not fit).
      "logreg-ex4-answer": "function hessianFormula(x: Tensor): Tensor {\n  return matmul(A, matmul(A, x));\n}",
    };
    put("01-loopholes.ipynb", submission("01-logistic-regression", copy("01-logistic-regression"), hw1));
    put("01-loopholes-ru.ipynb", submission("01-logistic-regression", copy("01-logistic-regression", "ru"), hw1));
    put(
      "03-loopholes.ipynb",
      submission("03-graph", copy("03-graph"), {
        // The reference itself instead of the forward pass (passed 3.1).
        "graph-ex1-answer": "function forward(x: Tensor, w: Tensor, b: Tensor): Tensor {\n  return reference(x, w, b);\n}",
        // One wrong entry of eight: ubar3 without b's second child u8 = b / 2 (nothing below b depends on it).
        "graph-ex2-answer": solved(read(join(SOURCE, "03-graph.ipynb")), "graph-ex2-answer").replace(
          "const u3 = u5 + u8 / 2;",
          "const u3 = u5;",
        ),
        // The gradient from the graph API.
        "graph-ex3-answer": solved(read(join(SOURCE, "03-graph.ipynb")), "graph-ex3-answer").replace(
          /function gradX[\s\S]*?\n}\n/,
          'import { backward, traceGraph } from "gradlab";\nfunction gradX(x: Tensor, w: Tensor, b: Tensor): Tensor {\n  return backward(traceGraph(forward, x, w, b)) as unknown as Tensor;\n}\n',
        ),
      }),
    );
    put(
      "05-loopholes.ipynb",
      submission("05-hvp-newton-cg", copy("05-hvp-newton-cg"), {
        // The right product, through the n x n Hessian A^T diag(s(1-s)) A (a size check tripped on A itself, 12 x 5).
        "hvp-ex2-answer": [
          'import { reshape } from "gradlab";',
          "function hvpByHand(w: Tensor, v: Tensor): Tensor {",
          "  const s = sigmoid(matmul(A, w));",
          "  const H = matmul(transpose(A), mul(reshape(mul(s, sub(1, s)), [N, 1]), A));",
          "  return add(matmul(H, v), mul(mu, v));",
          "}",
        ].join("\n"),
        // The Hessian from n products, then a direct solve instead of conjugate gradients.
        "hvp-ex3-answer": [
          'import { solve } from "gradlab";',
          "function newtonCgStep(w: Tensor, hessVec: (v: Tensor) => Tensor, iters: number): Tensor {",
          "  const unit = (i: number) => tensor(Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));",
          "  const H = tensor(Array.from({ length: n }, (_, i) => hessVec(unit(i)).toArray() as number[]));",
          "  return add(w, solve(H, neg(gradient(w))));",
          "}",
        ].join("\n"),
      }),
    );
    const hw6 = read(join(SOURCE, "06-forward-mode.ipynb"));
    put(
      "06-partial.ipynb",
      submission("06-forward-mode", copy("06-forward-mode"), {
        // The tangent of a difference written as a sum: one entry of eight wrong (nothing depends on u8).
        "fwd-ex1-answer": solved(hw6, "fwd-ex1-answer").replace("const u8 = u7 - u6;", "const u8 = u7 + u6;"),
        // "row" answered as the whole Jacobian: its reverse count (m instead of 1) is wrong, the rest right.
        "fwd-ex3-answer": solved(hw6, "fwd-ex3-answer").replace(
          'if (task === "row") return { forward: n, reverse: 1 };',
          'if (task === "row") return { forward: n, reverse: m };',
        ),
      }),
    );
    for (const name of ["01-logistic-regression", "03-graph", "05-hvp-newton-cg", "06-forward-mode"])
      put(`solution-${name}.ipynb`, read(join(SOURCE, `${name}.ipynb`)));

    check = await gradlab(["check", "--source", SOURCE, subs, "--out", join(dir, "grades"), "--concurrency", "2"]);
    const json = JSON.parse(readFileSync(join(dir, "grades", "check.json"), "utf8")) as { students: Row[] };
    rows = new Map(json.students.map((s) => [s.file, s]));
  }, 900_000);

  const grade = (file: string, id: string): Grade => {
    const g = rows.get(file)?.grades[id];
    if (!g) throw new Error(`${file}: no grade for ${id} (${check.stdout}\n${check.stderr})`);
    return g;
  };

  it("finite differences of the provided f fail as a call of f, in the notebook's language", () => {
    expect(grade("01-loopholes.ipynb", "logreg-gradient")).toMatchObject({ result: "fail", points: 0 });
    expect(grade("01-loopholes.ipynb", "logreg-gradient").message).toContain(
      "logreg-gradient: your answer calls f, the function you are asked to differentiate",
    );
    expect(grade("01-loopholes-ru.ipynb", "logreg-gradient").message).toContain("logreg-gradient: ваш ответ вызывает f");
  });

  it("a differential right on the basis directions but not linear in dx fails on random directions", () => {
    expect(grade("01-loopholes.ipynb", "logreg-differential").result).toBe("fail");
    expect(grade("01-loopholes.ipynb", "logreg-differential").message).toMatch(/logreg-differential: WRONG \(\d of 3 entries disagree\)/);
  });

  it("a runtime error in an answer is reported as raised, not as not answered", () => {
    const g = grade("01-loopholes.ipynb", "logreg-hessian");
    expect(g.result).toBe("fail");
    expect(g.message).toContain("logreg-hessian: your answer raised");
    expect(g.message).not.toContain("not answered");
    expect(grade("01-loopholes-ru.ipynb", "logreg-hessian").message).toContain("logreg-hessian: ваш ответ выбросил ошибку");
    // the honest answer in the same notebook passes
    expect(grade("01-loopholes.ipynb", "logreg-second-differential").result).toBe("pass");
  });

  it("return reference(...) and the graph API fail 3.1 and 3.3", () => {
    expect(grade("03-loopholes.ipynb", "graph-forward").message).toContain("graph-forward: your answer calls reference");
    expect(grade("03-loopholes.ipynb", "graph-grad-x").message).toMatch(/graph-grad-x: your answer calls traceGraph \(autodiff\)/);
    expect(grade("03-loopholes.ipynb", "graph-grad-w").result).toBe("pass");
    expect(grade("03-loopholes.ipynb", "graph-grad-b").result).toBe("pass");
  });

  it("a table with one wrong entry of eight earns 7/8 of its points, naming the entry", () => {
    for (const [file, id, entry] of [
      ["03-loopholes.ipynb", "graph-adjoints", "u3"],
      ["06-partial.ipynb", "fwd-tangents", "u8"],
    ] as const) {
      const g = grade(file, id);
      expect([id, g.result, g.entries, g.points, g.maxPoints]).toEqual([id, "partial", { right: 7, total: 8 }, 1.75, 2]);
      expect(g.message).toContain(`Wrong: ${entry}.`);
    }
    // the grader cell's hints run when grading, though the student copy has none
    expect(grade("03-loopholes.ipynb", "graph-adjoints").message).toContain("b has two children");
    // 6.3: the reverse count of "row" is wrong in each of its cases (1 of 12 visible entries, 1 of 8 hidden): the lower share counts
    const g = grade("06-partial.ipynb", "fwd-mode-choice");
    expect([g.result, g.entries, g.points]).toEqual(["partial", { right: 7, total: 8 }, 1.75]);
  });

  it("5.2 fails an answer that forms the n x n Hessian, by its shape", () => {
    const g = grade("05-loopholes.ipynb", "hvp-product");
    expect(g.result).toBe("fail");
    expect(g.message).toContain("hvp-product: WRONG: your answer builds a 5×5 intermediate");
  });

  it("5.3 fails a direct solve: it is not where conjugate gradients are after fewer iterations", () => {
    const g = grade("05-loopholes.ipynb", "hvp-newton-step");
    expect(g.result).toBe("fail");
    expect(g.message).toMatch(/hvp-newton-step: WRONG \(\d of 5 entries disagree\)/);
    expect(grade("05-loopholes.ipynb", "hvp-gradient").result).toBe("pass");
  });

  it("the written derivation is listed for grading by hand; a placeholder is marked unanswered", () => {
    expect(grade("01-loopholes.ipynb", "logreg-derivation")).toMatchObject({ result: "manual", answered: false, points: 0, maxPoints: 2 });
    expect(grade("solution-01-logistic-regression.ipynb", "logreg-derivation")).toMatchObject({ result: "manual", answered: true });
  });

  it.each(["01-logistic-regression", "03-graph", "05-hvp-newton-cg", "06-forward-mode"])(
    "%s: the source solution passes every automatic exercise with full points",
    (name) => {
      const row = rows.get(`solution-${name}.ipynb`)!;
      expect(row.fatal).toBeUndefined();
      for (const [id, g] of Object.entries(row.grades)) {
        if (g.result === "manual") continue;
        expect([id, g.result, g.points]).toEqual([id, "pass", g.maxPoints]);
      }
    },
  );
});
