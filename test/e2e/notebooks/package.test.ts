/**
 * @file The way a student installs: `npm pack`, `npm install -g --prefix TMP` of the
 * tarball, `gradlab install --prefix`, `gradlab notebooks DIR [--lang en|ru]`, then every copied
 * seminar notebook, in both languages, runs green outside the repository (`gradlab run`, and one through Jupyter's nbconvert
 * with the installed kernelspec), with `import ... from "gradlab"` resolving to the installed copy: every code cell runs,
 * none fails, and the last one prints the notebook's final check passing. (This is the seminar notebooks' end-to-end run;
 * test/e2e/notebooks/run.test.ts runs the homework.)
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO } from "../../kernel/helpers.js";

const SEMINAR = readdirSync(join(REPO, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const HOMEWORK = readdirSync(join(REPO, "notebooks", "homework")).filter((f) => f.endsWith(".ipynb")).sort();

let work: string;
let gradlab: string;
let installed: string;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? work, encoding: "utf8", env: opts.env ?? process.env, timeout: opts.timeout ?? 300_000 });
  if (r.error) throw r.error;
  return r;
}
const ok = (r: SpawnSyncReturns<string>) => expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), "gradlab-package-"));
  // The build is already there (ensureBuilt); --ignore-scripts skips prepack's second build.
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: REPO });
  ok(pack);
  const [{ filename, files }] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const paths = files.map((f) => f.path);
  for (const nb of SEMINAR) expect(paths).toContain(`notebooks/${nb}`);
  for (const nb of HOMEWORK) expect(paths).toContain(`notebooks/homework/${nb}`);
  for (const nb of HOMEWORK) expect(paths).toContain(`notebooks/homework/ru/${nb}`);
  expect(paths.filter((p) => p.startsWith("notebooks/homework/source"))).toEqual([]); // the solutions stay home
  expect(paths.filter((p) => p.includes("solutions"))).toEqual([]);
  // --prefer-offline: the dependencies come from npm's cache when `npm ci` just filled it.
  const install = run("npm", ["install", "-g", "--prefix", join(work, "global"), "--prefer-offline", "--no-audit", "--no-fund", join(work, filename)]);
  ok(install);
  expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE/);
  gradlab = join(work, "global", "bin", "gradlab");
  installed = join(work, "global", "lib", "node_modules", "gradlab");
}, 600_000);

describe("installed from the npm tarball", () => {
  it("gradlab install --prefix writes a kernelspec that starts the installed package", () => {
    ok(run(gradlab, ["install", "--prefix", join(work, "jupyter")]));
    const spec = JSON.parse(readFileSync(join(work, "jupyter", "share", "jupyter", "kernels", "gradlab", "kernel.json"), "utf8")) as { argv: string[] };
    // node, the protocol process's V8 flags, then the installed launcher.
    expect(spec.argv.slice(1)).toEqual(["--lite-mode", "--no-expose-wasm", join(installed, "bin", "gradlab.js"), "kernel", "{connection_file}"]);
  });

  it("gradlab notebooks copies seminar notebooks at the top and homework below, and never overwrites without --force", () => {
    const dir = join(work, "student-en");
    ok(run(gradlab, ["notebooks", dir]));
    expect(readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()).toEqual(SEMINAR);
    expect(readdirSync(join(dir, "homework")).sort()).toEqual(HOMEWORK);
    expect(readFileSync(join(dir, SEMINAR[1]), "utf8")).toBe(readFileSync(join(REPO, "notebooks", SEMINAR[1]), "utf8"));

    writeFileSync(join(dir, SEMINAR[0]), "my own edits");
    const again = run(gradlab, ["notebooks", dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`gradlab notebooks: ${join(dir, SEMINAR[0])}`);
    expect(again.stderr).toContain("Pass --force to overwrite");
    expect(readFileSync(join(dir, SEMINAR[0]), "utf8")).toBe("my own edits");
    ok(run(gradlab, ["notebooks", dir, "--force"]));
    expect(readFileSync(join(dir, SEMINAR[0]), "utf8")).toBe(readFileSync(join(REPO, "notebooks", SEMINAR[0]), "utf8"));

    const ru = join(work, "student-ru");
    const copied = run(gradlab, ["notebooks", ru, "--lang", "ru"]);
    ok(copied);
    expect(readdirSync(ru).filter((f) => f.endsWith(".ipynb")).sort()).toEqual(SEMINAR);
    for (const nb of SEMINAR) expect(readFileSync(join(ru, nb), "utf8")).toBe(readFileSync(join(REPO, "notebooks", "ru", nb), "utf8"));
    // the homework in Russian too: the released Russian student copies
    expect(readdirSync(join(ru, "homework")).sort()).toEqual(HOMEWORK);
    for (const nb of HOMEWORK) expect(readFileSync(join(ru, "homework", nb), "utf8")).toBe(readFileSync(join(REPO, "notebooks", "homework", "ru", nb), "utf8"));
    expect(copied.stdout).not.toContain("Not translated");

    const bad = run(gradlab, ["notebooks", join(work, "x"), "--lang", "de"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('gradlab notebooks: --lang expects one of en, ru, got "de"');
    expect(existsSync(join(work, "x"))).toBe(false);
  });

  it("every copied seminar notebook, English and Russian, runs green outside the repository, importing the installed gradlab", () => {
    const probe = {
      cells: [{ cell_type: "code", id: "probe", metadata: {}, outputs: [], execution_count: null, source: [
        'import { grad, tensor } from "gradlab";\n',
        // The executor runs from the installed package's bundle, whose library is what cells import
        // (test/kernel/executor-bundle.test.ts); npm writes the files anew, the bundle still holds.
        "console.log(process.argv[1]);\n",
      ] }],
      metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(work, "probe.ipynb"), JSON.stringify(probe));
    const notebooks = ["student-en", "student-ru"].flatMap((d) => SEMINAR.map((f) => join(work, d, f)));
    const r = run(gradlab, ["run", ...notebooks, join(work, "probe.ipynb"), "--out", join(work, "out"), "--concurrency", "2"], { timeout: 900_000 });
    ok(r);
    for (const nb of notebooks) {
      const executed = JSON.parse(readFileSync(nb.replace(work, join(work, "out")), "utf8")) as {
        cells: { cell_type: string; execution_count?: number | null; outputs?: { output_type: string; name?: string; text?: string | string[] }[] }[];
      };
      const code = executed.cells.filter((c) => c.cell_type === "code");
      const outputs = code.flatMap((c) => c.outputs ?? []);
      expect([nb, outputs.filter((o) => o.output_type === "error")]).toEqual([nb, []]);
      expect([nb, code.filter((c) => typeof c.execution_count !== "number").length]).toEqual([nb, 0]);
      // the final check's message, in the notebook's language, printed by its last cell
      const last = (code.at(-1)?.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout");
      expect([nb, last.map((o) => [o.text ?? ""].flat().join("")).join("")]).toEqual([nb, expect.stringMatching(/all checks passed|все проверки пройдены/)]);
    }
    const executed = JSON.parse(readFileSync(join(work, "out", "probe.ipynb"), "utf8")) as { cells: { outputs: { text?: string | string[] }[] }[] };
    const printed = [executed.cells[0].outputs[0].text].flat().join("").trim();
    expect(printed).toBe(join(installed, "dist", "kernel", "node", "executor.bundle.js"));
  }, 900_000);

  it("Jupyter runs a copied notebook with the installed kernelspec (nbconvert --execute)", () => {
    const dir = join(work, "student-en");
    const r = run("/usr/bin/python3", ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", join(work, "nbconvert.ipynb"), join(dir, SEMINAR[1])], {
      env: { ...process.env, JUPYTER_PATH: join(work, "jupyter", "share", "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    });
    ok(r);
    const nb = JSON.parse(readFileSync(join(work, "nbconvert.ipynb"), "utf8")) as { cells: { outputs?: { output_type: string; text?: string | string[] }[] }[] };
    const text = nb.cells.flatMap((c) => c.outputs ?? []).map((o) => [o.text ?? ""].flat().join("")).join("");
    expect(text).toContain("all checks passed");
    expect(nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error")).toEqual([]);
  }, 300_000);
});
