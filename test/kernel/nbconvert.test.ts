/**
 * @file `jupyter nbconvert --to notebook --execute` of test/kernel/fixtures/small.ipynb with the
 * gradlab kernel (kernelspec installed into a temporary prefix), from a copy in /tmp.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { ensureBuilt, REPO } from "./helpers.js";

interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: { output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown> }[];
}

let work: string;
let jupyterPath: string;

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), "gradlab-nbconvert-"));
  const prefix = join(work, "prefix");
  const r = spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), "install", "--prefix", prefix], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  jupyterPath = join(prefix, "share", "jupyter");
  copyFileSync(join(import.meta.dirname, "fixtures", "small.ipynb"), join(work, "small.ipynb"));
});

const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));

it("executes a TypeScript notebook with execution counts and outputs in place", () => {
  const r = spawnSync(
    "/usr/bin/python3",
    ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", "small.ipynb"],
    {
      cwd: work,
      encoding: "utf8",
      env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      timeout: 240_000,
    },
  );
  expect(r.status, r.stderr).toBe(0);
  const nb = JSON.parse(readFileSync(join(work, "executed.ipynb"), "utf8")) as { cells: Cell[] };
  const code = nb.cells.filter((c) => c.cell_type === "code");
  expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
  expect(code[0].outputs).toEqual([expect.objectContaining({ output_type: "stream", name: "stdout" })]);
  expect(text(code[0].outputs?.[0].text)).toBe("loaded gradlab\n");
  // d(x²)/dx = 2x = 3 at x = 1.5
  expect(code[1].outputs?.map((o) => o.output_type)).toEqual(["execute_result"]);
  expect(Number(text(code[1].outputs?.[0].data?.["text/plain"] as string))).toBeAllclose(3);
  expect(text(code[2].outputs?.[0].data?.["text/html"] as string)).toBe("<b>rendered by %%html</b>");
  expect(code[3].outputs?.map((o) => o.output_type)).toEqual(["display_data", "stream"]);
  expect(text(code[3].outputs?.[1].text)).toMatch(/\bsquare\b/);
}, 300_000);
