/**
 * @file Every homework source executes end to end through the real runner and gradlab kernel with zero errors and its
 * self-checks pass (the seminar notebooks' own run is test/e2e/notebooks/package.test.ts, on the copies a student installs); graded against their sources, the sources pass every check (hidden ones
 * too) and the homework templates, with their blanks, fail every check with a clear message.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../../kernel/helpers.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const NOTEBOOKS = join(REPO, "notebooks");
const HOMEWORK = readdirSync(join(NOTEBOOKS, "homework")).filter((f) => f.endsWith(".ipynb")).sort();
const SOURCE = join(NOTEBOOKS, "homework", "source");

interface Output { output_type: string; name?: string; text?: string | string[]; ename?: string; evalue?: string }
interface Cell { cell_type: string; source: string | string[]; metadata: { tags?: string[] }; outputs?: Output[]; execution_count?: number | null }
interface Notebook { cells: Cell[] }

/** What a homework check says when an exercise is not done: the exercise id, then "not answered yet" or "WRONG ... Hint". */
const CLEAR_FAILURE = /[\w-]+: (not answered yet|WRONG \(\d+ of \d+ entries disagree\)\. Hint: )/;

const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));
const stdoutOf = (c: Cell): string =>
  (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joinText(o.text)).join("");
const errorsOf = (nb: Notebook): Output[] => nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error"));

/** The exercise ids a notebook's `check:<id>` cells grade. */
function checkIds(path: string): string[] {
  const nb = JSON.parse(readFileSync(path, "utf8")) as Notebook;
  return nb.cells.flatMap((c) => c.metadata.tags ?? []).filter((t) => t.startsWith("check:")).map((t) => t.slice(6));
}

/** Find the file `name` anywhere under `dir` (the runner may keep sub-folders). */
function findUnder(dir: string, name: string): string | null {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const found = statSync(p).isDirectory() ? findUnder(p, name) : entry === name ? p : null;
    if (found) return found;
  }
  return null;
}
function findExecuted(dir: string, name: string): string {
  const p = findUnder(dir, name);
  if (!p) throw new Error(`runner wrote no ${name} under ${dir}`);
  return p;
}

/** Run `gradlab <args>`; returns exit status and combined output. */
function gradlab(args: string[]): { status: number; output: string } {
  const r = spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), ...args], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 600_000,
    env: { ...process.env, CI: "true" },
  });
  return { status: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  // dist/ must hold the current kernel, library and CLI (ensureBuilt fails on a stale build).
  await ensureBuilt();
  expect(existsSync(join(REPO, "dist", "cli", "main.js"))).toBe(true);
}, 300_000);

// The seminar notebooks run end to end, in both languages, as a student installs them: test/e2e/notebooks/package.test.ts.
describe("homework source notebooks run green end to end", () => {
  const out = mkdtempSync(join(tmpdir(), "gradlab-nb-"));
  const [dir, files] = [SOURCE, HOMEWORK];
  let run: { status: number; output: string };
  beforeAll(() => {
    run = gradlab(["run", ...files.map((f) => join(dir, f)), "--out", out, "--timeout", "300", "--concurrency", "2"]);
  }, 900_000);

  it("the runner exits 0", () => {
    expect(run.status, run.output).toBe(0);
  });

  it.each(files)("%s: every code cell ran, no errors, the final check passed", (file) => {
    const nb = JSON.parse(readFileSync(findExecuted(out, file), "utf8")) as Notebook;
    const code = nb.cells.filter((c) => c.cell_type === "code");
    expect(errorsOf(nb)).toEqual([]);
    for (const c of code) expect(c.execution_count).toEqual(expect.any(Number));
    expect(stdoutOf(code[code.length - 1])).toMatch(/all checks passed/);
  });
});

describe("homework sources (the solutions) under the grader", () => {
  const out = mkdtempSync(join(tmpdir(), "gradlab-sol-"));
  const dir = SOURCE;
  let run: { status: number; output: string };
  beforeAll(() => {
    run = gradlab(["check", "--source", SOURCE, ...HOMEWORK.map((f) => join(dir, f)), "--out", out, "--concurrency", "2"]);
  }, 900_000);

  it("passes every exercise of each notebook, hidden checks included", () => {
    expect(run.status, run.output).toBe(0);
    const report = JSON.parse(readFileSync(findExecuted(out, "check.json"), "utf8")) as {
      students: { file: string; grades: Record<string, { result: string; message?: string }> }[];
    };
    expect(report.students).toHaveLength(HOMEWORK.length);
    for (const file of HOMEWORK) {
      const student = report.students.find((s) => s.file.endsWith(file));
      const ids = checkIds(join(dir, file));
      expect(ids.length).toBeGreaterThanOrEqual(3);
      for (const id of ids) expect([id, student?.grades[id]?.result]).toEqual([id, "pass"]);
      // Every exercise has a hidden check, and it ran.
      const executed = JSON.parse(readFileSync(findExecuted(out, file), "utf8")) as Notebook;
      const hidden = executed.cells.filter((c) => (c.metadata.tags ?? []).some((t) => t.startsWith("hidden-check:")));
      expect(hidden.length).toBeGreaterThanOrEqual(ids.length);
      for (const c of hidden) expect(c.execution_count).toEqual(expect.any(Number));
    }
  });
});

