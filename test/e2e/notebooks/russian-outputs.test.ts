/**
 * @file A Russian notebook's outputs contain no English prose: every Russian seminar notebook and
 * Russian homework source runs through `gradlab run` (which starts the kernel in the notebook's
 * language, metadata.language) and the scan of english-prose.ts finds no English word in what its
 * cells show. A failure lists, per notebook, each cell id with its English words.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../../kernel/helpers.js";
import { englishInOutputs, libraryNames, type ScannedNotebook } from "./english-prose.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const RU = [join(REPO, "notebooks", "ru"), join(REPO, "notebooks", "homework", "source", "ru")];
const FILES = RU.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(dir, f)),
);
const shown = (p: string) => p.slice(REPO.length + 1);

describe("the Russian notebooks' outputs", () => {
  const out = mkdtempSync(join(tmpdir(), "gradlab-ru-"));
  let names: Set<string>;
  let runOutput = "";
  beforeAll(async () => {
    await ensureBuilt();
    const lib = (await import(pathToFileURL(join(REPO, "dist", "src", "index.js")).href)) as Record<string, unknown>;
    names = libraryNames(REPO, Object.keys(lib));
    const r = spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), "run", ...FILES, "--out", out, "--timeout", "300", "--concurrency", "2"], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 900_000,
      env: { ...process.env, CI: "true" },
    });
    runOutput = `${r.stdout}\n${r.stderr}`;
  }, 900_000);

  it.each(FILES.map(shown))("%s: every code cell ran without error and no output has English prose", (file) => {
    // the runner keeps the path below the common folder of its inputs: notebooks/
    const executed = join(out, file.replace(/^notebooks\//, ""));
    let nb: ScannedNotebook;
    try {
      nb = JSON.parse(readFileSync(executed, "utf8")) as ScannedNotebook;
    } catch {
      throw new Error(`the runner wrote no ${executed}:\n${runOutput}`);
    }
    const source = (c: ScannedNotebook["cells"][number]) => (Array.isArray(c.source) ? c.source.join("") : c.source);
    const notRun = nb.cells.filter(
      (c) => c.cell_type === "code" && source(c).trim() !== "" && (c as { execution_count?: unknown }).execution_count == null,
    );
    const english = englishInOutputs(nb, names).map((c) => `${file} cell ${c.cell}: ${c.words.join(", ")}`);
    expect(english, `English in the outputs of ${file}:\n${english.join("\n")}`).toEqual([]);
    expect(notRun.map((c) => c.id), `cells of ${file} that did not run:\n${runOutput}`).toEqual([]);
    const failed = nb.cells.filter(
      (c) => !(c.metadata?.tags ?? []).includes("raises-exception") && (c.outputs ?? []).some((o) => o.output_type === "error"),
    );
    expect(failed.map((c) => c.id), `cells of ${file} that failed:\n${runOutput}`).toEqual([]);
  });
});
