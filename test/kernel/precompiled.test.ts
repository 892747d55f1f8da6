/**
 * @file The shipped notebooks' cells compiled ahead (kernel/node/precompiled.ts): every conversion
 * kept is what a fresh compiler gives for the same declarations and cell in another folder; an
 * executor that takes them runs notebook 04, and cells edited, re-run and redefined in any order
 * after it, exactly as an executor that compiles every cell; and one is taken only while the
 * bundle, the declaration files and the notebook's folder are as the build found them. (The real
 * kernel from the snapshot `npm run build` makes: snapshot.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompilerState, refreshFiles } from "../../kernel/engine/compiler/host.js";
import { createTsConverter, type ConvertResult } from "../../kernel/engine/compiler/index.js";
import { computeNodeTriggers } from "../../kernel/engine/compiler/node-types.js";
import { loadTypeScript, type PrecompiledCells } from "../../kernel/engine/compiler/ts-loader.js";
import { createDisplay, DISPLAY_DECLARATIONS } from "../../kernel/engine/display.js";
import { Executor } from "../../kernel/engine/executor.js";
import {
  importsOnlyOwnModules,
  keptConversion,
  notebookCode,
  plainFolder,
  precompile,
  precompiledKey,
  precompiledLookup,
  shippedNotebooks,
  takenConversion,
} from "../../kernel/node/precompiled.js";
import { assertBuilt, REPO } from "../support/build.js";

const ts = loadTypeScript().ts;
const scratch = mkdtempSync(join(tmpdir(), "gradlab-precompiled-"));
const folder = (name: string): string => {
  const d = join(scratch, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const NB04 = join(REPO, "notebooks", "04-backprop.ipynb");

/** The table as the snapshot's build makes it (a notebook folder of its own, cells checked against @types/node once they need it). */
let tables = 0;
function buildTable(notebooks: string[]): { table: PrecompiledCells; bundleFile: string } {
  const n = ++tables;
  const dir = folder(`build-${n}`);
  const probe = createCompilerState(ts, dir, true);
  refreshFiles(probe);
  const conv = createTsConverter(dir, { nodeTypes: computeNodeTriggers(ts, probe.options, probe.cwd) });
  const made = precompile(ts, conv, notebooks);
  conv.close();
  // The bundle it is tied to: a file of this test's (the kernel's is dist/kernel/node/executor.bundle.js).
  const bundleFile = join(scratch, `bundle-${n}.js`);
  writeFileSync(bundleFile, "// the bundle\n");
  const st = statSync(bundleFile);
  return { table: { bundle: [bundleFile, st.size, st.mtimeMs], files: made.files, map: new Map(made.entries), hits: 0 }, bundleFile };
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the cells compiled ahead", () => {
  it("are every shipped notebook's cells up to one importing another module, each what a fresh compiler gives in another folder", () => {
    const notebooks = shippedNotebooks();
    expect(notebooks.length).toBeGreaterThanOrEqual(30);
    const { table } = buildTable(notebooks);
    // The plain path: a compiler with @types/node from the start, in another folder.
    const fresh = createTsConverter(folder("fresh"), { nodeTypes: "always" });
    const compared = new Set<string>();
    for (const file of notebooks) {
      let prevDecl = DISPLAY_DECLARATIONS;
      for (const code of notebookCode(file)) {
        if (!importsOnlyOwnModules(ts, code)) break;
        const key = precompiledKey(prevDecl, code);
        const r = fresh.convert(prevDecl, code);
        if (r.diagnostics.length > 0) {
          expect(table.map.has(key), `${file}: a cell with diagnostics is not kept`).toBe(false);
          continue;
        }
        const kept = table.map.get(key);
        expect(kept && takenConversion(prevDecl, kept), `${file}:\n${code}`).toEqual(r);
        compared.add(key);
        prevDecl = r.declOutput || prevDecl;
      }
    }
    fresh.close();
    expect(compared.size).toBe(table.map.size);
    expect(table.map.size).toBeGreaterThan(150);
    // Notebook 04's first cell (what a class waits for at 9:00) is among them.
    expect(table.map.has(precompiledKey(DISPLAY_DECLARATIONS, notebookCode(NB04)[0]))).toBe(true);
    // The library's declarations are among the files they were checked against.
    expect(table.files.some(([f]) => f.endsWith(join("dist", "src", "index.d.ts")))).toBe(true);
  }, 180_000);

  it("keep the declarations as what they add to the previous ones, and give them back whole", () => {
    // Every pair of short strings over two letters (prefixes and suffixes overlapping in every way), and the seminar's shape.
    const words = [""];
    for (let n = 1; n <= 4; n++) for (const w of words.filter((x) => x.length === n - 1)) words.push(`${w}a`, `${w}b`);
    const cases: [string, string][] = words.flatMap((p) => words.map((d) => [p, d] as [string, string]));
    cases.push(["declare const a: number;\n", "declare const b: string;\ndeclare const a: number;\n"]);
    for (const [prevDecl, declOutput] of cases) {
      const r: ConvertResult = { output: "x", declOutput, diagnostics: [], mappings: "AAAA" };
      const kept = keptConversion(prevDecl, r);
      expect(takenConversion(prevDecl, kept), JSON.stringify([prevDecl, declOutput])).toEqual(r);
      expect((kept.declBody ?? "").length).toBeLessThanOrEqual(declOutput.length);
    }
    // What a cell adds is kept, not what it shares with the declarations before it.
    const before = "declare const a: number;\n";
    const added = "declare const b: string;\n";
    const grown = keptConversion(before, { declOutput: `${added}${before}`, diagnostics: [] });
    expect(grown.declBody!.length).toBeLessThanOrEqual(added.length);
    expect(takenConversion("", keptConversion("", { output: "y", diagnostics: [] }))).toEqual({ output: "y", diagnostics: [] });
  });

  it("keep a cell only while it and the cells before it import gradlab and tslab alone", () => {
    expect(importsOnlyOwnModules(ts, 'import { grad } from "gradlab";\nimport * as tslab from "tslab";')).toBe(true);
    expect(importsOnlyOwnModules(ts, "const x = 1;")).toBe(true);
    for (const code of [
      'import { readFileSync } from "node:fs";',
      'import { f } from "./mod";',
      'export { g } from "./mod";',
      'const fs = require("fs");',
      "const m = await import(name);",
      '/// <reference types="node" />\nconst x = 1;',
      'import x = require("lodash");',
    ])
      expect(importsOnlyOwnModules(ts, code), code).toBe(false);
  });
});