describe("homework templates with blanks", () => {
  const out = mkdtempSync(join(tmpdir(), "gradlab-hw-"));
  let run: { status: number; output: string };
  beforeAll(() => {
    run = gradlab(["check", "--source", SOURCE, ...HOMEWORK.map((f) => join(NOTEBOOKS, "homework", f)), "--out", out, "--concurrency", "2"]);
  }, 900_000);

  it("the grader reports every exercise as failed, with the check's message", () => {
    expect(run.status, run.output).toBe(0); // grading itself worked
    const report = JSON.parse(readFileSync(findExecuted(out, "check.json"), "utf8")) as {
      exercises: string[];
      students: { file: string; grades: Record<string, { result: string; message?: string }>; fatal?: string }[];
    };
    expect(report.students).toHaveLength(HOMEWORK.length);
    for (const file of HOMEWORK) {
      const ids = checkIds(join(NOTEBOOKS, "homework", file));
      const student = report.students.find((s) => s.file.endsWith(file));
      expect(student?.fatal).toBeUndefined();
      for (const id of ids) {
        expect(student?.grades[id]?.result).toBe("fail");
        expect(student?.grades[id]?.message).toMatch(CLEAR_FAILURE);
      }
    }
  });

  it.each(HOMEWORK)("%s: each check fails with a clear message, never a crash", (file) => {
    const nb = JSON.parse(readFileSync(findExecuted(out, file), "utf8")) as Notebook;
    const checks = nb.cells.filter((c) => (c.metadata.tags ?? []).some((t) => t.startsWith("check:") || t.startsWith("hidden-check:")));
    expect(checks.length).toBeGreaterThanOrEqual(3);
    for (const c of checks) {
      const errs = (c.outputs ?? []).filter((o) => o.output_type === "error");
      expect(errs).toHaveLength(1);
      expect(errs[0].evalue).toMatch(CLEAR_FAILURE);
    }
    // the cells before the first check (setup, helpers, blanks) run without errors
    const firstCheck = nb.cells.indexOf(checks[0]);
    expect(errorsOf({ cells: nb.cells.slice(0, firstCheck) })).toEqual([]);
  });
});

describe("the seminar checks bite: a sabotaged formula fails its notebook", () => {
  // Each sabotage swaps one correct formula for a typical mistake; the notebook must then stop with an error.
  const SABOTAGE = [
    { file: "01-logistic-regression.ipynb", from: "mul(s * (1 - s), outer(a, a))", to: "mul(s, outer(a, a))", error: /formula|FAIL/i },
    { file: "02-logdet.ipynb", from: "const d2f = -trace(", to: "const d2f = +trace(", error: /d2f: formula/ },
  ];
  const src = mkdtempSync(join(tmpdir(), "gradlab-sabotage-"));
  const out = mkdtempSync(join(tmpdir(), "gradlab-sabotage-out-"));
  let run: { status: number; output: string };
  beforeAll(() => {
    for (const s of SABOTAGE) {
      const text = readFileSync(join(NOTEBOOKS, s.file), "utf8");
      const needle = JSON.stringify(s.from).slice(1, -1);
      expect(text.split(needle)).toHaveLength(2); // the formula occurs exactly once
      writeFileSync(join(src, s.file), text.replace(needle, JSON.stringify(s.to).slice(1, -1)));
    }
    run = gradlab(["run", ...SABOTAGE.map((s) => join(src, s.file)), "--out", out, "--timeout", "300"]);
  }, 900_000);

  it.each(SABOTAGE)("$file with $to fails loudly", ({ file, error }) => {
    expect(run.status).not.toBe(0);
    const nb = JSON.parse(readFileSync(findExecuted(out, file), "utf8")) as Notebook;
    const errs = errorsOf(nb);
    expect(errs).toHaveLength(1);
    expect(`${errs[0].ename}: ${errs[0].evalue}`).toMatch(error);
  });
});
