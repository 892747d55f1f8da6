/** @file Progress display (TTY vs plain), summary table and failure report. */
import { describe, expect, it } from "vitest";
import { stripAnsi } from "../../../cli/notebook/ansi.js";
import { failureReport, Progress, summaryTable, type NotebookSummary } from "../../../cli/run/report.js";

function sink(isTTY: boolean): { stream: NodeJS.WritableStream & { isTTY?: boolean }; text: () => string } {
  let text = "";
  const stream = { isTTY, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stream, text: () => text };
}

const ok: NotebookSummary = { notebook: "a.ipynb", cells: 3, errors: 0, seconds: 1.25, failures: [] };
const bad: NotebookSummary = {
  notebook: "dir/b.ipynb",
  cells: 2,
  errors: 1,
  seconds: 0.5,
  failures: [
    {
      cell: 4,
      id: "x1",
      tags: [],
      status: "error",
      error: {
        ename: "TypeError",
        evalue: "f is not a function",
        traceback: ["\x1b[31mTypeError\x1b[0m: f is not a function", "    at cell 4:2"],
      },
    },
  ],
};

describe("Progress", () => {
  it("writes plain lines without escape codes off a terminal", () => {
    const { stream, text } = sink(false);
    const p = new Progress(stream, 2);
    p.cell("a.ipynb", 1, 5);
    p.cell("a.ipynb", 2, 5);
    p.done(ok);
    expect(text()).toBe("run: a.ipynb ...\nrun: ok   [1/2] a.ipynb (3 cells, 1.3 s)\n");
  });

  it("rewrites one status line on a terminal", () => {
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const { stream, text } = sink(true);
      const p = new Progress(stream, 1);
      p.cell("a.ipynb", 2, 5);
      p.done({ ...ok, errors: 1 });
      expect(text()).toBe("\r\x1b[Krunning: a.ipynb 2/5\r\x1b[Krun: FAIL [1/1] a.ipynb (3 cells, 1.3 s)\n\r\x1b[K");
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });
});

describe("summaryTable and failureReport", () => {
  it("aligns the summary columns", () => {
    expect(summaryTable([ok, bad, { ...ok, notebook: "c.ipynb", fatal: "boom" }])).toBe(
      [
        "notebook     cells  errors  seconds",
        "-----------  -----  ------  -------",
        "a.ipynb          3       0      1.3",
        "dir/b.ipynb      2       1      0.5",
        "c.ipynb          3   fatal      1.3",
      ].join("\n"),
    );
  });

  it("names notebook, cell number, id and error, with the traceback uncoloured", () => {
    expect(failureReport([ok, bad, { ...ok, fatal: 'run: no kernelspec named "x"' }])).toBe(
      [
        "FAILED dir/b.ipynb, cell 4 (id x1): TypeError: f is not a function",
        "    TypeError: f is not a function",
        "        at cell 4:2",
        'FAILED a.ipynb: run: no kernelspec named "x"',
      ].join("\n"),
    );
    expect(stripAnsi("\x1b[1;32mok\x1b[0m")).toBe("ok");
  });
});
