/**
 * @file The homework checker's guards and verdicts, without a kernel: what counts as a derivation
 * by hand, how an answer's errors are reported, table and differential checks, grader hints.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  add,
  AutodiffInByHandError,
  backprop,
  backward,
  backwardGraph,
  byHand,
  dot,
  exp,
  forward,
  forwardTable,
  graph,
  homework,
  log1p,
  matmul,
  mul,
  outer,
  setLanguage,
  sigmoid,
  sub,
  tensor,
  traceGraph,
  transpose,
  type Tensor,
} from "gradlab";
import { RU } from "../../../src/i18n/catalog.js";

const a = tensor([1, -2, 0.5]);
const x0 = tensor([0.1, 0.2, 0.3]);
const f = homework.provided("f", (x: Tensor) => log1p(exp(dot(a, x))));
/** The closed form sigma(<a, x>) a, written out. */
const s0 = 1 / (1 + Math.exp(-(0.1 - 0.4 + 0.15)));
const right = (x: Tensor) => mul(sigmoid(dot(a, x)), a);

/** The check's error message, or a failure when the check passed. */
function failure(check: () => void): string {
  try {
    check();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("the check passed");
}

afterEach(() => setLanguage("en"));

describe("a provided function", () => {
  it("is the plain function outside an answer: f(x0) = log(1 + e^<a,x0>)", () => {
    expect(f(x0).item()).toBeCloseTo(Math.log1p(Math.exp(0.1 - 0.4 + 0.15)), 14);
  });

  it("fails a by-hand answer that calls it (finite differences of f, or f itself), even when the answer catches the error", () => {
    const fd = (x: Tensor) => {
      const h = 1e-6;
      return tensor([0, 1, 2].map((i) => (f(add(x, mul(h, tensor([0, 1, 2].map((j) => (j === i ? 1 : 0)))))).item() - f(x).item()) / h));
    };
    expect(() => byHand("g", () => fd(x0))).toThrow(AutodiffInByHandError);
    expect(() => byHand("g", () => fd(x0))).toThrow(
      "g: your answer calls f, the function you are asked to differentiate: finite differences or f itself do not count as a derivation",
    );
    const sly = () => {
      try {
        f(x0);
      } catch {
        /* swallowed */
      }
      return right(x0);
    };
    expect(() => byHand("g", sly)).toThrow("your answer calls f");
  });

  it("fails hw.gradient when the formula is central differences of f", () => {
    const hw = homework.checker();
    const central = (x: Tensor) =>
      tensor(
        [0, 1, 2].map((i) => {
          const e = tensor([0, 1, 2].map((j) => (j === i ? 1e-5 : 0)));
          return (f(add(x, e)).item() - f(sub(x, e)).item()) / 2e-5;
        }),
      );
    expect(failure(() => hw.gradient("g", f, x0, central))).toMatch(/^g: your answer calls f, the function you are asked to differentiate/);
    expect(() => hw.gradient("g", f, x0, right)).not.toThrow();
  });
});

describe("the graph API inside a by-hand answer", () => {
  const cases: [string, () => unknown][] = [
    ["traceGraph", () => traceGraph((x: Tensor) => f(x), x0)],
    ["backward", () => backward(traceGraph.call(null, (x: Tensor) => f(x), x0))],
    ["backprop", () => backprop((x: Tensor) => f(x), x0)],
    ["forwardTable", () => forwardTable((x: Tensor) => f(x), x0)],
    ["graph", () => graph((x: Tensor) => f(x), x0)],
    ["backwardGraph", () => backwardGraph((x: Tensor) => f(x), x0)],
  ];
  it.each(cases)("%s counts as autodiff", (name, call) => {
    expect(() => byHand("g", call)).toThrow(`g: your answer calls ${name === "backward" ? "traceGraph" : name} (autodiff)`);
    expect(() => call()).not.toThrow();
  });

  it("backward and forward on a graph recorded outside the answer count too", () => {
    const g = traceGraph((x: Tensor) => log1p(exp(dot(a, x))), x0);
    expect(() => byHand("g", () => backward(g))).toThrow("g: your answer calls backward (autodiff)");
    expect(() => byHand("g", () => forward(g, 0))).toThrow("g: your answer calls forward (autodiff)");
    // The adjoint backward computes outside an answer is sigma(<a,x0>) a.
    expect(Array.from(backward(g).vertices[0]!.adjoint!.data)).toEqual([s0, -2 * s0, 0.5 * s0].map((v) => expect.closeTo(v, 12)));
  });
});

describe("an answer's errors", () => {
  const hw = homework.checker();
  it("the template's sentinel is 'not answered yet'", () => {
    expect(
      failure(() =>
        hw.gradient("g", f, x0, () => {
          throw new Error("not answered yet");
        }),
      ),
    ).toBe("g: not answered yet");
    expect(
      failure(() =>
        hw.gradient("g", f, x0, () => {
          throw new Error("ответа ещё нет");
        }),
      ),
    ).toBe("g: not answered yet");
    expect(
      failure(() =>
        hw.gradient("g", f, x0, () => {
          throw homework.notAnswered();
        }),
      ),
    ).toBe("g: not answered yet");
  });

  it("any other error is 'your answer raised ...', with its type and message", () => {
    const broken = (x: Tensor) => (x as unknown as { nope(): Tensor }).nope();
    expect(failure(() => hw.gradient("g", f, x0, broken))).toMatch(/^g: your answer raised TypeError: .*nope is not a function/);
    expect(
      failure(() =>
        hw.value(
          "v",
          () => {
            throw new RangeError("bad index");
          },
          1,
        ),
      ),
    ).toBe("v: your answer raised RangeError: bad index");
    // An Error whose message merely mentions the sentinel is not the sentinel.
    expect(
      failure(() =>
        hw.value(
          "v",
          () => {
            throw new Error("x is not answered yet");
          },
          1,
        ),
      ),
    ).toMatch(/your answer raised Error/);
  });

  it("names the notebook cell and line of the first frame in a cell", () => {
    const e = new TypeError("boom");
    e.stack = "TypeError: boom\n    at inner (/lib/dist/src/ops.js:3:1)\n    at gradient (cell[5]:4:12)\n    at cell[7]:1:3";
    expect(homework.answerError("g", e).message).toBe("g: your answer raised TypeError: boom (cell [5], line 4)");
    // In the kernel, the cell's source map gives the line of the cell itself.
    const key = Symbol.for("gradlab.cellLine");
    const seen: unknown[] = [];
    (globalThis as Record<symbol, unknown>)[key] = (script: string, line: number, column: number) => (seen.push([script, line, column]), 2);
    try {
      expect(homework.answerError("g", e).message).toBe("g: your answer raised TypeError: boom (cell [5], line 2)");
      expect(seen).toEqual([["cell[5]", 4, 12]]);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
  });
});

describe("table checks", () => {
  const want = { u4: 0.25, u5: -1.5, u6: 3, u7: 0.15 };
  it("show which entries are right but not the expected values, and carry the score payload", () => {
    const shown: unknown[] = [];
    const hw = homework.checker({ display: (v) => shown.push(v) });
    const msg = failure(() => hw.table("adj", () => ({ ...want, u5: 1.5, u7: 0.3 }), want));
    expect(msg).toMatch(/^adj: WRONG \(2 of 4 entries disagree\)\. Wrong: u5, u7\. Hint: /);
    expect(msg).not.toContain("0.15");
    const table = shown[0] as homework.EntryTable;
    const bundle = table[Symbol.for("Jupyter.display") as never] as () => Record<string, unknown>;
    const b = bundle.call(table);
    expect(b[homework.ENTRIES_MIME]).toEqual({ exercise: "adj", right: 2, total: 4 });
    expect(String(b["text/plain"])).not.toMatch(/0\.15|-1\.5/);
    expect(String(b["text/plain"]).split("\n")[1]).toMatch(/^entry\s+yours$/);
    expect(String(b["text/html"])).not.toMatch(/<th>expected|0\.15|-1\.5/);
    expect(String(b["text/plain"])).toContain("0.30000000");
  });

  it("when grading (grader cells ran), the payload carries the expected values of the wrong entries, for the instructor only", () => {
    const shown: homework.EntryTable[] = [];
    const hw = homework.checker({ display: (v) => shown.push(v as homework.EntryTable) });
    hw.hints({ adj: () => undefined });
    failure(() => hw.table("adj", () => ({ ...want, u5: 1.5 }), want));
    const b = (shown[0]![Symbol.for("Jupyter.display") as never] as () => Record<string, unknown>).call(shown[0]);
    expect(b[homework.ENTRIES_MIME]).toEqual({ exercise: "adj", right: 3, total: 4, expected: { u5: -1.5 } });
    expect(String(b["text/plain"]) + String(b["text/html"])).not.toContain("-1.5");
  });

  it("a right table has the full score", () => {
    const shown: homework.EntryTable[] = [];
    const hw = homework.checker({ display: (v) => shown.push(v as homework.EntryTable) });
    hw.table("adj", () => ({ ...want }), want);
    const b = (shown[0]![Symbol.for("Jupyter.display") as never] as () => Record<string, unknown>).call(shown[0]);
    expect(b[homework.ENTRIES_MIME]).toEqual({ exercise: "adj", right: 4, total: 4 });
  });
});

describe("a gradient check with hideExpected", () => {
  it("shows the student's entries and which are right, not autodiff's values, with the same verdict", () => {
    const shown: unknown[] = [];
    const hw = homework.checker({ display: (v) => shown.push(v) });
    const wrong = (x: Tensor) => add(right(x), tensor([0, 0, 1]));
    expect(failure(() => hw.gradient("g", f, x0, wrong, { hideExpected: true }))).toMatch(/^g: WRONG \(1 of 3 entries disagree\)/);
    const table = shown[0] as homework.EntryTable;
    const b = (table[Symbol.for("Jupyter.display") as never] as () => Record<string, unknown>).call(table);
    const text = String(b["text/plain"]);
    // sigma(<a, x0>) a = [s0, -2 s0, 0.5 s0]: the third expected entry 0.5 s0 is not shown, the student's 0.5 s0 + 1 is.
    expect(text).not.toContain((0.5 * s0).toPrecision(8));
    expect(text).toContain((0.5 * s0 + 1).toPrecision(8));
    expect(b[homework.ENTRIES_MIME]).toBeUndefined();
    expect(() => hw.gradient("g", f, x0, right, { hideExpected: true })).not.toThrow();
  });
});

describe("hints", () => {
  const mistake = mul(sigmoid(dot(a, x0)), mul(-1, a));
  it("without grader cells: what is wrong, and that hints come with grading", () => {
    const hw = homework.checker();
    const wrong = (x: Tensor) => mul(2, right(x));
    expect(failure(() => hw.gradient("g", f, x0, wrong))).toMatch(
      /WRONG \(3 of 3 entries disagree\)\. Hint: off by a constant factor 2\.000/,
    );
    const other = (x: Tensor) => add(right(x), tensor([0, 0, 1]));
    expect(failure(() => hw.gradient("g", f, x0, other))).toMatch(/WRONG \(1 of 3 .*hints for typical mistakes come with grading/);
  });

  it("a grader cell's mistakes and hints are used", () => {
    const hw = homework.checker();
    hw.mistakes({ g: [{ answer: add(right(x0), tensor([0, 0, 1])), hint: "the third entry has a stray 1." }] });
    hw.hints({
      g: (mine, want) => (Math.abs(mine.toFloat64Array()[0]! - want.toFloat64Array()[0]!) > 0.5 ? "look at the first entry." : undefined),
    });
    expect(failure(() => hw.gradient("g", f, x0, (x) => add(right(x), tensor([0, 0, 1]))))).toMatch(
      /Hint: the third entry has a stray 1\.$/,
    );
    expect(failure(() => hw.gradient("g", f, x0, (x) => add(right(x), tensor([1, 0, 0]))))).toMatch(/Hint: look at the first entry\.$/);
    expect(failure(() => hw.gradient("g", f, x0, (x) => add(right(x), tensor([0, 1, 0]))))).toMatch(
      /Hint: compare your entries with the table above/,
    );
    expect(mistake.shape).toEqual([3]);
  });
});

describe("differential checks on random directions", () => {
  const A = tensor([
    [1, 2],
    [0, -1],
    [3, 0.5],
  ]);
  const x = tensor([0.4, -0.7]);
  // d(Ax)[dx] = A dx.
  const expected = (_x: Tensor, dx: Tensor) => matmul(A, dx);
  it("passes the linear answer and fails one that agrees on basis directions only", () => {
    const hw = homework.checker();
    expect(() => hw.differential("d", (_x, dx) => matmul(A, dx), expected, { x, seed: 7 })).not.toThrow();
    // Agrees with A dx when dx is a basis vector (dx_i^2 = dx_i), not on a random dx.
    const squared = (_x: Tensor, dx: Tensor) => matmul(A, mul(dx, dx));
    expect(failure(() => hw.differential("d", squared, expected, { x, seed: 7 }))).toMatch(/^d: WRONG \(\d+ of 9 entries disagree\)/);
    expect(squared(x, tensor([1, 0])).toArray()).toEqual(matmul(A, tensor([1, 0])).toArray());
  });

  it("runs the answer by hand", () => {
    const hw = homework.checker();
    const g = homework.provided("g", (v: Tensor) => matmul(A, v));
    expect(failure(() => hw.differential("d", (_x, dx) => g(dx), expected, { x }))).toMatch(/d: your answer calls g/);
  });
});

describe("shape checks", () => {
  const A = tensor([
    [1, 2, 0],
    [0, -1, 1],
    [3, 0.5, 2],
    [1, 1, 1],
  ]);
  const v = tensor([1, 2, -1]);
  it("noSquare fails an answer that forms the 3x3 matrix A^T A, not one that uses A (4x3) and vectors", () => {
    const hw = homework.checker();
    const viaMatrix = (u: Tensor) => matmul(matmul(transpose(A), A), u);
    const matrixFree = (u: Tensor) => matmul(transpose(A), matmul(A, u));
    expect(viaMatrix(v).toArray()).toEqual(matrixFree(v).toArray());
    expect(failure(() => hw.noSquare("hvp", viaMatrix, [v], 3))).toMatch(
      /^hvp: WRONG: your answer builds a 3×3 intermediate \(.*, shape \[3, 3\]\)/,
    );
    expect(() => hw.noSquare("hvp", matrixFree, [v], 3)).not.toThrow();
    const H = matmul(transpose(A), A);
    expect(failure(() => hw.noSquare("hvp", (u: Tensor) => matmul(H, u), [v], 3))).toMatch(/a constant of u\d+, shape \[3, 3\]/);
    expect(failure(() => hw.noSquare("hvp", (u: Tensor) => matmul(outer(u, u), u), [v], 3))).toMatch(/\(u\d+ = \w+, shape \[3, 3\]\)/);
    // A^T (A u): the vertices A u (4) and A^T (A u) (3); A and A^T are constants of the two products.
    expect(hw.shapes("hvp", matrixFree, v)).toEqual([[4], [3], [4, 3], [3, 4]]);
  });

  it("the student's function is traced by hand: autodiff inside it fails", () => {
    const hw = homework.checker();
    expect(failure(() => hw.noSquare("hvp", (u: Tensor) => traceGraph((w: Tensor) => dot(w, w), u) && u, [v], 3))).toMatch(
      /hvp: your answer calls traceGraph/,
    );
  });
});

describe("in Russian", () => {
  it("the verdicts, hints and errors come in the notebook's language", () => {
    setLanguage("ru");
    const hw = homework.checker();
    const msgs = [
      failure(() => hw.gradient("g", f, x0, (x) => mul(2, right(x)))),
      failure(() =>
        hw.gradient("g", f, x0, () => {
          throw new Error("ответа ещё нет");
        }),
      ),
      failure(() =>
        hw.value(
          "v",
          () => {
            throw new TypeError("boom");
          },
          1,
        ),
      ),
      failure(() => hw.gradient("g", f, x0, (x) => f(x))),
      failure(() => hw.table("t", () => ({ a: 1, b: 3 }), { a: 1, b: 2 })),
    ];
    for (const m of msgs) expect(m.replace(/^[\w-]+: /, "").replace(/TypeError|boom|\bf\b|\ba\b|\bb\b/g, "")).not.toMatch(/[A-Za-z]{3,}/);
    expect(Object.keys(RU).length).toBeGreaterThan(0);
  });
});
