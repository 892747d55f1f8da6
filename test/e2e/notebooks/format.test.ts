/** @file The committed notebooks are valid nbformat 4.5, carry no outputs, and follow the seminar/homework layout. */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assignFile } from "../../../cli/homework/assign.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "notebooks");

/** The seminar notebooks, in the seminar's order. */
const SEMINAR = [
  "00-start-here", "01-logistic-regression", "02-logdet", "03-computational-graph", "04-backprop",
  "05-vjp", "06-hvp-newton-cg", "07-forward-mode", "08-forward-vs-reverse",
];
const HOMEWORK = readdirSync(join(ROOT, "homework", "source")).filter((f) => f.endsWith(".ipynb")).map((f) => f.replace(/\.ipynb$/, "")).sort();

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
  ...HOMEWORK.map((s) => `homework/source/${s}.ipynb`),
  ...HOMEWORK.map((s) => `homework/ru/${s}.ipynb`),
  ...HOMEWORK.map((s) => `homework/source/ru/${s}.ipynb`),
];

describe("notebooks on disk", () => {
  it("are exactly the seminar notebooks, homework templates and their sources, in English and Russian", () => {
    const list = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ipynb")).map((f) => (dir ? `${dir}/${f}` : f));
    const homework = ["homework", "homework/source", "homework/ru", "homework/source/ru"].flatMap(list);
    expect([...list(""), ...homework].sort()).toEqual([...all].sort());
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

/** A seminar notebook's banner: the blockquote opening its first cell, its kind and the minutes it takes in class. */
function banner(nb: Notebook): { kind: string; minutes: number } {
  const quote = text(nb.cells[0]).split("\n").filter((l) => l.startsWith(">")).join(" ");
  const kind = /^> \*\*([^*]+)\*\*/.exec(quote)?.[1] ?? "";
  const minutes = Number(/\(~(\d+) (?:min|мин)/.exec(quote)?.[1] ?? NaN);
  return { kind, minutes: kind === "Before class" || kind === "До семинара" ? 0 : minutes };
}

describe("the 90-minute core path", () => {
  // notebooks/README.md's table: | `NN-name` | core part | minutes | optional |
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The 90-minute core path"), readme.indexOf("## Folders"));
  const table = new Map([...section.matchAll(/^\| `(\d\d-[a-z-]+)` \|[^|]*\| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

  it("each seminar notebook opens with a banner in both languages, with the minutes of the README's table", () => {
    const rows = SEMINAR.map((name) => {
      const en = banner(read(`${name}.ipynb`));
      const ru = banner(read(`ru/${name}.ipynb`));
      return [name, en.kind, ru.kind, en.minutes, ru.minutes, table.get(name)];
    });
    const want = SEMINAR.map((name) => {
      const m = table.get(name);
      if (name.startsWith("00")) return [name, "Before class", "До семинара", 0, 0, m];
      if (name.startsWith("08")) return [name, "In class:", "На занятии:", m, m, m];
      return [name, "Core", "Основное", m, m, m];
    });
    expect(rows).toEqual(want);
    const total = [...table.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(90);
    expect(section).toContain(`Total in class: about ${total} minutes`);
  });
});

/** Each assignment in each language: the English copies in homework/, the Russian ones in homework/ru/ (from source/ru/). */
const RELEASES = HOMEWORK.flatMap((name) => [[name, "en"], [name, "ru"]] as const);

describe.each(RELEASES)("homework %s (%s)", (name, lang) => {
  const sub = lang === "ru" ? "ru/" : "";
  const template = read(`homework/${sub}${name}.ipynb`);
  const source = read(`homework/source/${sub}${name}.ipynb`);

  it("is exactly what `gradlab assign` writes from its source (they cannot drift)", () => {
    expect(readFileSync(join(ROOT, "homework", sub, `${name}.ipynb`), "utf8")).toBe(assignFile(join(ROOT, "homework", "source", sub, `${name}.ipynb`)));
  });

  it("has the same cells, ids and metadata in both languages (so either copy grades against either source)", () => {
    const shape = (nb: Notebook) => nb.cells.map((c) => [c.id, c.cell_type, c.metadata.tags ?? []]);
    expect(shape(template)).toEqual(shape(read(`homework/${name}.ipynb`)));
    expect(shape(source)).toEqual(shape(read(`homework/source/${name}.ipynb`)));
  });

  it("has one tagged check cell per exercise, the same in template and source, and a hidden check for each in the source only", () => {
    const tags = checkTags(template);
    expect(tags.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tags).size).toBe(tags.length);
    expect(checkTags(source)).toEqual(tags);
    const hidden = (nb: Notebook) => nb.cells.flatMap((c) => c.metadata.tags ?? []).filter((t) => t.startsWith("hidden-check:"));
    expect(hidden(template)).toEqual([]);
    expect(new Set(hidden(source).map((t) => t.slice("hidden-".length)))).toEqual(new Set(tags));
  });

  it("stubs every solution in the template and fills it in the source", () => {
    const answers = (nb: Notebook) => nb.cells.filter((c) => c.id?.includes("-answer")).map(text);
    expect(answers(template).length).toBeGreaterThanOrEqual(2);
    expect(answers(source).length).toBe(answers(template).length);
    for (const s of answers(template)) {
      expect(s).toContain('throw new Error("not answered yet");');
      expect(s).not.toContain("SOLUTION");
    }
    for (const s of answers(source)) expect(s).toMatch(/\/\/ BEGIN SOLUTION[\s\S]*\/\/ END SOLUTION/);
    // the source demonstrates that typical mistakes are caught, in cells the students do not get
    expect(source.cells.filter((c) => (c.metadata.tags ?? []).includes("source-only")).map(text).join("\n")).toMatch(/mustFail/);
    expect(template.cells.map(text).join("\n")).not.toMatch(/mustFail/);
  });
});