describe("an executor that takes them", () => {
  beforeAll(() => assertBuilt(["src"]));

  it("runs notebook 04, then its cells edited, re-run and redefined in any order, as one that compiles every cell", async () => {
    const { table, bundleFile } = buildTable([NB04]);
    const shown: string[][] = [[], []];
    const executors = [folder("ahead"), folder("plain")].map((dir, i) => {
      const ex = new Executor(
        dir,
        createDisplay({ display: (b) => void shown[i].push(String(b["text/plain"])), clear: () => undefined }),
        {},
      );
      return ex;
    });
    const lookup = precompiledLookup(table, pathToFileURL(bundleFile).href, executors[0].cwd);
    expect(lookup).toBeDefined();
    executors[0].precompiled = lookup!;
    /** Runs `code` in both; what each gave (its value's text or its error, what it printed and displayed) must be the same. */
    const both = async (code: string): Promise<string> => {
      const out: string[] = [];
      const log = console.log;
      for (const ex of executors) {
        let printed = "";
        console.log = (...args: unknown[]) => void (printed += `${args.map(String).join(" ")}\n`);
        try {
          const r = await ex.run(code, "cell[1]", 0);
          out.push(`ok ${r.hasValue ? String(r.value) : ""}`);
        } catch (e) {
          out.push(`error ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          console.log = log;
        }
        out[out.length - 1] += `\n${printed}`;
      }
      expect(out[0], code).toBe(out[1]);
      expect(shown[0], code).toEqual(shown[1]);
      return out[0];
    };
    const cells = notebookCode(NB04);
    let first = "";
    for (const code of cells) {
      const out = await both(code);
      expect(out, code).toMatch(/^ok/);
      first += out;
    }
    expect(first).toContain("backprop: all checks passed");
    // Every cell of the notebook as shipped was taken from the table.
    expect(table.hits).toBe(table.map.size);
    expect(table.hits).toBeGreaterThanOrEqual(10);
    const taken = table.hits;

    // Edited, in another order, redefined with another type, broken and mended, re-run.
    await both(`${cells[1]}\n// edited`);
    await both(cells[0]);
    for (const code of [...cells].reverse()) await both(code);
    // A name a shipped cell uses, redefined with another type: that cell, as shipped, no longer compiles.
    await both("const TODO_VECTOR = 'no longer a tensor';");
    expect(await both(cells[3])).toMatch(/^error .*TS2322/);
    await both("const broken: number = 'not a number';");
    await both(cells[2]);
    for (const code of cells) await both(code);
    // None of that met the declarations the table was made with again, except where it did: what
    // was taken is what the compiler gives, as the comparisons show.
    expect(table.hits).toBeGreaterThanOrEqual(taken);
  }, 240_000);
});

describe("a lookup", () => {
  const code = 'import { tensor } from "gradlab";\ntensor([1, 2]).sum()';
  let made: { table: PrecompiledCells; bundleFile: string };
  let url: string;
  beforeAll(() => {
    const nb = join(folder("nb"), "one.ipynb");
    writeFileSync(nb, JSON.stringify({ cells: [{ cell_type: "code", source: code }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    made = buildTable([nb]);
    url = pathToFileURL(made.bundleFile).href;
  });
  const take = (cwd: string): ConvertResult | undefined => precompiledLookup(made.table, url, cwd)?.(DISPLAY_DECLARATIONS, code);

  it("takes a kept cell in a plain folder, and nothing for other declarations or another cell", () => {
    const dir = folder("plain-folder");
    expect(plainFolder(dir)).toBe(true);
    expect(take(dir)?.output).toContain("tensor");
    const lookup = precompiledLookup(made.table, url, dir)!;
    expect(lookup("", code)).toBeUndefined();
    expect(lookup(DISPLAY_DECLARATIONS, `${code};`)).toBeUndefined();
  });

  it("takes none without the bundle it was made with, or from another", () => {
    expect(precompiledLookup(made.table, undefined, folder("x"))).toBeUndefined();
    expect(precompiledLookup(made.table, pathToFileURL(join(scratch, "other.js")).href, folder("x"))).toBeUndefined();
    expect(precompiledLookup(undefined, url, folder("x"))).toBeUndefined();
  });

  it("takes none in a folder with type roots here or above, or with its own gradlab or tslab", () => {
    const above = folder("types-above");
    mkdirSync(join(above, "node_modules", "@types"), { recursive: true });
    expect(take(folder("types-above/class/student"))).toBeUndefined();
    for (const pkg of ["gradlab", "tslab"]) {
      const dir = folder(`own-${pkg}`);
      mkdirSync(join(dir, "node_modules", pkg), { recursive: true });
      expect(plainFolder(dir), pkg).toBe(false);
      expect(take(dir), pkg).toBeUndefined();
    }
    // A package installed while the kernel runs counts from the next cell on.
    const later = folder("installed-later");
    const lookup = precompiledLookup(made.table, url, later)!;
    expect(lookup(DISPLAY_DECLARATIONS, code)).toBeDefined();
    mkdirSync(join(later, "node_modules", "@types"), { recursive: true });
    expect(lookup(DISPLAY_DECLARATIONS, code)).toBeUndefined();
  });

  it("takes none once a declaration file it was checked against, or the bundle, changed", () => {
    const dir = folder("changed");
    const lookup = precompiledLookup(made.table, url, dir)!;
    expect(lookup(DISPLAY_DECLARATIONS, code)).toBeDefined();
    // A copy of the table whose first file is recorded with another mtime, as after a build of the library.
    const [first, ...rest] = made.table.files;
    const older: PrecompiledCells = { ...made.table, files: [[first[0], first[1] - 1000], ...rest] };
    expect(precompiledLookup(older, url, dir)!(DISPLAY_DECLARATIONS, code)).toBeUndefined();
    const t = new Date(Date.now() + 5000);
    utimesSync(made.bundleFile, t, t);
    expect(lookup(DISPLAY_DECLARATIONS, code)).toBeUndefined();
  });
});
