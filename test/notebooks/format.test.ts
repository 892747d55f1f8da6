/** @file The committed notebooks are valid nbformat 4.5, carry no outputs, and follow the seminar/homework layout. */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "notebooks");

/** The seminar notebooks issue 5 asks for, in the seminar's order. */
const SEMINAR = [
  "00-start-here", "01-logistic-regression", "02-logdet", "03-computational-graph", "04-backprop",
  "05-vjp", "06-hvp-newton-cg", "07-forward-mode", "08-forward-vs-reverse",
];
const HOMEWORK = ["01-logistic-regression", "02-logdet", "03-graph"];

interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: Record<string, string>; language_info?: { name?: string } };
  cells: Cell[];
}

const read = (rel: string): Notebook => JSON.parse(readFileSync(join(ROOT, rel), "utf8")) as Notebook;
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const checkTags = (nb: Notebook): string[] =>
  nb.cells.flatMap((c) => c.metadata.tags ?? []).filter((t) => t.startsWith("check:"));

const all = [
  ...SEMINAR.map((s) => `${s}.ipynb`),
  ...HOMEWORK.map((s) => `homework/${s}.ipynb`),
  ...HOMEWORK.map((s) => `homework/solutions/${s}.ipynb`),
];

describe("notebooks on disk", () => {
  it("are exactly the seminar notebooks, homework templates and solutions", () => {
    const list = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ipynb")).map((f) => (dir ? `${dir}/${f}` : f));
    expect([...list(""), ...list("homework"), ...list("homework/solutions")].sort()).toEqual([...all].sort());
  });

  it("validate against the nbformat 4 schema (Debian's nbformat)", () => {
    const script = [
      "import sys, nbformat",
      "for p in sys.argv[1:]:",
      "    nbformat.validate(nbformat.read(p, 4))",
      "print('ok', len(sys.argv) - 1)",
    ].join("\n");
    const out = execFileSync("/usr/bin/python3", ["-c", script, ...all.map((f) => join(ROOT, f))], { encoding: "utf8" });
    expect(out.trim()).toBe(`ok ${all.length}`);
  });
});

describe.each(all)("%s", (file) => {
  const nb = read(file);

  it("is nbformat 4.5 for the gradlab kernel", () => {
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata.kernelspec).toEqual({ name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" });
    expect(nb.metadata.language_info?.name).toBe("typescript");
  });

  it("has no outputs or execution counts committed", () => {
    for (const c of nb.cells.filter((c) => c.cell_type === "code")) {
      expect(c.outputs).toEqual([]);
      expect(c.execution_count).toBeNull();
    }
  });

  it("gives every cell a unique stable id", () => {
    const ids = nb.cells.map((c) => c.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("imports only the public gradlab API", () => {
    for (const c of nb.cells) {
      for (const m of text(c).matchAll(/from\s+"([^"]+)"/g)) expect(["gradlab", "tslab", "node:v8", "node:vm"]).toContain(m[1]);
    }
  });
});

describe.each(SEMINAR)("seminar notebook %s", (name) => {
  it("ends with a check cell that throws when the numbers disagree", () => {
    const nb = read(`${name}.ipynb`);
    const last = nb.cells[nb.cells.length - 1];
    expect(last.cell_type).toBe("code");
    expect(text(last)).toMatch(/throw new Error\(/);
  });
});

describe.each(HOMEWORK)("homework %s", (name) => {
  const template = read(`homework/${name}.ipynb`);
  const solution = read(`homework/solutions/${name}.ipynb`);

  it("has one tagged check cell per exercise, the same in template and solution", () => {
    const tags = checkTags(template);
    expect(tags.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tags).size).toBe(tags.length);
    expect(checkTags(solution)).toEqual(tags);
  });

  it("leaves the formulas blank in the template and fills them in the solution", () => {
    const formulaCells = (nb: Notebook) =>
      nb.cells.filter((c) => c.cell_type === "code").map(text).filter((s) => s.includes("YOUR FORMULA"));
    expect(formulaCells(template).length).toBeGreaterThanOrEqual(2);
    for (const s of formulaCells(template)) expect(s).toMatch(/TODO/);
    expect(formulaCells(solution).length).toBe(formulaCells(template).length);
    for (const s of formulaCells(solution)) expect(s).not.toMatch(/TODO/);
    // the solution demonstrates that typical mistakes are caught
    expect(solution.cells.map(text).join("\n")).toMatch(/mustFail/);
  });
});
