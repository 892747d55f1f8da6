/**
 * @file Russian and English, one source of code: every seminar notebook has a Russian
 * version generated from the English one and its translation file, up to date, with the same
 * cells and the same code (comments and strings aside) and markdown that is really Russian.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { codeSkeleton } from "../../../cli/translate/skeleton.js";
import { ensureBuilt, REPO } from "../../kernel/helpers.js";

const NOTEBOOKS = join(REPO, "notebooks");
const SEMINAR = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

interface Cell { id?: string; cell_type: string; source: string | string[]; metadata: Record<string, unknown> }
interface Notebook { cells: Cell[]; metadata: { gradlab?: { lang?: string } } }
const read = (p: string) => JSON.parse(readFileSync(p, "utf8")) as Notebook;
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join("") : c.source);

function translate(args: string[], cwd = REPO) {
  return spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), "translate", ...args], { cwd, encoding: "utf8" });
}

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);

const HOMEWORK_SOURCE = join(NOTEBOOKS, "homework", "source");
const HOMEWORK = readdirSync(HOMEWORK_SOURCE).filter((f) => f.endsWith(".ipynb")).sort();

describe.each([
  ["seminar notebooks", "notebooks", NOTEBOOKS, SEMINAR],
  ["homework sources", "notebooks/homework/source", HOMEWORK_SOURCE, HOMEWORK],
] as const)("the Russian %s", (_label, arg, dir, files) => {
  it(`are generated from the English ones and up to date (gradlab translate ${arg} --check)`, () => {
    const r = translate([arg, "--check"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, "ru")).filter((f) => f.endsWith(".ipynb")).sort()).toEqual([...files]);
  });

  it.each(files)("%s: same cells, ids and metadata, the same code, markdown in Russian", (name) => {
    const en = read(join(dir, name));
    const ru = read(join(dir, "ru", name));
    expect(ru.metadata.gradlab?.lang).toBe("ru");
    expect(ru.cells.map((c) => [c.id, c.cell_type, c.metadata])).toEqual(en.cells.map((c) => [c.id, c.cell_type, c.metadata]));
    en.cells.forEach((c, k) => {
      if (c.cell_type === "code") expect([c.id, codeSkeleton(text(ru.cells[k]))]).toEqual([c.id, codeSkeleton(text(c))]);
      if (c.cell_type === "markdown") {
        const prose = text(ru.cells[k]).replace(/\$\$[^]*?\$\$|\$[^$]*\$|`[^`]*`/g, "");
        const words = prose.match(/[A-Za-zА-Яа-яЁё]+/g) ?? [];
        const cyrillic = words.filter((w) => /[А-Яа-яЁё]/.test(w)).length;
        // prose in Russian: most words Cyrillic (formulas, code and names such as VJP stay Latin)
        expect(cyrillic / Math.max(1, words.length), `${name} ${c.id}: ${text(ru.cells[k]).slice(0, 80)}`).toBeGreaterThan(0.5);
      }
    });
  });
});

describe("the Russian seminar notebooks", () => {
  it("validate against the nbformat 4 schema and carry no outputs (Debian's nbformat)", () => {
    const script = ["import sys, nbformat", "for p in sys.argv[1:]:", "    nb = nbformat.read(p, 4)", "    nbformat.validate(nb)",
      "    assert all(not c.get('outputs') for c in nb.cells), p", "print('ok', len(sys.argv) - 1)"].join("\n");
    const r = spawnSync("/usr/bin/python3", ["-c", script, ...SEMINAR.map((f) => join(NOTEBOOKS, "ru", f))], { encoding: "utf8" });
    expect(r.stdout.trim(), r.stderr).toBe(`ok ${SEMINAR.length}`);
  });

  it("a change to the English code makes --check fail until the Russian notebook is regenerated", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-translate-"));
    cpSync(NOTEBOOKS, join(dir, "notebooks"), { recursive: true, filter: (src) => !src.includes("homework") });
    const file = join(dir, "notebooks", SEMINAR[1]);
    const nb = JSON.parse(readFileSync(file, "utf8")) as Notebook;
    const cell = nb.cells.find((c) => c.cell_type === "code")!;
    cell.source = [...[cell.source].flat(), "\nconst added = 1;"];
    writeFileSync(file, JSON.stringify(nb, null, 1));
    const stale = translate(["notebooks", "--check"], dir);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`translate: notebooks/ru/${SEMINAR[1]} is out of date; run npm run translate`);
    expect(translate(["notebooks"], dir).status).toBe(0);
    expect(translate(["notebooks", "--check"], dir).status).toBe(0);
    expect(text(read(join(dir, "notebooks", "ru", SEMINAR[1])).cells.find((c) => c.id === cell.id)!)).toContain("const added = 1;");
    expect(existsSync(join(dir, "notebooks", "translations"))).toBe(true);
  });
});
